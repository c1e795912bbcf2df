/**
 * ScanResults for the renderer tests: a hand-built rich result that mirrors a real `scan()` of
 * SOURCES (checked in render.test.ts), plus a fake fixable rule with a data flow and a rule
 * error, for what the current catalogue does not produce yet.
 */
import { defaultConfig } from '../../src/config/schema.js';
import { createRule, type Finding, type Rule } from '../../src/core/types.js';
import { scan, type ScanResult, type SourceFile } from '../../src/scan/index.js';
import dynamicCodeExecution from '../../src/rules/secure-coding/dynamic-code-execution.js';
import codeInjection from '../../src/rules/secure-coding/code-injection.js';

export const SOURCES: Record<string, string> = {
  'app.py': [
    'from flask import request',
    '',
    'def calc():',
    '    return eval(request.args["expr"])',
    '',
    'def run(code):',
    '\texec(code)',
    '',
    'def quiet(code):',
    '    eval(code)  # pysec: ignore[dynamic-code-execution]',
    '',
  ].join('\n'),
  'dir with space/café #1.py': 'import builtins\nbuiltins.eval(\n    user_input,\n)\n',
  'bad.py': 'def broken(:\n    pass\n\neval(x)\n',
  'ok.py': 'print("hello")\n',
};

export async function scanSources(sources: Record<string, string | Uint8Array>): Promise<ScanResult> {
  const files: SourceFile[] = Object.entries(sources).map(([path, content]) => ({ path, content }));
  return scan(files, { config: defaultConfig() });
}

/** A fixable rule with a data flow, standing in for the injection rules being written. */
export const fakeTlsRule: Rule = createRule({
  meta: {
    id: 'tls-verify-disabled-test',
    area: 'sensitive-data',
    summary: 'TLS certificate verification is turned off.',
    severity: 'medium',
    confidence: 'high',
    cwe: ['CWE-295'],
    owasp: ['A02:2021', 'A07:2021'],
    messages: { off: '`verify=False` turns off certificate checks for `{{fn}}`.' },
    docs: {
      whatItDoes: 'Flags `verify=False` in requests calls.',
      whyBad: 'Anyone on the network path can read and change the traffic.',
      example: 'requests.get(url, verify=False)',
      useInstead: 'requests.get(url)  # verify defaults to True',
      fixSafety: 'Safe unless the server uses a self-signed certificate.',
      references: ['https://requests.readthedocs.io/en/latest/user/advanced/#ssl-cert-verification'],
    },
    fixable: true,
  },
  create: () => ({}),
});

export const FAKE_SOURCE = 'import requests\nr = requests.get(url, verify=False)\n';

export function fakeFinding(overrides: Partial<Finding> = {}): Finding {
  const start = FAKE_SOURCE.indexOf(', verify=False');
  return {
    ruleId: fakeTlsRule.meta.id,
    area: 'sensitive-data',
    severity: 'medium',
    confidence: 'high',
    messageId: 'off',
    message: '`verify=False` turns off certificate checks for `requests.get`.',
    path: 'src/client.py',
    range: { start: { line: 2, column: 23 }, end: { line: 2, column: 35 } },
    statementLines: { start: 2, end: 2 },
    snippet: 'verify=False',
    cwe: ['CWE-295'],
    owasp: ['A02:2021', 'A07:2021'],
    fingerprint: '0123456789abcdef0123456789abcdef',
    fix: {
      description: 'Remove `verify=False`',
      edits: [
        {
          start,
          end: start + ', verify=False'.length,
          text: '',
          range: { start: { line: 2, column: 21 }, end: { line: 2, column: 35 } },
        },
      ],
    },
    flow: [
      { range: { start: { line: 1, column: 8 }, end: { line: 1, column: 16 } }, message: 'requests imported here' },
      { range: { start: { line: 2, column: 5 }, end: { line: 2, column: 17 } }, message: 'call with verification off' },
    ],
    ...overrides,
  };
}

