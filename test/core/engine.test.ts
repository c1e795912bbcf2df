import { describe, expect, it } from '@jest/globals';
import { analyzeSource } from '../../src/core/engine.js';
import { createRule, type Rule } from '../../src/core/types.js';
import type { RuleContext } from '../../src/core/context.js';
import type { SyntaxNode } from '../../src/python/parser.js';
import { unusedSuppressionRule } from '../../src/rules/index.js';
import { dedent } from '../helpers/rule-tester.js';

function testRule(id: string, create: (ctx: RuleContext) => ReturnType<Rule['create']>, extra: Partial<Rule['meta']> = {}): Rule {
  return createRule({
    meta: {
      id,
      area: 'secure-coding',
      summary: 'test rule',
      severity: 'high',
      confidence: 'high',
      cwe: ['CWE-000'],
      owasp: [],
      messages: { hit: 'hit {{name}}' },
      docs: { whatItDoes: '', whyBad: '', example: '', useInstead: '', fixSafety: '', references: [] },
      fixable: false,
      ...extra,
    },
    create,
  });
}

/** Reports every call, with the callee's qualified name. */
const callNames = testRule(
  'call-names',
  (ctx) => ({
    call(node: SyntaxNode) {
      ctx.report({ node, messageId: 'hit', data: { name: ctx.calleeName(node) ?? '<unresolved>' } });
    },
  }),
  { bandit: ['B999'], ruff: ['S999'] },
);

function names(code: string): string[] {
  return analyzeSource('t.py', dedent(code), [callNames]).findings.map((f) => f.message.replace(/^hit /, ''));
}

describe('qualified names', () => {
  const table: [string, string, string[]][] = [
    ['import alias', 'import hashlib as h\nh.md5(x)', ['hashlib.md5']],
    ['from-import alias', 'from subprocess import Popen as P\nP(cmd)', ['subprocess.Popen']],
    ['dotted import binds the package', 'import os.path\nos.path.join(a, b)', ['os.path.join']],
    ['aliased dotted import', 'import xml.etree.ElementTree as ET\nET.parse(f)', ['xml.etree.ElementTree.parse']],
    ['builtin', 'eval(x)', ['eval']],
    ['unknown name', 'foo(x)', ['<unresolved>']],
    ['module-level def shadows builtin', 'def open(p):\n    pass\nopen(x)', ['<unresolved>']],
    [
      'parameter shadows import',
      'import pickle\ndef f(pickle):\n    pickle.loads(x)',
      ['<unresolved>'],
    ],
    [
      'assignment later in the function makes the name local',
      'import pickle\ndef f():\n    pickle.loads(x)\n    pickle = None',
      ['<unresolved>'],
    ],
    ['import inside a function', 'def f():\n    import yaml as y\n    y.load(s)', ['yaml.load']],
    ['function-local import does not leak', 'def f():\n    import yaml as y\ny.load(s)', ['<unresolved>']],
    ['nested function sees the outer import', 'def f():\n    import os\n    def g():\n        os.system(c)', ['os.system']],
    [
      'class scope is not visible from methods',
      'class C:\n    import os as o\n    def m(self):\n        o.system(c)',
      ['<unresolved>'],
    ],
    ['global declaration reaches the module import', 'import os\ndef f():\n    global os\n    os.system(c)', ['os.system']],
    ['relative import', 'from . import utils\nutils.run(x)', ['.utils.run']],
    ['first of several imports wins', 'try:\n    import simplejson as json\nexcept ImportError:\n    import json\njson.loads(s)', ['simplejson.loads']],
    ['comprehension variable does not leak', 'import os\n[os for os in xs]\nos.system(c)', ['os.system']],
    ['parenthesised callee', 'import os\n(os.system)(c)', ['os.system']],
    ['call on a call result is unresolved', 'import ssl\nssl.create_default_context().wrap_socket(s)', ['<unresolved>', 'ssl.create_default_context']],
  ];
  for (const [name, code, expected] of table) {
    it(name, () => expect(names(code)).toEqual(expected));
  }
});

