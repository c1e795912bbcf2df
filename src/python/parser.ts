/**
 * tree-sitter setup. One parser per thread, reused for every file: creating parsers
 * is cheap but setting the language allocates, and there is no reason to repeat it.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type ParserType from 'tree-sitter';

export type SyntaxNode = ParserType.SyntaxNode;
export type Tree = ParserType.Tree;
export type TreeCursor = ParserType.TreeCursor;

/*
 * tree-sitter's index.js patches prototypes of its native classes, which are shared by
 * every load of the addon in a process. Evaluating it twice breaks it (the second copy
 * reads back its own patched getter: `rootNode` becomes undefined), and test runners
 * such as jest evaluate modules once per test file. The native binding object itself is
 * shared, so the first evaluation of index.js is stored on it and reused by later ones.
 */
const require = createRequire(import.meta.url);
const SHARED = Symbol.for('pysec.tree-sitter');
const treeSitterPackage = require.resolve('tree-sitter/package.json');
const gypBuild = createRequire(treeSitterPackage)('node-gyp-build') as (dir: string) => Record<symbol, unknown>;
const binding = gypBuild(dirname(treeSitterPackage));
const Parser = (binding[SHARED] ??= require('tree-sitter')) as typeof ParserType;
const Python = require('tree-sitter-python') as unknown;

let parser: ParserType | undefined;

export function getParser(): ParserType {
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(Python as ParserType.Language);
  }
  return parser;
}

/**
 * Parse Python source. tree-sitter always returns a tree: syntax errors become ERROR
 * and MISSING nodes, and the rest of the file is still analysable.
 *
 * node-tree-sitter reads string input through a buffer of `bufferSize` characters;
 * giving it the whole length makes one native call per file instead of one per 32 KiB.
 */
export function parsePython(source: string): Tree {
  return getParser().parse(source, null, { bufferSize: Math.max(source.length + 1, 1024) });
}
