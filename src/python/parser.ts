/**
 * tree-sitter setup. One parser per thread, reused for every file: creating parsers
 * is cheap but setting the language allocates, and there is no reason to repeat it.
 */
import Parser from 'tree-sitter';
import Python from 'tree-sitter-python';

export type SyntaxNode = Parser.SyntaxNode;
export type Tree = Parser.Tree;
export type TreeCursor = Parser.TreeCursor;

let parser: Parser | undefined;

export function getParser(): Parser {
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(Python as unknown as Parser.Language);
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