describe('dispatch', () => {
  it('calls enter and exit visitors in document order, then module:exit', () => {
    const log: string[] = [];
    const rule = testRule('order', () => ({
      function_definition: (n: SyntaxNode) => log.push(`enter ${n.childForFieldName('name')?.text}`),
      'function_definition:exit': (n: SyntaxNode) => log.push(`exit ${n.childForFieldName('name')?.text}`),
      'module:exit': () => log.push('module:exit'),
    }));
    analyzeSource('t.py', 'def a():\n    def b():\n        pass\ndef c():\n    pass\n', [rule]);
    expect(log).toEqual(['enter a', 'enter b', 'exit b', 'exit a', 'enter c', 'exit c', 'module:exit']);
  });

  it('dispatches each node to every rule that asks for its type', () => {
    const seen: string[] = [];
    const r1 = testRule('r1', () => ({ call: () => seen.push('r1') }));
    const r2 = testRule('r2', () => ({ call: () => seen.push('r2'), attribute: () => seen.push('r2-attr') }));
    analyzeSource('t.py', 'a.b(c)\n', [r1, r2]);
    expect(seen).toEqual(['r1', 'r2', 'r2-attr']);
  });

  it('isolates a rule that throws: others still report, the failure is a diagnostic', () => {
    const broken = testRule('broken', () => ({
      call() {
        throw new Error('boom');
      },
    }));
    const r = analyzeSource('t.py', 'eval(x)\n', [broken, callNames]);
    expect(r.findings.map((f) => f.ruleId)).toEqual(['call-names']);
    expect(r.diagnostics).toEqual([expect.objectContaining({ kind: 'rule-error', ruleId: 'broken', path: 't.py' })]);
    expect(r.diagnostics[0]?.message).toContain('boom');
  });

  it('isolates a rule whose create() throws', () => {
    const broken = testRule('broken-create', () => {
      throw new Error('bad setup');
    });
    const r = analyzeSource('t.py', 'eval(x)\n', [broken, callNames]);
    expect(r.findings).toHaveLength(1);
    expect(r.diagnostics[0]?.ruleId).toBe('broken-create');
  });

  it('drops the partial findings of a rule that failed part-way', () => {
    let n = 0;
    const flaky = testRule('flaky', (ctx) => ({
      call(node: SyntaxNode) {
        ctx.report({ node, messageId: 'hit', data: { name: 'x' } });
        if (++n === 2) throw new Error('second call');
      },
    }));
    const r = analyzeSource('t.py', 'a()\nb()\nc()\n', [flaky]);
    expect(r.findings).toEqual([]);
    expect(r.diagnostics).toHaveLength(1);
  });

  it('rejects unknown message ids as a rule error', () => {
    const wrong = testRule('wrong-id', (ctx) => ({ call: (node: SyntaxNode) => ctx.report({ node, messageId: 'nope' }) }));
    const r = analyzeSource('t.py', 'a()\n', [wrong]);
    expect(r.findings).toEqual([]);
    expect(r.diagnostics[0]?.message).toContain('nope');
  });
});

describe('syntax errors', () => {
  it('still analyses a file that does not parse cleanly and says where it broke', () => {
    const r = analyzeSource('t.py', 'def broken(:\n    pass\n\neval(x)\n', [callNames]);
    expect(r.syntaxErrors.length).toBeGreaterThan(0);
    expect(r.syntaxErrors[0]).toBe(1);
    expect(r.findings.map((f) => f.message)).toContain('hit eval');
  });

  it('reports no syntax errors for valid code', () => {
    expect(analyzeSource('t.py', 'x = 1\n', [callNames]).syntaxErrors).toEqual([]);
  });
});

