/**
 * Fuzzing the engine (issue 6): generated and mutated Python sources through `analyzeSource`
 * with every rule, and through `scan()` next to a manifest or two.
 *
 * Properties: nothing throws, no rule crashes (a `rule-error` diagnostic is a bug), findings
 * have sane positions and 32-hex fingerprints, and no single input takes more than 2 s
 * (catastrophic regex backtracking).
 *
 * Sizes: `npm test` runs a small, deterministic set (fixed seed); `npm run fuzz` sets
 * PYSEC_FUZZ_RUNS (total cases across all fuzz files) and a random seed unless
 * PYSEC_FUZZ_SEED is given. fast-check prints the seed and the shrunk input on failure.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { params, TIMEOUT, timed, timedAsync } from './runs.js';
import { analyzeSource, type FileAnalysis } from '../../src/core/engine.js';
import { allRules, unusedSuppressionRule } from '../../src/rules/index.js';
import { scan } from '../../src/scan/index.js';
import { defaultConfig } from '../../src/config/schema.js';
import type { Diagnostic, Finding } from '../../src/core/types.js';

// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// Checks

function lineCount(text: string): number {
  let n = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

function checkDiagnostics(diagnostics: readonly Diagnostic[]): void {
  const errors = diagnostics.filter((d) => d.kind === 'rule-error');
  if (errors.length > 0) throw new Error(`rule errors: ${JSON.stringify(errors)}`);
}

function checkFinding(f: Finding, text: string): void {
  const lines = lineCount(text);
  const { start, end } = f.range;
  const where = `${f.ruleId} ${JSON.stringify(f.range)} in ${lines} lines`;
  if (!Number.isInteger(start.line) || start.line < 1 || start.line > lines) throw new Error(`bad start line: ${where}`);
  if (!Number.isInteger(end.line) || end.line < 1 || end.line > lines) throw new Error(`bad end line: ${where}`);
  if (!(start.column >= 1) || !(end.column >= 1)) throw new Error(`bad column: ${where}`);
  if (start.line > end.line || (start.line === end.line && start.column > end.column)) throw new Error(`start after end: ${where}`);
  if (f.statementLines.start < 1 || f.statementLines.end > lines || f.statementLines.start > f.statementLines.end) {
    throw new Error(`bad statement lines: ${f.ruleId} ${JSON.stringify(f.statementLines)} in ${lines} lines`);
  }
  if (!/^[0-9a-f]{32}$/.test(f.fingerprint)) throw new Error(`bad fingerprint: ${f.ruleId} ${f.fingerprint}`);
}

function checkAnalysis(r: FileAnalysis, source: string): void {
  checkDiagnostics(r.diagnostics);
  for (const f of r.findings) checkFinding(f, source);
  for (const s of r.suppressed) checkFinding(s.finding, source);
  for (const l of r.syntaxErrors) if (l < 1 || l > lineCount(source)) throw new Error(`bad syntax error line ${l}`);
}

function analyze(source: string): FileAnalysis {
  return timed('analyzeSource', () =>
    analyzeSource('pkg/mod.py', source, allRules, { reportUnusedSuppressions: true }, unusedSuppressionRule),
  );
}

// ---------------------------------------------------------------------------------------------
// Python-ish source generator

const NAMES = ['x', 'y', 'data', 'request', 'cmd', 'user', 'password', 'token', 'self', 'cls', 'os', 'db', 'cursor', 'path', 'f', 'ß', 'λ', 'app'];
const MODULES = [
  'os', 'os.path', 'subprocess', 'yaml', 'pickle', 'marshal', 'hashlib', 'random', 'requests', 'sqlite3', 'flask',
  'django.db', 'jinja2', 'xml.etree.ElementTree', 'tempfile', 'ssl', 'logging', 'shelve', 'telnetlib', 'ftplib', 'urllib3',
];
const SINKS = [
  'eval', 'exec', 'compile', 'open', 'input', '__import__', 'getattr', 'print',
  'subprocess.run', 'subprocess.Popen', 'subprocess.call', 'subprocess.check_output', 'os.system', 'os.popen', 'os.chmod',
  'yaml.load', 'yaml.safe_load', 'pickle.loads', 'pickle.load', 'marshal.loads', 'hashlib.md5', 'hashlib.sha1', 'hashlib.new',
  'random.random', 'random.choice', 'requests.get', 'requests.post', 'cursor.execute', 'db.execute', 'conn.executemany',
  'jinja2.Environment', 'tempfile.mktemp', 'ssl._create_unverified_context', 'logging.info', 'logger.debug', 'app.run',
  'flask.render_template_string', 'Markup', 'mark_safe', 'assert_', 'jwt.decode', 'xml.etree.ElementTree.parse',
  'ET.fromstring', 'sp.run', 'S', 'request.args.get', 'request.form', 'session.get', 'urllib.request.urlopen',
];
const KWARGS = [
  'shell=True', 'shell=False', 'verify=False', 'Loader=yaml.Loader', 'Loader=yaml.SafeLoader', 'debug=True', 'timeout=None',
  'autoescape=False', 'check=True', 'usedforsecurity=False', 'options={"verify_signature": False}', 'algorithms=["none"]',
  'host="0.0.0.0"', 'mode=0o777', '**kw',
];

const ident = fc.oneof(fc.constantFrom(...NAMES), fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,6}$/));

const strBody = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.constantFrom('SELECT * FROM t WHERE id = ', 'rm -rf ', '\\n', '\\x00', '\\u00e9', "it's", '"quoted"', '\\', '{', '}', '{{', '%s', 'AKIAIOSFODNN7EXAMPLE', 'http://example.com', 'password123'),
);
const stringLit = fc.tuple(fc.constantFrom('', 'r', 'b', 'rb', 'u', 'R', 'B'), fc.constantFrom("'", '"', "'''", '"""'), strBody, fc.boolean()).map(
  ([prefix, q, body, escape]) => {
    const b = escape ? body.replace(/\\/g, '\\\\').split(q[0] as string).join(`\\${q[0]}`).replace(/\n/g, '\\n') : body;
    return `${prefix}${q}${b}${q}`;
  },
);

const pyExpr: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    ident,
    stringLit,
    fc.integer({ min: -5, max: 100000 }).map(String),
    fc.constantFrom('None', 'True', 'False', '...', '0o777', '1e9', '0x1F', '3.14j'),
    fc.tuple(fc.constantFrom(...SINKS), fc.array(fc.oneof(tie('expr'), fc.constantFrom(...KWARGS)), { maxLength: 4 })).map(
      ([f, args]) => `${f}(${args.join(', ')})`,
    ),
    fc.tuple(tie('expr'), ident).map(([e, a]) => `${e}.${a}`),
    fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `${a}[${b}]`),
    fc.tuple(tie('expr'), fc.constantFrom('+', '%', '*', '==', ' and ', ' or ', ' if x else ', ' in ', '|', '@', ':='), tie('expr')).map(
      ([a, op, b]) => `${a} ${op} ${b}`,
    ),
    fc.tuple(fc.constantFrom('f', 'rf', 'F', 'fr'), fc.constantFrom("'", '"'), fc.array(fc.oneof(strBody.map((s) => s.replace(/[{}'"\\\n]/g, '')), tie('expr').map((e) => `{${e}}`), tie('expr').map((e) => `{${e}!r:>10}`)), { maxLength: 3 })).map(
      ([p, q, parts]) => `${p}${q}${parts.join('')}${q}`,
    ),
    fc.tuple(ident, tie('expr')).map(([a, e]) => `lambda ${a}: ${e}`),
    fc.tuple(tie('expr'), ident, tie('expr')).map(([e, v, it]) => `[${e} for ${v} in ${it}]`),
    fc.tuple(tie('expr'), tie('expr'), ident, tie('expr'), tie('expr')).map(([k, v, n, it, c]) => `{${k}: ${v} for ${n} in ${it} if ${c}}`),
    fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `(${a}, ${b})`),
    fc.tuple(stringLit, fc.array(tie('expr'), { maxLength: 2 })).map(([s, a]) => `${s}.format(${a.join(', ')})`),
    tie('expr').map((e) => `await ${e}`),
    tie('expr').map((e) => `not ${e}`),
    tie('expr').map((e) => `*${e}`),
  ),
})).expr;

const COMMENTS = fc.oneof(
  fc.constantFrom(
    '# pysec: ignore', '# pysec: ignore[dynamic-code-execution]', '# pysec: ignore[shell-injection, weak-hash]', '# pysec: ignore[',
    '# pysec:ignore[unknown-rule]', '# nosec', '# nosec B602', '# nosec: B602,B307', '# noqa', '# noqa: S602', '# noqa:S307,E501',
    '# type: ignore', '# -*- coding: utf-8 -*-', '# pysec: ignore[]', '#',
  ),
  fc.string({ maxLength: 10 }).map((s) => `# ${s.replace(/[\r\n]/g, '')}`),
);

type Stmt = { line: string; body?: Stmt[] };

const simpleStmt: fc.Arbitrary<Stmt> = fc.oneof(
  fc.tuple(fc.constantFrom(...MODULES), fc.option(ident, { nil: undefined })).map(([m, a]) => ({ line: a ? `import ${m} as ${a}` : `import ${m}` })),
  fc.tuple(fc.constantFrom(...MODULES), ident, fc.option(ident, { nil: undefined })).map(([m, n, a]) => ({ line: `from ${m} import ${n}${a ? ` as ${a}` : ''}` })),
  fc.constantFrom('from . import views', 'from .models import *', 'from __future__ import annotations').map((line) => ({ line })),
  fc.tuple(ident, pyExpr).map(([n, e]) => ({ line: `${n} = ${e}` })),
  fc.tuple(ident, pyExpr).map(([n, e]) => ({ line: `${n} += ${e}` })),
  fc.tuple(ident, ident, pyExpr).map(([n, t, e]) => ({ line: `${n}: ${t} = ${e}` })),
  pyExpr.map((e) => ({ line: e })),
  pyExpr.map((e) => ({ line: `return ${e}` })),
  pyExpr.map((e) => ({ line: `assert ${e}, "msg"` })),
  fc.constantFrom('pass', 'break', 'continue', 'raise', 'global x', 'nonlocal y', 'del x', 'yield', 'return').map((line) => ({ line })),
  fc.tuple(pyExpr, COMMENTS).map(([e, c]) => ({ line: `${e}  ${c}` })),
  COMMENTS.map((c) => ({ line: c })),
);

const DECORATORS = fc.constantFrom(
  '@app.route("/x", methods=["GET", "POST"])', '@login_required', '@csrf_exempt', '@staticmethod', '@property', '@functools.lru_cache()',
  '@app.get("/items/{id}")', '@permission_classes([AllowAny])', '@require_http_methods(["POST"])',
);

const stmts: fc.Arbitrary<Stmt[]> = fc.letrec<{ block: Stmt[]; stmt: Stmt }>((tie) => ({
  block: fc.array(tie('stmt'), { minLength: 1, maxLength: 5 }),
  stmt: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    simpleStmt,
    fc.tuple(fc.array(DECORATORS, { maxLength: 2 }), fc.boolean(), ident, fc.array(ident, { maxLength: 3 }), tie('block')).map(([decs, isAsync, n, ps, body]) => ({
      line: `${decs.map((d) => `${d}\n`).join('')}${isAsync ? 'async ' : ''}def ${n}(${ps.join(', ')}):`,
      body,
    })),
    fc.tuple(ident, fc.option(ident, { nil: undefined }), tie('block')).map(([n, base, body]) => ({ line: `class ${n}${base ? `(${base})` : ''}:`, body })),
    fc.tuple(pyExpr, tie('block')).map(([c, body]) => ({ line: `if ${c}:`, body })),
    fc.tuple(ident, pyExpr, tie('block')).map(([v, it, body]) => ({ line: `for ${v} in ${it}:`, body })),
    fc.tuple(pyExpr, tie('block')).map(([c, body]) => ({ line: `while ${c}:`, body })),
    fc.tuple(pyExpr, ident, tie('block')).map(([e, n, body]) => ({ line: `with ${e} as ${n}:`, body })),
    tie('block').map((body) => ({ line: 'try:', body })),
    tie('block').map((body) => ({ line: 'except Exception as e:', body })),
    tie('block').map((body) => ({ line: 'else:', body })),
    fc.tuple(pyExpr, tie('block')).map(([e, body]) => ({ line: `match ${e}:\n    case _:`, body })),
  ),
})).block;

/** Rendered with a random indentation unit, and now and then a wrong indentation or line ending. */
const pySource: fc.Arbitrary<string> = fc
  .tuple(stmts, fc.constantFrom('    ', '  ', '\t', ' '), fc.array(fc.nat(3), { maxLength: 40 }), fc.constantFrom('\n', '\n', '\r\n', '\r'))
  .map(([body, unit, jitter, eol]) => {
    const out: string[] = [];
    let k = 0;
    const render = (list: Stmt[], depth: number): void => {
      for (const s of list) {
        const j = jitter[k++ % Math.max(1, jitter.length)] ?? 0;
        const pad = unit.repeat(depth) + (j === 3 ? ' ' : '');
        for (const l of s.line.split('\n')) out.push(pad + l);
        if (s.body) render(s.body, depth + 1 + (j === 2 ? 1 : 0));
      }
    };
    render(body, 0);
    return out.join(eol) + eol;
  });

