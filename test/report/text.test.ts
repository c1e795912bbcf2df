import { describe, expect, it } from '@jest/globals';
import { renderText, terminalSafe } from '../../src/report/text.js';
import { FAKE_SOURCE, SOURCES, cleanResult, fakeFinding, richResult } from './fixtures.js';

const getSource = (p: string): string | undefined => (p === 'src/client.py' ? FAKE_SOURCE : SOURCES[p]);
 
const ANSI = /\u001b\[/;

describe('renderText', () => {
  it('prints each finding as path:line:col  severity  rule-id  message, with a frame and docs link', () => {
    const out = renderText(richResult(), { color: false, getSource });
    expect(out).toContain('app.py:4:17  critical  code-injection  Code injection: request.args (line 4) reaches `eval()`');
    expect(out).toContain('src/client.py:2:23  medium  tls-verify-disabled-test  ');
    expect(out).toContain('docs: https://github.com/pysec-dev/pysec/blob/main/docs/rules/dynamic-code-execution.md');
    expect(out).toContain('fix: Remove `verify=False`');
    expect(out).not.toMatch(ANSI);
  });

  it('puts the caret under the flagged columns, also after tabs', () => {
    const lines = renderText(richResult(), { color: false, getSource }).split('\n');
    const caretUnder = (code: string): string => {
      const i = lines.findIndex((l) => l.includes(`| ${code}`) || l.endsWith(code));
      expect(i).toBeGreaterThanOrEqual(0);
      const codeLine = lines[i] ?? '';
      const caretLine = lines[i + 1] ?? '';
      const start = caretLine.indexOf('^');
      return codeLine.slice(start, start + caretLine.trimEnd().length - start);
    };
    expect(caretUnder('return eval(request.args["expr"])')).toBe('request.args["expr"]');
    // Line 7 is `\texec(code)`: the tab is expanded, the caret still lines up.
    expect(caretUnder('exec(code)')).toBe('exec(code)');
    expect(caretUnder('r = requests.get(url, verify=False)')).toBe('verify=False');
  });

  it('shows at most maxFrameLines lines', () => {
    const source = `eval(\n${'    a +\n'.repeat(10)}    b)\n`;
    const result = richResult();
    result.findings = [
      fakeFinding({ path: 'long.py', range: { start: { line: 1, column: 1 }, end: { line: 12, column: 7 } }, snippet: source.trimEnd() }),
    ];
    const out = renderText(result, { color: false, getSource: () => source, maxFrameLines: 3 });
    expect(out).toContain('> 1 | eval(');
    expect(out).toContain('  3 |     a +');
    expect(out).not.toContain('  4 |');
    expect(out).toContain('… 9 more lines');
  });

  it('falls back to the snippet without sources, and prefixes paths with pathPrefix', () => {
    const out = renderText(richResult(), { color: false, pathPrefix: '../proj/' });
    expect(out).toContain('../proj/src/client.py:2:23');
    expect(out).toMatch(/> 2 \| {23}verify=False\n {8}\| {23}\^{12}\n/);
  });

  it('groups by file in path order', () => {
    const out = renderText(richResult(), { color: false });
    const order = ['app.py:4', 'app.py:7', 'bad.py:4', 'dir with space/café #1.py:2', 'src/client.py:2'].map((s) => out.indexOf(s));
    expect(order.every((n) => n >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('lists skipped files, syntax errors and problems, then the summary', () => {
    const out = renderText(richResult(), { color: false });
    expect(out).toContain('Skipped 2 files:\n  blob.py: binary file');
    expect(out).toContain('Syntax errors in 1 file');
    expect(out).toContain('  bad.py: line 1');
    expect(out).toContain('app.py:3: rule-error: [tls-verify-disabled-test] TypeError');
    expect(out.trimEnd().split('\n').pop()).toMatch(
      /^5 findings \(1 critical, 3 high, 1 medium\) in 4 files scanned, 2 skipped, in \d+\.\d\d s \(1 suppressed\)\.$/,
    );
  });

  it('says "No findings." when clean', () => {
    const out = renderText(cleanResult(), { color: false });
    expect(out).toMatch(/^No findings\. 1 file scanned, 0 skipped, in \d+\.\d\d s\.\n$/);
  });

  it('uses ANSI colour only when asked', () => {
    const result = richResult();
    expect(renderText(result, { color: true })).toMatch(ANSI);
    expect(renderText(result, { color: false })).not.toMatch(ANSI);
  });

  it('never passes control characters from scanned code to the terminal', () => {
    const result = richResult();
    result.findings = [
      fakeFinding({
        path: 'evil\u001b[2J.py',
        message: 'msg \u001b]0;title\u0007 \r overwritten',
        snippet: 'x = "\u001b[31m\u202E"',
        range: { start: { line: 1, column: 1 }, end: { line: 1, column: 10 } },
        fix: { description: 'fix \u001b[1m', edits: [] },
      }),
    ];
    result.skipped = [{ path: 'a\u001b.py', reason: 'why \u0007' }];
    const out = renderText(result, { color: false, getSource: () => 'x = "\u001b[31m\u202E"\n' });
     
    expect(out).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F\u202E]/);
    expect(out).toContain('evil<U+001B>[2J.py');
    expect(out).toContain('<U+000D>');
  });

  it('terminalSafe keeps tabs and reveals the rest', () => {
    expect(terminalSafe('a\tb\u001bc\nd')).toBe('a\tb<U+001B>c d');
  });
});