describe('suppressions', () => {
  const cases: [string, string, number][] = [
    ['pysec ignore with the rule id', 'eval(x)  # pysec: ignore[call-names]', 0],
    ['pysec ignore with several ids', 'eval(x)  # pysec: ignore[other, call-names]', 0],
    ['pysec ignore with another id only', 'eval(x)  # pysec: ignore[other-rule]', 1],
    ['bare pysec ignore', 'eval(x)  # pysec: ignore', 0],
    ['bare nosec', 'eval(x)  # nosec', 0],
    ['nosec with a matching Bandit id', 'eval(x)  # nosec B999', 0],
    ['nosec with colon and list', 'eval(x)  # nosec: B101, B999', 0],
    ['nosec with another Bandit id', 'eval(x)  # nosec B101', 1],
    ['noqa with the Ruff code', 'eval(x)  # noqa: S999', 0],
    ['noqa with other codes', 'eval(x)  # noqa: E501, S101', 1],
    ['bare noqa is not a security suppression', 'eval(x)  # noqa', 1],
    ['combined directives', 'eval(x)  # noqa: E501  # nosec', 0],
    ['on another line of a multi-line statement', 'eval(\n    x,  # pysec: ignore[call-names]\n)', 0],
    ['on the line above does not count', '# pysec: ignore[call-names]\neval(x)', 1],
    ['inside a block does not silence the if header', 'if eval(x):\n    pass  # pysec: ignore', 1],
    ['on the header of a compound statement', 'if eval(x):  # pysec: ignore\n    pass', 0],
    ['case-insensitive id', 'eval(x)  # pysec: ignore[CALL-NAMES]', 0],
    ['inside a string is not a comment', 'eval("# pysec: ignore")', 1],
  ];
  for (const [name, code, expected] of cases) {
    it(name, () => {
      const r = analyzeSource('t.py', `${code}\n`, [callNames]);
      expect(r.findings).toHaveLength(expected);
      expect(r.suppressed).toHaveLength(1 - expected);
    });
  }

  it('matches aliases (renamed rule ids keep working)', () => {
    const renamed = testRule('new-name', (ctx) => ({ call: (node: SyntaxNode) => ctx.report({ node, messageId: 'hit', data: { name: '' } }) }), {
      aliases: ['old-name'],
    });
    expect(analyzeSource('t.py', 'f()  # pysec: ignore[old-name]\n', [renamed]).findings).toEqual([]);
  });

  it('reports unused pysec suppressions only when asked', () => {
    const code = 'x = 1  # pysec: ignore[call-names]\neval(y)  # pysec: ignore[call-names, other]\nz = 2  # nosec\n';
    const off = analyzeSource('t.py', code, [callNames], {}, unusedSuppressionRule);
    expect(off.findings).toEqual([]);
    const on = analyzeSource('t.py', code, [callNames], { reportUnusedSuppressions: true }, unusedSuppressionRule);
    // Line 1 suppresses nothing; on line 2 `other` is not a rule that ran, so it is not judged; nosec belongs to Bandit.
    expect(on.findings.map((f) => [f.ruleId, f.range.start.line])).toEqual([['unused-suppression', 1]]);
  });
});

describe('fingerprints', () => {
  const fp = (code: string): string[] => analyzeSource('t.py', code, [callNames]).findings.map((f) => f.fingerprint);

  it('is stable when unrelated lines are added above', () => {
    const before = fp('import os\neval(x)\n');
    const after = fp('import os\n\n# a comment\ny = 2\n\neval(x)\n');
    expect(after).toEqual(before);
  });

  it('is stable under re-indentation and re-wrapping', () => {
    const flat = fp('eval(x)\n');
    expect(flat).toHaveLength(1);
    expect(fp('eval( x )\n')).toEqual(flat);
    expect(fp('eval(\n    x\n)\n')).toEqual(flat);
  });

  it('distinguishes identical code by occurrence index', () => {
    const [a, b] = fp('eval(x)\neval(x)\n');
    expect(a).toBeDefined();
    expect(a).not.toEqual(b);
  });

  it('differs by file and by rule', () => {
    const one = analyzeSource('a.py', 'eval(x)\n', [callNames]).findings[0]?.fingerprint;
    const two = analyzeSource('b.py', 'eval(x)\n', [callNames]).findings[0]?.fingerprint;
    expect(one).not.toEqual(two);
  });
});