// ---------------------------------------------------------------------------------------------
// Mutations of real files

function pyFiles(dir: string, out: string[] = []): string[] {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) pyFiles(p, out);
    else if (e.name.endsWith('.py')) out.push(readFileSync(p, 'utf8'));
  }
  return out;
}
const ROOT = join(import.meta.dirname, '..', '..');
const REAL_PY = [...pyFiles(join(ROOT, 'examples')), ...pyFiles(join(ROOT, 'test', 'fixtures'))];

type Mutation =
  | { op: 'delete' | 'duplicate' | 'swap' | 'truncate'; a: number; b: number }
  | { op: 'insert'; a: number; text: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constantFrom('delete', 'duplicate', 'swap', 'truncate') as fc.Arbitrary<'delete' | 'duplicate' | 'swap' | 'truncate'>, a: fc.nat(), b: fc.nat(200) }),
  fc.record({
    op: fc.constant('insert' as const),
    a: fc.nat(),
    text: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 6 }), fc.constantFrom('"""', "'", '(', ')', ':', '\n    ', '\t', '\\', '# nosec', '\u2028', '\0', '\uFEFF', '\uD800')),
  }),
);

function mutate(text: string, ms: readonly Mutation[]): string {
  let t = text;
  for (const m of ms) {
    const a = t.length === 0 ? 0 : m.a % (t.length + 1);
    if (m.op === 'insert') {
      t = t.slice(0, a) + m.text + t.slice(a);
      continue;
    }
    const b = Math.min(t.length, a + m.b);
    switch (m.op) {
      case 'delete':
        t = t.slice(0, a) + t.slice(b);
        break;
      case 'duplicate':
        t = t.slice(0, b) + t.slice(a, b) + t.slice(b);
        break;
      case 'swap': {
        const c = Math.min(t.length, b + m.b);
        t = t.slice(0, a) + t.slice(b, c) + t.slice(a, b) + t.slice(c);
        break;
      }
      case 'truncate':
        t = t.slice(0, a);
        break;
    }
  }
  return t;
}

