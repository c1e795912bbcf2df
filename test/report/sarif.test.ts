import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FINGERPRINT_KEY, SARIF_SCHEMA, pascalCase, relativeUri, renderSarif, rootUri } from '../../src/report/sarif.js';
import { TOOL_VERSION } from '../../src/report/version.js';
import { cleanResult, fakeFinding, fakeTlsRule, richResult } from './fixtures.js';
import { findRule } from '../../src/rules/index.js';
import { collectFiles } from '../../src/cli/files.js';
import { scan } from '../../src/scan/index.js';
import { defaultConfig } from '../../src/config/schema.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- SARIF is walked as untyped JSON here */
type Json = any;

const parse = (text: string): Json => JSON.parse(text) as Json;

describe('renderSarif structure', () => {
  const log = parse(renderSarif(richResult(), { root: '/work/my repo#1/é' }));
  const run = log.runs[0];
  const rules: Json[] = run.tool.driver.rules;
  const results: Json[] = run.results;

  it('is SARIF 2.1.0 with the schemastore schema and a pysec driver', () => {
    expect(log.$schema).toBe(SARIF_SCHEMA);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expect(run.tool.driver).toMatchObject({
      name: 'pysec',
      semanticVersion: TOOL_VERSION,
      informationUri: expect.stringMatching(/^https:\/\//),
    });
  });

  it('describes every rule that ran', () => {
    expect(rules.map((r) => r.id)).toEqual(['dynamic-code-execution', fakeTlsRule.meta.id, 'code-injection']);
    const dce = rules[0];
    expect(dce).toMatchObject({
      name: 'DynamicCodeExecution',
      shortDescription: { text: expect.stringContaining('eval()') },
      fullDescription: { text: expect.stringContaining('Flags calls') },
      helpUri: 'https://github.com/pysec-dev/pysec/blob/main/docs/rules/dynamic-code-execution.md',
      defaultConfiguration: { level: 'error' },
      properties: {
        tags: ['security', 'secure-coding', 'external/cwe/cwe-95'],
        'security-severity': '8.0',
        precision: 'medium',
        'problem.severity': 'error',
      },
    });
    expect(dce.help.text).toContain('Why is this bad?');
    expect(dce.help.markdown).toContain('## Use instead');
    expect(dce.help.markdown).toContain('```python\nimport ast');
    expect(dce.help.markdown).toContain('[CWE-95](https://cwe.mitre.org/data/definitions/95.html)');
    expect(rules[1]).toMatchObject({
      defaultConfiguration: { level: 'warning' },
      properties: { 'security-severity': '5.5', precision: 'high', tags: ['security', 'sensitive-data', 'external/cwe/cwe-295'] },
    });
  });

  it('gives each result a ruleIndex that points at its rule', () => {
    expect(results).toHaveLength(5);
    for (const r of results) expect(rules[r.ruleIndex].id).toBe(r.ruleId);
  });

  it('maps severities to levels (critical/high error, medium warning, low note)', () => {
    expect(results.map((r) => r.level)).toEqual(['error', 'error', 'error', 'error', 'warning']);
    const low = parse(renderSarif({ ...richResult(), findings: [fakeFinding({ severity: 'low' })] }));
    expect(low.runs[0].results[0].level).toBe('note');
  });

  it('locates results relative to %SRCROOT%, with percent-encoded URIs', () => {
    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toBe('file:///work/my%20repo%231/%C3%A9/');
    const weird = results.find((r) => r.ruleIndex === 0 && r.locations[0].physicalLocation.artifactLocation.uri.startsWith('dir'));
    expect(weird.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'dir%20with%20space/caf%C3%A9%20%231.py', uriBaseId: '%SRCROOT%' },
      region: { startLine: 2, startColumn: 1, endLine: 4, endColumn: 2, snippet: { text: 'builtins.eval(\n    user_input,\n)' } },
    });
    expect(results[0].partialFingerprints[FINGERPRINT_KEY]).toMatch(/^[0-9a-f]{32}$/);
    expect(results[0].message.text).toContain('Code injection: request.args (line 4) reaches `eval()`');
  });

  it('emits fixes and code flows', () => {
    const r = results[4];
    expect(r.fixes).toEqual([
      {
        description: { text: 'Remove `verify=False`' },
        artifactChanges: [
          {
            artifactLocation: { uri: 'src/client.py', uriBaseId: '%SRCROOT%' },
            replacements: [
              { deletedRegion: { startLine: 2, startColumn: 21, endLine: 2, endColumn: 35 }, insertedContent: { text: '' } },
            ],
          },
        ],
      },
    ]);
    const steps = r.codeFlows[0].threadFlows[0].locations;
    expect(steps).toHaveLength(2);
    expect(steps[0].location.message.text).toBe('requests imported here');
    expect(steps[1].location.physicalLocation.region).toEqual({ startLine: 2, startColumn: 5, endLine: 2, endColumn: 17 });
    expect(results[0]).not.toHaveProperty('fixes');
    // The taint finding carries its source → sink flow.
    expect(results[0].codeFlows[0].threadFlows[0].locations.map((l: Json) => l.location.message.text)).toEqual([
      'request.args: attacker-controlled input',
      'reaches `eval()`',
    ]);
    expect(results[1]).not.toHaveProperty('codeFlows');
  });

  it('reports rule errors, syntax errors and skipped files as notifications', () => {
    const inv = run.invocations[0];
    expect(inv.executionSuccessful).toBe(true);
    const byId = (id: string): Json[] => inv.toolExecutionNotifications.filter((n: Json) => n.descriptor.id === id);
    expect(byId('pysec/rule-error')[0]).toMatchObject({
      level: 'warning',
      associatedRule: { id: fakeTlsRule.meta.id, index: 1 },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'app.py' }, region: { startLine: 3 } } }],
    });
    expect(byId('pysec/syntax-error')).toHaveLength(1);
    expect(byId('pysec/syntax-error')[0].locations[0].physicalLocation.region.startLine).toBe(1);
    expect(byId('pysec/skipped').map((n) => [n.level, n.locations[0].physicalLocation.artifactLocation.uri])).toEqual([
      ['note', 'blob.py'],
      ['note', 'latin.py'],
    ]);
  });

  it('adds catalogue rules that produced findings without being in result.rules', () => {
    const result = richResult();
    result.findings.push({ ...fakeFinding(), ruleId: 'unused-suppression', severity: 'low' });
    const r = parse(renderSarif(result)).runs[0];
    const index = r.tool.driver.rules.findIndex((x: Json) => x.id === 'unused-suppression');
    expect(index).toBe(3);
    expect(r.results.find((x: Json) => x.ruleId === 'unused-suppression').ruleIndex).toBe(3);
    expect(findRule('unused-suppression')).toBeDefined();
  });

  it('includes suppressed findings only on request, marked as suppressed in source', () => {
    expect(results.some((r) => r.suppressions)).toBe(false);
    const withSuppressed = parse(renderSarif(richResult(), { includeSuppressed: true })).runs[0].results;
    expect(withSuppressed).toHaveLength(6);
    expect(withSuppressed[5].suppressions).toEqual([{ kind: 'inSource', justification: '# pysec: ignore[dynamic-code-execution]' }]);
  });

  it('omits originalUriBaseIds without a root, and handles a clean result', () => {
    const clean = parse(renderSarif(cleanResult()));
    expect(clean.runs[0]).not.toHaveProperty('originalUriBaseIds');
    expect(clean.runs[0].results).toEqual([]);
    expect(clean.runs[0].tool.driver.rules).toHaveLength(1);
  });
});