describe('findings', () => {
  it('carry 1-based ranges, statement lines and a snippet', () => {
    const [f] = analyzeSource('t.py', 'x = 1\ny = eval(\n  z)\n', [callNames]).findings;
    expect(f?.range).toEqual({ start: { line: 2, column: 5 }, end: { line: 3, column: 5 } });
    expect(f?.statementLines).toEqual({ start: 2, end: 3 });
    expect(f?.snippet).toBe('eval(\n  z)');
    expect(f?.severity).toBe('high');
  });

  it('apply severity overrides', () => {
    const [f] = analyzeSource('t.py', 'eval(x)\n', [callNames], { severityOverrides: new Map([['call-names', 'low' as const]]) }).findings;
    expect(f?.severity).toBe('low');
  });

  it('counts columns in UTF-16 code units after non-ASCII text', () => {
    const [f] = analyzeSource('t.py', 's = "héllo😀"; eval(x)\n', [callNames]).findings;
    expect(f?.range.start.column).toBe(16);
  });
});

describe('snippet redaction', () => {
  it('masks string literals in the snippets of rules that quote secrets, keeping fingerprints of the real code', () => {
    const secretRule = testRule(
      'secret-rule',
      (ctx) => ({ assignment: (node: SyntaxNode) => ctx.report({ node, messageId: 'hit', data: { name: '' } }) }),
      { redactSnippet: true },
    );
    const [a] = analyzeSource('t.py', 'KEY = "hunter2-very-secret"\n', [secretRule]).findings;
    const [b] = analyzeSource('t.py', 'KEY = "hunter2-other-secret"\n', [secretRule]).findings;
    expect(a?.snippet).toBe('KEY = "hunt…"');
    expect(a?.fingerprint).not.toEqual(b?.fingerprint);
  });

  it.each([
    ["x = b'abcdefgh'", "x = b'abcd…'"],
    ['"""multi\nline key"""', '"""mult…"""'],
    ['f"tok{en}"', 'f"tok{…"'],
    ['no_strings_here', 'no_s…'],
    ['"ab"', '"ab"'],
  ])('maskStrings(%j)', async (code, expected) => {
    const { maskStrings } = await import('../../src/core/engine.js');
    expect(maskStrings(code)).toBe(expected);
  });
});

describe('call filters', () => {
  it('are asked once per callee name, across files, and give each call to exactly the rules they accept', () => {
    const asked: string[] = [];
    const filtered = (id: string, accept: (q: string | null, m: string) => boolean): Rule => ({
      ...testRule(id, (ctx) => ({
        call(node: SyntaxNode) {
          ctx.report({ node, messageId: 'hit', data: { name: `${id}:${node.childForFieldName('function')?.text ?? '?'}` } });
        },
      })),
      callFilter: (q, m) => {
        asked.push(`${id} ${q} ${m}`);
        return accept(q, m);
      },
    });
    const rules = [
      filtered('memo-os', (q) => q === 'os.system'),
      filtered('memo-run', (_q, m) => m === 'run'),
    ];
    const code = 'import os\nos.system(a)\nos.system(b)\nx.run()\nos.system(c)\ny.z.run()\nprint(1)\n';
    const messages = (src: string): string[] => analyzeSource('t.py', src, rules).findings.map((f) => f.message);
    const first = messages(code);
    expect(first).toEqual([
      'hit memo-os:os.system',
      'hit memo-os:os.system',
      'hit memo-run:x.run',
      'hit memo-os:os.system',
      'hit memo-run:y.z.run',
    ]);
    // One question per rule and distinct name: `os.system`, `print`, and the unresolved `run`
    // of x.run() and y.z.run() (no qualified name, same method: one key).
    expect(asked.filter((a) => a.startsWith('memo-os'))).toEqual(['memo-os os.system system', 'memo-os null run', 'memo-os print print']);
    asked.length = 0;
    expect(messages(code)).toEqual(first);
    expect(asked).toEqual([]);
    // Without pre-filters every call reaches every rule.
    expect(analyzeSource('t.py', code, rules, { noPrefilter: true }).findings).toHaveLength(12);
  });
});