const mutatedPy = fc.tuple(fc.constantFrom(...REAL_PY), fc.array(mutation, { minLength: 1, maxLength: 6 })).map(([t, ms]) => mutate(t, ms));

const REQUIREMENTS = readFileSync(join(ROOT, 'examples', 'vulnerable-flask', 'requirements.txt'), 'utf8');
const DOCKERFILE = readFileSync(join(ROOT, 'examples', 'vulnerable-flask', 'Dockerfile'), 'utf8');

// ---------------------------------------------------------------------------------------------

describe('fuzz: engine', () => {
  it('has real Python files to mutate', () => {
    expect(REAL_PY.length).toBeGreaterThanOrEqual(3);
  });

  it(
    'generated Python sources: no throw, no rule error, sane findings, < 2 s each',
    () => {
      fc.assert(
        fc.property(pySource, (src) => {
          checkAnalysis(analyze(src), src);
        }),
        params(500, 0.35),
      );
    },
    TIMEOUT,
  );

  it(
    'mutated real files: no throw, no rule error, sane findings, < 2 s each',
    () => {
      fc.assert(
        fc.property(mutatedPy, (src) => {
          checkAnalysis(analyze(src), src);
        }),
        params(300, 0.2),
      );
    },
    TIMEOUT,
  );

  it(
    'scan() with generated sources and mutated manifests never throws',
    async () => {
      const config = defaultConfig();
      const now = new Date('2026-01-01T00:00:00Z');
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(pySource, mutatedPy),
          fc.array(mutation, { maxLength: 3 }),
          fc.array(mutation, { maxLength: 3 }),
          async (src, mr, md) => {
            const req = mutate(REQUIREMENTS, mr);
            const docker = mutate(DOCKERFILE, md);
            const texts = new Map([
              ['app/main.py', src],
              ['requirements.txt', req],
              ['Dockerfile', docker],
            ]);
            const r = await timedAsync('scan', () =>
              scan(
                [
                  { path: 'app/main.py', content: src },
                  { path: 'requirements.txt', content: req, kind: 'manifest' },
                  { path: 'Dockerfile', content: docker, kind: 'manifest' },
                ],
                { config, now },
              ),
            );
            checkDiagnostics(r.diagnostics);
            for (const f of [...r.findings, ...r.suppressed.map((s) => s.finding)]) {
              const text = texts.get(f.path);
              if (text === undefined) throw new Error(`finding for unknown path ${f.path}`);
              checkFinding(f, text);
            }
          },
        ),
        params(150, 0.1),
      );
    },
    TIMEOUT,
  );
});
