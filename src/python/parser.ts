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

/**
 * Longest a single parse may take. tree-sitter is linear on real code (a 1 MB file parses in
 * well under a second), but error recovery on pathological input can take far longer; past
 * this, the file is skipped with a message rather than holding a review (or a scan thread,
 * which cannot be safely terminated inside a parse: see scan/pool.ts) for minutes.
 */
export const PARSE_TIMEOUT_MS = 20_000;
let parseTimeoutMs = PARSE_TIMEOUT_MS;

/** Change the parse time limit (tests; 0 means none). */
export function setParseTimeoutMs(ms: number): void {
  parseTimeoutMs = ms;
  applyTimeout(getParser());
}

// Missing from node-tree-sitter's type declarations, present on its parser since 0.20.
function applyTimeout(p: ParserType): void {
  (p as unknown as { setTimeoutMicros(us: number): void }).setTimeoutMicros(parseTimeoutMs * 1000);
}

/** Names of the named node types by type id (null for anonymous ids), from the grammar. */
function namedTypesById(p: ParserType): (string | null)[] {
  const get = (binding as Record<string, unknown>).getNodeTypeNamesById as ((l: unknown) => (string | null)[]) | undefined;
  return get?.(p.getLanguage()) ?? [];
}

export class ParseTimeout extends Error {
  constructor(readonly ms: number) {
    super(`tree-sitter could not parse it within ${ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`}`);
    this.name = 'ParseTimeout';
  }
}

export function getParser(): ParserType {
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(Python as ParserType.Language);
    applyTimeout(parser);
    speedUpNodes(parser);
  }
  return parser;
}

export interface NodeTypeTable {
  /**
   * Type names by type id (`cursor.nodeTypeId`); anonymous ids (punctuation, keywords) and
   * ERROR (0xFFFF) are filled in as a walk meets them (`learn`). A walk that names nodes
   * through it gets the same interned strings back instead of a new string from the native
   * side per node.
   */
  names: (string | undefined)[];
  /** 1 for ids whose nodes never have children (tokens), so a walk need not try to descend. */
  leaf: Uint8Array;
  /** Record the name of an id met for the first time (anonymous or ERROR); returns it. */
  learn(id: number, name: string): string;
}

let typeTable: NodeTypeTable | undefined;

interface NodeTypeInfo {
  type: string;
  named: boolean;
  fields?: object;
  children?: object;
  subtypes?: object;
}

export function nodeTypeTable(): NodeTypeTable {
  if (!typeTable) {
    const language = getParser().getLanguage() as { nodeTypeInfo?: NodeTypeInfo[] };
    const named = namedTypesById(getParser());
    // Named types that are tokens: node-types.json gives them no fields, children or subtypes.
    const namedLeaves = new Set(
      (language.nodeTypeInfo ?? []).filter((t) => t.named && !t.fields && !t.children && !t.subtypes).map((t) => t.type),
    );
    const leaf = new Uint8Array(0x10000);
    named.forEach((name, id) => {
      if (name !== null && namedLeaves.has(name)) leaf[id] = 1;
    });
    const names: (string | undefined)[] = named.map((n) => n ?? undefined);
    typeTable = {
      names,
      leaf,
      learn(id, name) {
        names[id] = name;
        // Anonymous symbols are tokens, except aliases of several tokens (`is not`, `not in`,
        // which have the two keywords as children) and ERROR. test/python/parser.test.ts
        // checks every leaf id on real files.
        leaf[id] = name !== 'ERROR' && !/\s/.test(name) ? 1 : 0;
        return name;
      },
    };
  }
  return typeTable;
}

type NodeClass = { prototype: object };
interface LanguageInternals {
  nodeSubclasses?: NodeClass[];
}
const PATCHED = Symbol.for('pysec.tree-sitter.fast-nodes');

/**
 * node-tree-sitter answers `node.type`, `node.startIndex` and `node.startPosition` with a
 * native call each, and the analysis asks them millions of times per large scan. All three
 * are already in JS:
 * - each named node type has its own subclass, and the library means to put the type name on
 *   its prototype, but the assignment is silently lost to the inherited getter (0.25.0);
 * - a node object carries tree-sitter's `TSNode.context`: start byte (UTF-16, so twice the
 *   index), start row and start column (bytes).
 * The fast versions are installed only after they give the native answers on every node of
 * a probe file; if a future release changes the layout, the native getters stay.
 *
 * Remembering `parent`, `children` or field children on node objects was tried too: about 4%
 * faster in one thread, but it keeps every node a file's analysis touched alive until the file
 * is done, and the pool's peak RSS on the standard library rose by ~70 MB (issue 6 caps it).
 */
function speedUpNodes(p: ParserType): void {
  const language = p.getLanguage() as LanguageInternals;
  const base = (Parser as unknown as { SyntaxNode: NodeClass }).SyntaxNode;
  const holder = binding as Record<string | symbol, unknown>;
  if (holder[PATCHED]) return;
  holder[PATCHED] = true;
  const namesById = namedTypesById(p);
  const classes = language.nodeSubclasses;
  if (namesById.length === 0 || !classes) return;
  const proto = base.prototype as Record<string, unknown>;
  const original = {
    startIndex: Object.getOwnPropertyDescriptor(proto, 'startIndex'),
    startPosition: Object.getOwnPropertyDescriptor(proto, 'startPosition'),
  };
  const probe = p.parse(PROBE);
  const nativeFacts: string[] = [];
  const collect = (out: string[]): void => {
    const walk = (n: SyntaxNode): void => {
      const fields = ['name', 'body', 'left', 'right', 'function', 'arguments'].map((f) => n.childForFieldName(f)?.startIndex);
      out.push(`${n.type}@${n.startIndex}-${n.endIndex}:${n.startPosition.row}:${n.startPosition.column}:${n.parent?.startIndex}:${n.namedChildren.length}:${fields.join(',')}`);
      for (const c of n.children) walk(c);
    };
    walk(probe.rootNode);
  };
  collect(nativeFacts);
  const typed: object[] = [];
  classes.forEach((cls, id) => {
    const name = namesById[id];
    if (cls === base || !name || Object.prototype.hasOwnProperty.call(cls.prototype, 'type')) return;
    Object.defineProperty(cls.prototype, 'type', { value: name, configurable: true });
    typed.push(cls.prototype);
  });
  Object.defineProperty(proto, 'startIndex', {
    configurable: true,
    get(this: Record<number, number>) {
      return this[2]! >>> 1;
    },
  });
  Object.defineProperty(proto, 'startPosition', {
    configurable: true,
    get(this: Record<number, number>) {
      return { row: this[3]!, column: this[4]! >>> 1 };
    },
  });
  const fastFacts: string[] = [];
  collect(fastFacts);
  if (fastFacts.join('\n') !== nativeFacts.join('\n')) {
    for (const t of typed) delete (t as Record<string, unknown>).type;
    if (original.startIndex) Object.defineProperty(proto, 'startIndex', original.startIndex);
    if (original.startPosition) Object.defineProperty(proto, 'startPosition', original.startPosition);
  }
}

/** Non-ASCII text, nesting, every common node kind: the check that the fast getters agree. */
const PROBE = [
  '# é ünïcode 𝔘 comment',
  'import os, sys as s',
  'from a.b import (c, d as e)',
  '@dec(1)',
  'class K(Base, metaclass=M):',
  '    x: int = 1',
  '    async def m(self, *a, k="ß", **kw) -> None:',
  '        s = f"{a!r:>{k}} — {kw}"',
  '        return [y async for y in a if y] or {k: v for k, v in kw.items()}',
  'try:',
  '    pass',
  'except (E, F) as err:',
  '    raise X from err',
  'match s:',
  '    case [1, *rest] if rest: print("🐍", rest)',
  'lambda q=1: q ** 2',
  'x[1:2, ...] = not y and z is not None',
  '',
].join('\n');

/**
 * Parse Python source. tree-sitter always returns a tree: syntax errors become ERROR
 * and MISSING nodes, and the rest of the file is still analysable.
 *
 * node-tree-sitter reads string input through a buffer of `bufferSize` characters;
 * giving it the whole length makes one native call per file instead of one per 32 KiB.
 */
export function parsePython(source: string): Tree {
  const p = getParser();
  const tree = p.parse(source, null, { bufferSize: Math.max(source.length + 1, 1024) }) as Tree | null;
  if (!tree) {
    // A timed-out parse would resume on the next call: start the next one afresh.
    (p as unknown as { reset(): void }).reset();
    throw new ParseTimeout(parseTimeoutMs);
  }
  return tree;
}