function dce(
  path: string,
  range: [number, number, number, number],
  snippet: string,
  fn: string,
  fingerprint = `${path.length.toString(16).padStart(2, '0')}${range.join('')}`.padEnd(32, 'f'),
): Finding {
  const m = dynamicCodeExecution.meta;
  const messageId = 'dynamic';
  return {
    ruleId: m.id,
    area: m.area,
    severity: m.severity,
    confidence: m.confidence,
    messageId,
    message: (m.messages[messageId] ?? '').replace('{{fn}}', fn),
    path,
    range: { start: { line: range[0], column: range[1] }, end: { line: range[2], column: range[3] } },
    statementLines: { start: range[0], end: range[2] },
    snippet,
    cwe: [...m.cwe],
    owasp: [...m.owasp],
    fingerprint,
  };
}

/** The taint finding for `eval(request.args["expr"])` on line 4 of SOURCES' app.py. */
function codeInjectionFinding(): Finding {
  const m = codeInjection.meta;
  const at = (c1: number, c2: number) => ({ start: { line: 4, column: c1 }, end: { line: 4, column: c2 } });
  return {
    ruleId: m.id,
    area: m.area,
    severity: m.severity,
    confidence: m.confidence,
    messageId: 'tainted',
    message: 'Code injection: request.args (line 4) reaches `eval()`; anyone who controls that input runs arbitrary Python on the server.',
    path: 'app.py',
    range: at(17, 37),
    statementLines: { start: 4, end: 4 },
    snippet: 'request.args["expr"]',
    cwe: [...m.cwe],
    owasp: [...m.owasp],
    fingerprint: 'c633ba5f6152ab5121bedb640117f7b4',
    flow: [
      { range: at(17, 29), message: 'request.args: attacker-controlled input' },
      { range: at(17, 37), message: 'reaches `eval()`' },
    ],
  };
}

/**
 * Everything at once, built by hand (what `scan()` returns for SOURCES plus two undecodable
 * files, then a fixable data-flow finding and a rule error added). render.test.ts checks that
 * the scanned part matches a real scan. Built without the parser: node-tree-sitter breaks when
 * several jest test files in one worker load it (jest#9206), so only render.test.ts parses.
 */
export function richResult(): ScanResult {
  return {
    notes: ['dependency checks were skipped: OSV could not be reached (test)'],
    dependencies: { manifests: 1, packages: 3, advisories: 'skipped' },
    findings: [
      codeInjectionFinding(),
      dce('app.py', [7, 2, 7, 12], 'exec(code)', 'exec'),
      dce('bad.py', [4, 1, 4, 8], 'eval(x)', 'eval'),
      dce('dir with space/café #1.py', [2, 1, 4, 2], 'builtins.eval(\n    user_input,\n)', 'eval'),
      fakeFinding(),
    ],
    suppressed: [
      { finding: dce('app.py', [10, 5, 10, 15], 'eval(code)', 'eval'), directive: '# pysec: ignore[dynamic-code-execution]' },
    ],
    diagnostics: [
      {
        kind: 'syntax-error',
        path: 'bad.py',
        line: 1,
        message: 'syntax error near line 1; the rest of the file was still checked',
      },
      {
        path: 'app.py',
        kind: 'rule-error',
        ruleId: fakeTlsRule.meta.id,
        line: 3,
        message: 'TypeError: cannot read properties of undefined',
      },
    ],
    skipped: [
      { path: 'blob.py', reason: 'binary file (contains NUL bytes)' },
      { path: 'latin.py', reason: 'not valid UTF-8 (and no PEP 263 coding declaration)' },
    ],
    syntaxErrors: [{ path: 'bad.py', lines: [1] }],
    rules: [dynamicCodeExecution, fakeTlsRule, codeInjection],
    stats: { filesScanned: 4, filesSkipped: 2, lines: 23, durationMs: 31.4 },
  };
}

/** A result with no findings and nothing skipped. */
export function cleanResult(): ScanResult {
  return {
    findings: [],
    suppressed: [],
    diagnostics: [],
    skipped: [],
    syntaxErrors: [],
    notes: [],
    dependencies: { manifests: 0, packages: 0, advisories: 'off' },
    rules: [dynamicCodeExecution],
    stats: { filesScanned: 1, filesSkipped: 0, lines: 1, durationMs: 4 },
  };
}