describe('SARIF helpers', () => {
  it.each([
    ['dynamic-code-execution', 'DynamicCodeExecution'],
    ['tls-verify-disabled', 'TlsVerifyDisabled'],
    ['eol-python', 'EolPython'],
  ])('pascalCase(%s)', (id, name) => {
    expect(pascalCase(id)).toBe(name);
  });

  it.each([
    ['app.py', 'app.py'],
    ['a b/c#d?.py', 'a%20b/c%23d%3F.py'],
    ['ünï/ç.py', '%C3%BCn%C3%AF/%C3%A7.py'],
    ['c:colon.py', 'c%3Acolon.py'],
    ['100%.py', '100%25.py'],
    ['win\\path.py', 'win/path.py'],
  ])('relativeUri(%j)', (path, uri) => {
    expect(relativeUri(path)).toBe(uri);
  });

  it('rootUri ends with a slash', () => {
    expect(rootUri('/a/b')).toBe('file:///a/b/');
    expect(rootUri('/a/b/')).toBe('file:///a/b/');
  });
});

describe('SARIF validation with Microsoft SARIF Multitool', () => {
  it('accepts a rich log with no errors (SARIF and GitHub rule sets) and catches a broken one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pysec-sarif-'));
    try {
      const good = join(dir, 'good.sarif');
      const broken = join(dir, 'broken.sarif');
      const out = join(dir, 'validation.sarif');
      const result = richResult();
      result.findings.push({ ...fakeFinding({ severity: 'low', path: 'ünï code/x#1.py' }), ruleId: 'unused-suppression' });
      await writeFile(good, renderSarif(result, { root: join(dir, 'my repo#1') }));
      // The bundled example app, scanned for real.
      const example = join(dir, 'example.sarif');
      const { files } = await collectFiles(process.cwd(), ['examples/vulnerable-flask']);
      const exampleResult = await scan(files, { config: defaultConfig() });
      expect(exampleResult.findings.length).toBeGreaterThan(10);
      await writeFile(example, renderSarif(exampleResult, { root: process.cwd() }));
      const brokenLog = parse(renderSarif(result));
      delete brokenLog.runs[0].results[0].message;
      await writeFile(broken, JSON.stringify(brokenLog));

      const bin = join(process.cwd(), 'node_modules/@microsoft/sarif-multitool/bin.js');
      await promisify(execFile)(process.execPath, [bin, 'validate', good, example, broken, '--rule-kind', 'Sarif', 'Gh', '-o', out], {
        timeout: 55_000,
      });
      const validation = parse(await readFile(out, 'utf8'));
      const vRun = validation.runs[0];
      expect(vRun.invocations[0].executionSuccessful).toBe(true);
      const errors = (vRun.results as Json[])
        .filter((r) => (r.level ?? 'warning') === 'error')
        .map((r) => ({ rule: r.ruleId, file: r.locations?.[0]?.physicalLocation?.artifactLocation?.uri as string, args: r.message?.arguments }));
      expect(errors.filter((e) => e.file.endsWith('/good.sarif'))).toEqual([]);
      expect(errors.filter((e) => e.file.endsWith('/example.sarif'))).toEqual([]);
      expect(errors.some((e) => e.file.endsWith('/broken.sarif') && e.rule === 'JSON1002')).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
