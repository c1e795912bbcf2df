/**
 * tree-sitter setup: parsing Python into flat trees (flat-tree.ts). One parser per thread,
 * reused for every file: creating parsers is cheap but setting the language allocates, and
 * there is no reason to repeat it.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type ParserType from 'tree-sitter';
import {
  ERROR_SYMBOL,
  FLAG_HAS_ERROR,
  FLAG_MISSING,
  FLAG_NAMED,
  FLAG_EXTRA,
  FlatTree,
  Grammar,
  STRIDE,
  type FlatCursor,
  type FlatNode,
} from './flat-tree.js';

export type SyntaxNode = FlatNode;
export type Tree = FlatTree;
export type TreeCursor = FlatCursor;

const require = createRequire(import.meta.url);
const Python = require('tree-sitter-python') as unknown;
const SHARED = Symbol.for('pysec.tree-sitter');

/**
 * node-tree-sitter, loaded on first use: with pysec's addon only the JS fallback and the
 * benchmark's yardstick need it, and every scan thread would otherwise load it (~25 ms).
 */
function nodeTreeSitter(): { binding: Record<symbol, unknown>; Parser: typeof ParserType } {
  const treeSitterPackage = require.resolve('tree-sitter/package.json');
  const gypBuild = createRequire(treeSitterPackage)('node-gyp-build') as (dir: string) => Record<symbol, unknown>;
  // One module instance per native binding, even where a test runner gives each test file its
  // own module registry: the binding is loaded once per process.
  const binding = gypBuild(dirname(treeSitterPackage));
  const Parser = (binding[SHARED] ??= require('tree-sitter')) as typeof ParserType;
  return { binding, Parser };
}

interface NativeTrees {
  init(language: unknown): {
    symbols: (string | null)[];
    fields: (string | null)[];
    /** Parses use the grammar compiled into the addon (native/runtime.c); absent from older builds. */
    builtInGrammar?: boolean;
  };
  parse(source: string, timeoutMs: number, into?: ArrayBuffer): ArrayBuffer | number | null;
  stride: number;
  /** Built with a training profile (scripts/build-native.mjs); absent from older builds. */
  profiled?: boolean;
}

/**
 * pysec's own addon (native/flat.c), built by `npm install`. Without it (no C compiler where
 * pysec was installed, or PYSEC_TREES=js), trees are flattened in JS from node-tree-sitter's
 * cursor instead: the same records and the same results, about twice as slow (an in-process
 * scan of the Python standard library took 16.5-22 s instead of 8.1-8.5 s).
 */
function loadNative(): NativeTrees | null {
  if (process.env.PYSEC_TREES === 'js') return null;
  try {
    const addon = require('../../native/build/Release/pysec_tree.node') as NativeTrees;
    return addon.stride === STRIDE ? addon : null;
  } catch {
    return null;
  }
}

let native: NativeTrees | null | undefined;
let grammar: Grammar | undefined;
let builtInGrammar = false;
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
  if (parser) applyTimeout(parser);
}

// Missing from node-tree-sitter's type declarations, present on its parser since 0.20.
function applyTimeout(p: ParserType): void {
  (p as unknown as { setTimeoutMicros(us: number): void }).setTimeoutMicros(parseTimeoutMs * 1000);
}

