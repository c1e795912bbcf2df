/**
 * The renderers on a real `scan()` (the only report test that parses Python), and the
 * `render` dispatcher.
 */
import { describe, expect, it } from '@jest/globals';
import { FORMATS, isFormat, render, toJsonReport, type JsonReport } from '../../src/report/index.js';
import { SOURCES, richResult, scanSources } from './fixtures.js';

const pick = (r: JsonReport): unknown =>
  [...r.findings, ...r.suppressed].map((f) => ({
    ruleId: f.ruleId,
    severity: f.severity,
    confidence: f.confidence,
    messageId: f.messageId,
    message: f.message,
    path: f.path,
    range: f.range,
    snippet: f.snippet,
  }));

describe('renderers on a real scan', () => {
  it('the hand-built fixture matches what scan() produces', async () => {
    const real = await scanSources({
      ...SOURCES,
      'blob.py': new Uint8Array([0x70, 0x00, 0x01]),
      'latin.py': new Uint8Array([0x78, 0x20, 0x3d, 0x20, 0x27, 0xe9, 0x27, 0x0a]),
    });
    const fixture = richResult();
    const fixtureScanned = { ...fixture, findings: fixture.findings.filter((f) => f.ruleId === 'dynamic-code-execution' || f.ruleId === 'code-injection') };
    expect(pick(toJsonReport(real))).toEqual(pick(toJsonReport(fixtureScanned)));
    expect(real.skipped).toEqual(fixture.skipped);
    expect(real.syntaxErrors).toEqual(fixture.syntaxErrors);
    expect(real.suppressed.map((s) => s.directive)).toEqual(fixture.suppressed.map((s) => s.directive));
    expect(real.stats).toMatchObject({ filesScanned: 4, filesSkipped: 2, lines: 23 });

    // And every format renders it.
    for (const format of FORMATS) {
      const out = render(format, real, { root: '/tmp/project' });
      expect(out.length).toBeGreaterThan(100);
      expect(out).toContain('app.py');
    }
  });
});

describe('render', () => {
  it('dispatches to each format', () => {
    const result = richResult();
    expect(JSON.parse(render('json', result))).toMatchObject({ version: 1, tool: { name: 'pysec' } });
    expect(JSON.parse(render('sarif', result, { root: '/r' }))).toMatchObject({ version: '2.1.0' });
    expect(render('markdown', result)).toMatch(/^## pysec: 5 findings/);
    expect(render('text', result)).toContain('app.py:4:17  critical  code-injection');
     
    expect(render('text', result)).not.toMatch(/\u001b\[/);
     
    expect(render('text', result, { color: true })).toMatch(/\u001b\[/);
  });

  it('uses root for SARIF only: text paths stay relative to the scan root', () => {
    const result = richResult();
    expect(render('text', result, { root: '/abs/scan root' })).not.toContain('/abs/scan root');
    expect(render('sarif', result, { root: '/abs/scan root' })).toContain('file:///abs/scan%20root/');
  });

  it('knows its formats', () => {
    expect(FORMATS).toEqual(['text', 'json', 'sarif', 'markdown']);
    expect(isFormat('sarif')).toBe(true);
    expect(isFormat('html')).toBe(false);
  });
});