/** Reports, at the end of the module, what each scope bound (scopes in source order). */
const scopeDump = testRule('scope-dump', (ctx) => ({
  'module:exit'() {
    const lines = ctx.allScopes().map((s) => {
      const values = [...s.assignments].map(([name, vs]) => `${name}=${vs.map((v) => ctx.source.slice(v.start, v.end)).join('|')}`);
      const parts = [
        s.kind,
        `imports[${[...s.imports].map(([k, v]) => `${k}:${v}`).join(',')}]`,
        `locals[${[...s.locals].sort().join(',')}]`,
        `values[${values.join(',')}]`,
        `other[${[...s.otherBindings].sort().join(',')}]`,
      ];
      if (s.globals.size > 0) parts.push(`globals[${[...s.globals].join(',')}]`);
      if (s.nonlocals.size > 0) parts.push(`nonlocals[${[...s.nonlocals].join(',')}]`);
      if (s.wildcardImports.length > 0) parts.push(`wildcard[${s.wildcardImports.join(',')}]`);
      return parts.join(' ');
    });
    ctx.report({ node: ctx.root, messageId: 'hit', data: { name: lines.join('\n') } });
  },
}));

function scopesOf(code: string): string[] {
  const f = analyzeSource('t.py', dedent(code), [scopeDump]).findings[0];
  return f ? f.message.replace(/^hit /, '').split('\n') : [];
}

describe('scope bindings', () => {
  const table: [string, string, string[]][] = [
    ['plain assignments keep their values in order', 'x = 1\ny = f()\nx = "a"', ['module imports[] locals[x,y] values[x=1|"a",y=f()] other[]']],
    [
      'an annotation without a value pairs with nothing',
      'x: int\ny = 1\nx = "a"',
      ['module imports[] locals[x,y] values[y=1,x="a"] other[]'],
    ],
    [
      'many annotations without values, then an assignment',
      `${Array.from({ length: 300 }, (_, i) => `a${i}: int`).join('\n')}\nz = 2`,
      [`module imports[] locals[${Array.from({ length: 300 }, (_, i) => `a${i}`).sort().join(',')},z] values[z=2] other[]`],
    ],
    ['chained assignment', 'a = b = f()', ['module imports[] locals[a,b] values[b=f()] other[a]']],
    ['annotated assignment with a value', 'x: int = 3', ['module imports[] locals[x] values[x=3] other[]']],
    ['tuple targets and loops are other bindings', 'a, b = 1, 2\nfor i in r:\n    pass', ['module imports[] locals[a,b,i] values[] other[a,b,i]']],
    [
      'imports, wildcard, globals and nonlocals',
      'import os as o\nfrom m import *\ndef f(p):\n    global g\n    q = 1\n    def h():\n        nonlocal q\n        q = 2',
      [
        'module imports[o:os] locals[f] values[] other[f] wildcard[m]',
        'function imports[] locals[h,p,q] values[q=1] other[h,p] globals[g]',
        'function imports[] locals[q] values[q=2] other[] nonlocals[q]',
      ],
    ],
  ];
  for (const [name, code, expected] of table) {
    it(name, () => expect(scopesOf(code)).toEqual(expected));
  }
});