export class ParseTimeout extends Error {
  constructor(readonly ms: number) {
    super(`tree-sitter could not parse it within ${ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`}`);
    this.name = 'ParseTimeout';
  }
}

/** node-tree-sitter's parser for Python (the fallback, and the reference the tests compare with). */
export function getParser(): ParserType {
  if (!parser) {
    parser = new (nodeTreeSitter().Parser)();
    parser.setLanguage(Python as ParserType.Language);
    applyTimeout(parser);
  }
  return parser;
}

/** Which producer makes this thread's trees: 'native' (native/flat.c) or 'js'. */
export function treeBackend(): 'native' | 'js' {
  setUp();
  return native ? 'native' : 'js';
}

/**
 * Whether the native addon parses with the grammar compiled into it (native/runtime.c), which
 * it does whenever that is the same grammar as tree-sitter-python's (always, as npm installs).
 */
export function nativeGrammarBuiltIn(): boolean {
  setUp();
  return native !== null && builtInGrammar;
}

/** Whether the native addon in use was built with a training profile (GCC builds are). */
export function nativeProfiled(): boolean {
  setUp();
  return native?.profiled === true;
}

function setUp(): Grammar {
  if (grammar) return grammar;
  native = loadNative();
  const language = (Python as { language: unknown }).language;
  if (native) {
    try {
      const info = native.init(language);
      builtInGrammar = info.builtInGrammar === true;
      grammar = new Grammar(info.symbols, info.fields);
      return grammar;
    } catch {
      native = null;
    }
  }
  const b = nodeTreeSitter().binding as unknown as {
    getNodeTypeNamesById(l: unknown): (string | null)[];
    getNodeFieldNamesById(l: unknown): (string | null)[];
  };
  const l = getParser().getLanguage();
  // Names of anonymous symbols are not exported by node-tree-sitter: they are learnt as met.
  grammar = new Grammar(b.getNodeTypeNamesById(l), b.getNodeFieldNamesById(l));
  return grammar;
}

/** The grammar's names for this thread's trees. */
export function pythonGrammar(): Grammar {
  return setUp();
}

export interface ParseOptions {
  /**
   * Put the records in this thread's reusable buffer rather than a new one. The tree is then
   * valid only until the next such parse: for a caller that is done with each tree before it
   * parses the next file (the engine), it spares the garbage collector one buffer per file.
   */
  reuse?: boolean;
}

/** The reusable buffer; a file bigger than REUSE_MAX_BYTES gets a buffer of its own. */
let reusable: ArrayBuffer | undefined;
const REUSE_MAX_BYTES = 32 * 1024 * 1024;

/**
 * The node slots of the tree in the reusable buffer, reused with it: a big file's slots were
 * a large array per file, which lived as long as its analysis and so was copied out of the
 * young generation, then left as garbage for a full collection.
 */
let reusableNodes: (FlatNode | undefined)[] = [];
/** How many of them the last tree could have filled (cleared before the next one). */
let reusableNodesUsed = 0;

function nodesFor(count: number): (FlatNode | undefined)[] {
  // A new array rather than a longer length: growing an array far past its size can turn it
  // into a dictionary. Otherwise the last tree's nodes are cleared: they must not outlive it
  // here (they hold its source and records).
  if (reusableNodes.length < count) reusableNodes = new Array<FlatNode | undefined>(Math.max(count, reusableNodes.length * 2));
  else reusableNodes.fill(undefined, 0, reusableNodesUsed);
  reusableNodesUsed = count;
  return reusableNodes;
}

/**
 * Parse Python source. tree-sitter always returns a tree: syntax errors become ERROR
 * and MISSING nodes, and the rest of the file is still analysable.
 */
export function parsePython(source: string, options: ParseOptions = {}): Tree {
  const g = setUp();
  if (native) {
    const answer = native.parse(source, parseTimeoutMs, options.reuse ? reusable : undefined);
    if (answer === null) throw new ParseTimeout(parseTimeoutMs);
    if (typeof answer === 'number') return new FlatTree(source, new Int32Array(reusable!, 0, answer * STRIDE), g, nodesFor(answer));
    if (options.reuse && answer.byteLength <= REUSE_MAX_BYTES) {
      // Keep the bigger buffer, with room to spare so slightly bigger files still fit.
      reusable = new ArrayBuffer(Math.min(REUSE_MAX_BYTES, Math.max(answer.byteLength * 2, 1 << 20)));
    }
    return new FlatTree(source, new Int32Array(answer), g);
  }
  return new FlatTree(source, flattenWithNodeTreeSitter(source, g), g);
}

/** The records of native/flat.c, built from node-tree-sitter's cursor. */
export function flattenWithNodeTreeSitter(source: string, g: Grammar): Int32Array {
  const p = getParser();
  // node-tree-sitter reads string input through a buffer of `bufferSize` characters; giving it
  // the whole length makes one native call per file instead of one per 32 KiB.
  const tree = p.parse(source, null, { bufferSize: Math.max(source.length + 1, 1024) }) as ParserType.Tree | null;
  if (!tree) {
    // A timed-out parse would resume on the next call: start the next one afresh.
    (p as unknown as { reset(): void }).reset();
    throw new ParseTimeout(parseTimeoutMs);
  }
  let out = new Int32Array(STRIDE * 1024);
  const cursor = tree.walk();
  const stack: number[] = [];
  let n = 0;
  for (;;) {
    if ((n + 1) * STRIDE > out.length) {
      const grown = new Int32Array(out.length * 2);
      grown.set(out);
      out = grown;
    }
    const symbol = cursor.nodeTypeId;
    const type = g.typeName(symbol) || g.learn(symbol, cursor.nodeType);
    let flags = (cursor.nodeIsNamed ? FLAG_NAMED : 0) | (cursor.nodeIsMissing ? FLAG_MISSING : 0);
    // ERROR and MISSING nodes say themselves whether they count as errors (an ERROR token the
    // lexer made from one stray character does not); the rest inherit it from their children.
    if ((symbol === ERROR_SYMBOL || flags & FLAG_MISSING) && cursor.currentNode.hasError) flags |= FLAG_HAS_ERROR;
    // The cursor does not say whether a node is an extra; only these types can be (the grammar's
    // extras, and ERROR where error recovery skipped tokens), and only they pay for asking.
    if ((type === 'comment' || type === 'line_continuation' || symbol === ERROR_SYMBOL) && cursor.currentNode.isExtra) flags |= FLAG_EXTRA;
    const r = n * STRIDE;
    const sp = cursor.startPosition;
    const ep = cursor.endPosition;
    out[r] = symbol | flags;
    out[r + 1] = stack.length > 0 ? cursor.currentFieldId : 0;
    out[r + 2] = stack.length > 0 ? stack[stack.length - 1]! : -1;
    out[r + 4] = cursor.startIndex;
    out[r + 5] = cursor.endIndex;
    out[r + 6] = sp.row;
    out[r + 7] = sp.column;
    out[r + 8] = ep.row;
    out[r + 9] = ep.column;
    n++;
    if (cursor.gotoFirstChild()) {
      stack.push(n - 1);
      continue;
    }
    out[(n - 1) * STRIDE + 3] = n;
    let done = false;
    while (!cursor.gotoNextSibling()) {
      const parentIndex = stack.pop();
      if (parentIndex === undefined || !cursor.gotoParent()) {
        done = true;
        break;
      }
      out[parentIndex * STRIDE + 3] = n;
    }
    if (done) break;
  }
  for (let i = stack.length - 1; i >= 0; i--) out[stack[i]! * STRIDE + 3] = n;
  // has-error: an ERROR or MISSING node, or an ancestor of one (pre-order: children after parents).
  for (let i = n - 1; i > 0; i--) {
    const parentRecord = out[i * STRIDE + 2]! * STRIDE;
    if (out[i * STRIDE]! & FLAG_HAS_ERROR) out[parentRecord] = out[parentRecord]! | FLAG_HAS_ERROR;
  }
  return out.slice(0, n * STRIDE);
}
