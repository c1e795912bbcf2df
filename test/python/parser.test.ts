/**
 * parser.ts replaces node-tree-sitter's native `type`, `startIndex` and `startPosition`
 * getters with JS reads, and gives the engine a table of type names and token ids. These tests
 * compare every node of real files against the TreeCursor, which still asks the native side,
 * so a layout change in a future node-tree-sitter fails here.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PARSE_TIMEOUT_MS, ParseTimeout, nodeTypeTable, parsePython, setParseTimeoutMs, type SyntaxNode } from '../../src/python/parser.js';
import { scan } from '../../src/scan/index.js';
import { defaultConfig } from '../../src/config/schema.js';

function pyFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...pyFiles(p));
    else if (name.endsWith('.py')) out.push(p);
  }
  return out;
}

const SOURCES: [string, string][] = [
  ...pyFiles(fileURLToPath(new URL('../corpus', import.meta.url))).map((p): [string, string] => [p, readFileSync(p, 'utf8')]),
  ['unicode and errors', '# 𝔘nïcode\ns = "é𝔘" + f"{x!r}"\ndef broken(:\n    return 1 +\nclass ok: pass\n'],
];

interface Fact {
  type: string;
  start: number;
  end: number;
  row: number;
  column: number;
}

/** Pre-order facts from the cursor (native getters throughout). */
function cursorFacts(source: string): Fact[] {
  const cursor = parsePython(source).walk();
  const out: Fact[] = [];
  for (;;) {
    const p = cursor.startPosition;
    out.push({ type: cursor.nodeType, start: cursor.startIndex, end: cursor.endIndex, row: p.row, column: p.column });
    if (cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) if (!cursor.gotoParent()) return out;
  }
}

/** The same facts from node objects (fast and remembered getters), asked twice. */
function nodeFacts(source: string): Fact[] {
  const out: Fact[] = [];
  const visit = (n: SyntaxNode, parent: SyntaxNode | null): void => {
    const p = n.startPosition;
    out.push({ type: n.type, start: n.startIndex, end: n.endIndex, row: p.row, column: p.column });
    expect(n.endIndex).toBe(out[out.length - 1]!.end);
    expect(n.parent?.startIndex ?? null).toBe(parent?.startIndex ?? null);
    expect(n.parent?.type ?? null).toBe(parent?.type ?? null);
    const first = n.children;
    const count = first.length;
    first.pop(); // a caller changing its copy must not change the next caller's
    expect(n.children.length).toBe(count);
    for (const c of n.children) visit(c, n);
  };
  visit(parsePython(source).rootNode, null);
  return out;
}

describe('the node type table', () => {
  const table = nodeTypeTable();
  const EXTRA = 'x = a is not b and c not in d\nif (y := f()) is not None: pass\nprint(1 if not x else 2)\ndef broken(:\n  ]\n';
  it.each([...SOURCES, ['operators and errors', EXTRA] as [string, string]])('names and leaves agree with the cursor: %s', (_name, source) => {
    const cursor = parsePython(source).walk();
    for (;;) {
      const id = cursor.nodeTypeId;
      const name = table.names[id] ?? table.learn(id, cursor.nodeType);
      expect(name).toBe(cursor.nodeType);
      const descended = cursor.gotoFirstChild();
      // The engine never asks a leaf id for children: none may have any.
      if (descended) expect([name, table.leaf[id]]).toEqual([name, 0]);
      if (descended) continue;
      let done = false;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) {
          done = true;
          break;
        }
      }
      if (done) break;
    }
  });
});

describe('fast node getters agree with the native ones', () => {
  it.each(SOURCES)('%s', (_name, source) => {
    expect(nodeFacts(source)).toEqual(cursorFacts(source));
  });

  it('field children, children and parents read through the fast getters', () => {
    const root = parsePython('def f(a, b=1):\n    return a\n').rootNode;
    const def = root.namedChildren[0]!;
    expect(def.childForFieldName('name')?.text).toBe('f');
    expect(def.childForFieldName('parameters')?.text).toBe('(a, b=1)');
    expect(def.childForFieldName('nope')).toBeNull();
    expect(def.namedChildren.map((c) => c.type)).toEqual(['identifier', 'parameters', 'block']);
    expect(def.childForFieldName('body')?.namedChildren[0]?.type).toBe('return_statement');
  });

  it('is active on this node-tree-sitter (a release that changes the layout disables it: see parser.ts)', () => {
    const node = parsePython('x = 1\n').rootNode.namedChildren[0]!.namedChildren[0]!;
    expect(node.type).toBe('assignment');
    // The type name sits on the node class's prototype as a plain value, not a native getter.
    expect(Object.getOwnPropertyDescriptor(Object.getPrototypeOf(node), 'type')?.value).toBe('assignment');
  });
});

describe('parse time limit', () => {
  afterEach(() => setParseTimeoutMs(PARSE_TIMEOUT_MS));

  it('a parse past the limit throws ParseTimeout, and the next parse starts afresh', () => {
    const big = 'def f(x):\n    return [x + i for i in range(10)]\n'.repeat(20_000);
    setParseTimeoutMs(1);
    expect(() => parsePython(big)).toThrow(ParseTimeout);
    setParseTimeoutMs(PARSE_TIMEOUT_MS);
    expect(parsePython('x = 1\n').rootNode.text).toBe('x = 1\n');
    expect(parsePython(big).rootNode.namedChildCount).toBe(20_000);
  });

  it('scan() skips such a file with a message and checks the others', async () => {
    const big = 'import os\n' + 'def f(x):\n    return [x + i for i in range(10)]\n'.repeat(20_000);
    setParseTimeoutMs(1);
    const r = await scan(
      [
        { path: 'big.py', content: big },
        { path: 'small.py', content: 'import os\nos.system(cmd)\n' },
      ],
      { config: defaultConfig() },
    );
    setParseTimeoutMs(PARSE_TIMEOUT_MS);
    expect(r.skipped).toEqual([{ path: 'big.py', reason: expect.stringMatching(/could not parse it within/) }]);
    expect(r.diagnostics.some((d) => d.path === 'big.py' && d.kind === 'skipped')).toBe(true);
    expect(r.findings.map((f) => f.path)).toContain('small.py');
  });
});
