import { describe, expect, it } from '@jest/globals';
import { JSON_REPORT_VERSION, renderJson, type JsonReport } from '../../src/report/json.js';
import { TOOL_VERSION } from '../../src/report/version.js';
import { cleanResult, fakeTlsRule, richResult } from './fixtures.js';
import { readFileSync } from 'node:fs';

describe('renderJson', () => {
  it('has the documented top-level shape', () => {
    const report = JSON.parse(renderJson(richResult())) as JsonReport;
    expect(Object.keys(report)).toEqual([
      'version',
      'tool',
      'summary',
      'findings',
      'suppressed',
      'skipped',
      'notes',
      'dependencies',
      'syntaxErrors',
      'diagnostics',
      'rules',
      'stats',
    ]);
    expect(report.notes).toEqual(['dependency checks were skipped: OSV could not be reached (test)']);
    expect(report.dependencies).toEqual({ manifests: 1, packages: 3, advisories: 'skipped' });
    expect(report.version).toBe(JSON_REPORT_VERSION);
    expect(report.tool).toEqual({ name: 'pysec', version: TOOL_VERSION });
    expect(report.summary).toEqual({ findings: 5, bySeverity: { critical: 1, high: 3, medium: 1, low: 0 }, suppressed: 1 });
    expect(report.rules).toContain('dynamic-code-execution');
    expect(report.rules).toContain(fakeTlsRule.meta.id);
    expect(Number.isInteger(report.stats.durationMs)).toBe(true);
    expect(report.stats.filesScanned).toBe(4);
  });

  it('reads the tool version from package.json, or takes it as an option', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(TOOL_VERSION).toBe(pkg.version);
    const report = JSON.parse(renderJson(cleanResult(), { toolVersion: '9.9.9' })) as JsonReport;
    expect(report.tool.version).toBe('9.9.9');
  });

  it('gives each finding its fields, sorted by location', () => {
    const report = JSON.parse(renderJson(richResult())) as JsonReport;
    expect(report.findings.map((f) => `${f.path}:${f.range.start.line}`)).toEqual([
      'app.py:4',
      'app.py:7',
      'bad.py:4',
      'dir with space/café #1.py:2',
      'src/client.py:2',
    ]);
    const first = report.findings[0];
    expect(first).toMatchObject({
      ruleId: 'code-injection',
      severity: 'critical',
      confidence: 'high',
      area: 'secure-coding',
      messageId: 'tainted',
      path: 'app.py',
      range: { start: { line: 4, column: 17 }, end: { line: 4, column: 37 } },
      cwe: ['CWE-94', 'CWE-95'],
      owasp: ['A03:2021'],
      docsUrl: 'https://github.com/pysec-dev/pysec/blob/main/docs/rules/code-injection.md',
    });
    expect(first?.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(first).not.toHaveProperty('fix');
    expect(first?.flow?.map((s) => s.message)).toEqual(['request.args: attacker-controlled input', 'reaches `eval()`']);
    expect(first).not.toHaveProperty('statementLines');

    const withFix = report.findings[4];
    expect(withFix?.fix?.description).toBe('Remove `verify=False`');
    expect(withFix?.fix?.edits[0]).toMatchObject({ text: '', range: { start: { line: 2, column: 21 } } });
    expect(withFix?.flow).toHaveLength(2);
  });

  it('lists suppressed findings with their directive, and the rest as given', () => {
    const report = JSON.parse(renderJson(richResult())) as JsonReport;
    expect(report.suppressed).toHaveLength(1);
    expect(report.suppressed[0]).toMatchObject({ ruleId: 'dynamic-code-execution', path: 'app.py' });
    expect(report.suppressed[0]?.directive).toContain('dynamic-code-execution');
    expect(report.skipped.map((s) => s.path)).toEqual(['blob.py', 'latin.py']);
    expect(report.syntaxErrors).toEqual([{ path: 'bad.py', lines: [1] }]);
    expect(report.diagnostics.map((d) => d.kind).sort()).toEqual(['rule-error', 'syntax-error']);
  });

  it('is one line with indent 0 and ends with a newline', () => {
    const out = renderJson(cleanResult(), { indent: 0 });
    expect(out.trimEnd()).not.toContain('\n');
    expect(out.endsWith('\n')).toBe(true);
  });
});
