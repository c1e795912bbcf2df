import { describe, expect, it } from '@jest/globals';
import { defaultConfig } from '../../src/config/schema.js';
import type { Finding, Fix } from '../../src/core/types.js';
import { FINGERPRINT_MARKER } from '../../src/github/contracts.js';
import { MAX_MESSAGE_LENGTH, firstParagraph, renderComment, suggestedText } from '../../src/github/comment.js';
import { ZWSP } from '../../src/report/escape.js';
import { findRule } from '../../src/rules/index.js';
import { scan } from '../../src/scan/index.js';

/** Every fence closes with the fence that opened it; outside code, only our own HTML. */
function assertWellFormed(md: string): void {
  let fence: string | null = null;
  for (const line of md.split('\n')) {
    if (fence) {
      if (new RegExp(`^\`{${fence.length},}\\s*$`).test(line)) fence = null;
      continue;
    }
    const open = /^(`{3,})/.exec(line);
    if (open) {
      fence = open[1] ?? null;
      continue;
    }
    const prose = line.replace(/(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, '');
    for (const t of prose.match(/<\/?[a-z][^>]*>/gi) ?? []) expect(['<sub>', '</sub>']).toContain(t);
    expect(prose).not.toMatch(/@[A-Za-z]/);
  }
  expect(fence).toBeNull();
}

/** A fix replacing `old` (first occurrence in `source`) with `text`. */
function fixAt(source: string, old: string, text: string, description = 'Fix it'): Fix {
  const start = source.indexOf(old);
  const pos = (offset: number): { line: number; column: number } => {
    const before = source.slice(0, offset).split('\n');
    return { line: before.length, column: (before[before.length - 1] ?? '').length + 1 };
  };
  return { description, edits: [{ start, end: start + old.length, text, range: { start: pos(start), end: pos(start + old.length) } }] };
}

const SRC = 'import yaml\n\ndata = yaml.load(\n    f.read()\n)\nx = 1\n';

describe('firstParagraph', () => {
  it.each([
    ['One. Two.', 50, 'One. Two.'],
    ['First para\nwraps.\n\nSecond para.', 50, 'First para wraps.'],
    ['Sentence one is here. Sentence two is much longer than the limit allows.', 40, 'Sentence one is here.'],
    ['averyveryverylongwordwithoutanyspaces and more', 20, 'averyveryverylongwo…'],
    ['Short words only here and there', 20, 'Short words only…'],
    ['  \n\n', 50, ''],
  ])('%j (max %d) → %j', (text, max, expected) => {
    expect(firstParagraph(text, max)).toBe(expected);
  });
});

describe('suggestedText', () => {
  const load = fixAt(SRC, 'load', 'safe_load');
  it.each<[string, string, Fix, { start: number; end: number }, string | undefined]>([
    ['whole multi-line range', SRC, load, { start: 3, end: 5 }, 'data = yaml.safe_load(\n    f.read()\n)'],
    ['the fix line alone', SRC, load, { start: 3, end: 3 }, 'data = yaml.safe_load('],
    ['fix outside the commented line', SRC, load, { start: 5, end: 5 }, undefined],
    ['fix outside the commented range', SRC, load, { start: 4, end: 6 }, undefined],
    ['range past the end of the file', SRC, load, { start: 3, end: 99 }, undefined],
    ['inverted range', SRC, load, { start: 5, end: 3 }, undefined],
    ['no change', SRC, fixAt(SRC, 'load', 'load'), { start: 3, end: 3 }, undefined],
    ['deleting the whole line', SRC, fixAt(SRC, 'x = 1', ''), { start: 6, end: 6 }, ''],
    ['CRLF line endings', SRC.replace(/\n/g, '\r\n'), fixAt(SRC.replace(/\n/g, '\r\n'), 'load', 'safe_load'), { start: 3, end: 4 }, 'data = yaml.safe_load(\r\n    f.read()'],
    ['last line without newline', 'a = 1\nb = yaml.load(s)', fixAt('a = 1\nb = yaml.load(s)', 'load', 'safe_load'), { start: 2, end: 2 }, 'b = yaml.safe_load(s)'],
  ])('%s', (_name, source, fix, lines, expected) => {
    expect(suggestedText(source, fix, lines)).toBe(expected);
  });

  it('refuses edits whose offsets disagree with their lines (not the scanned text)', () => {
    const fix = fixAt(SRC, 'load', 'safe_load');
    const shifted = `# a new first line\n${SRC}`;
    expect(suggestedText(shifted, fix, { start: 3, end: 5 })).toBeUndefined();
  });

  it('refuses overlapping edits and an empty fix', () => {
    const a = fixAt(SRC, 'yaml.load', 'yaml.safe_load');
    const b = fixAt(SRC, 'load', 'x');
    expect(suggestedText(SRC, { description: 'x', edits: [...a.edits, ...b.edits] }, { start: 3, end: 3 })).toBeUndefined();
    expect(suggestedText(SRC, { description: 'x', edits: [] }, { start: 3, end: 3 })).toBeUndefined();
  });

  it('applies several edits on the commented lines in order', () => {
    const a = fixAt(SRC, 'data', 'config');
    const b = fixAt(SRC, 'load', 'safe_load');
    expect(suggestedText(SRC, { description: 'x', edits: [...b.edits, ...a.edits] }, { start: 3, end: 3 })).toBe(
      'config = yaml.safe_load(',
    );
  });
});

describe('renderComment', () => {
  it('renders a real finding: severity, rule link, message, suggestion, why, how, links, footer, marker', async () => {
    const source = 'import yaml\n# café 🎉\ndata = yaml.load(\n    open("x").read()\n)\nd2 = yaml.load(s)  # 🎉 é\n';
    const result = await scan([{ path: 'app/conf.py', content: source }], { config: defaultConfig() });
    const [multi, single] = result.findings;
    expect(multi?.range.start.line).toBe(3);
    expect(single?.range.start.line).toBe(6);
    const rule = findRule('yaml-unsafe-load');

    const body = renderComment(multi as Finding, rule, { source, lines: { start: 3, end: 5 } });
    expect(body.split('\n\n')[0]).toBe(
      '🔴 **High** · [`yaml-unsafe-load`](https://github.com/pysec-dev/pysec/blob/main/docs/rules/yaml-unsafe-load.md)',
    );
    expect(body).toContain('`yaml.load()` without a safe `Loader` can build arbitrary Python objects');
    expect(body).toContain('**Suggested fix:** Use yaml\\.safe\\_load\\(\\)\n\n```suggestion\ndata = yaml.safe_load(\n    open("x").read()\n)\n```');
    expect(body).toContain('**Why it matters:** YAML tags such as `!!python/object/apply:os.system ["id"]`');
    expect(body).toContain('**How to fix:**\n\n```python\n');
    expect(body).toContain('[CWE\\-502](https://cwe.mitre.org/data/definitions/502.html)');
    expect(body).toContain('[OWASP A08:2021 Software and Data Integrity Failures](https://owasp.org/Top10/A08_2021-Software_and_Data_Integrity_Failures/)');
    expect(body).toContain('[Rule documentation](https://github.com/pysec-dev/pysec/blob/main/docs/rules/yaml-unsafe-load.md)');
    expect(body).toContain('<sub>Not a problem here? Add `# pysec: ignore[yaml-unsafe-load]` with a reason to the flagged line.</sub>');
    expect(body.endsWith(`\n<!-- pysec:fingerprint=${multi?.fingerprint} -->`)).toBe(true);
    expect(FINGERPRINT_MARKER.exec(body)?.[1]).toBe(multi?.fingerprint);
    assertWellFormed(body);

    // UTF-16 offsets after non-ASCII text still line up with the source.
    const other = renderComment(single as Finding, rule, { source });
    expect(other).toContain('```suggestion\nd2 = yaml.safe_load(s)  # 🎉 é\n```');
  });

  it('offers no suggestion when the fix is outside the commented lines, or without the source', async () => {
    const source = 'import yaml\ndata = yaml.load(\n    f.read()\n)\n';
    const [f] = (await scan([{ path: 'a.py', content: source }], { config: defaultConfig() })).findings;
    const rule = findRule('yaml-unsafe-load');
    // Commented on the last line only (the multi-line position was not accepted).
    expect(renderComment(f as Finding, rule, { source, lines: { start: 4, end: 4 } })).not.toContain('suggestion');
    expect(renderComment(f as Finding, rule)).not.toContain('suggestion');
    expect(renderComment(f as Finding, rule, { source })).toContain('```suggestion\ndata = yaml.safe_load(\n    f.read()\n)\n```');
  });

  it('uses the docs base URL and the finding\'s own CWE/OWASP when the rule is unknown', () => {
    const f = finding({ ruleId: 'gone-rule', cwe: ['CWE-79'], owasp: ['A03:2021'] });
    const body = renderComment(f, undefined, { docsBaseUrl: 'https://docs.example.com/rules' });
    expect(body).toContain('[`gone-rule`](https://docs.example.com/rules/gone-rule.md)');
    expect(body).toContain('[CWE\\-79](https://cwe.mitre.org/data/definitions/79.html) · [OWASP A03:2021 Injection]');
    expect(body).not.toContain('Why it matters');
    expect(body).not.toContain('How to fix');
    assertWellFormed(body);
  });

  it('escapes hostile messages, fix descriptions and suggestion lines', () => {
    const source = 'x = """\n```\n</details>\n"""\ny = load(a)  # ```` @someone <script>\n';
    const fix = fixAt(source, 'load', 'safe_load', 'Use `safe()` <b>now</b> @octocat');
    const f = finding({
      message: 'Call `a`b` <script>alert(1)</script> </details> @someone [x](javascript:alert(1)) ``` fence',
      range: { start: { line: 5, column: 5 }, end: { line: 5, column: 12 } },
      fix,
    });
    const body = renderComment(f, findRule('dynamic-code-execution'), { source });
    // Outside the suggestion (which must stay byte for byte), nothing raw is left.
    const prose = body.replace(/`````suggestion\n[^\n]*\n`````/, '');
    expect(prose).not.toContain('<script>');
    expect(prose).not.toContain('</details>');
    expect(body).toContain(`@${ZWSP}someone`);
    expect(body).toContain(`@${ZWSP}octocat`);
    expect(body).toContain('&lt;script&gt;');
    expect(body).not.toMatch(/[^`]\[x\]\(javascript/);
    // The suggestion keeps the line byte for byte, inside a fence longer than its backticks.
    expect(body).toContain('`````suggestion\ny = safe_load(a)  # ```` @someone <script>\n`````');
    assertWellFormed(body);
  });

  it('cuts very long messages and drops suggestions that would make the body too long', () => {
    const long = 'a'.repeat(MAX_MESSAGE_LENGTH + 500);
    const body = renderComment(finding({ message: long }), undefined);
    expect(body).toContain(`${'a'.repeat(MAX_MESSAGE_LENGTH)}…`);
    expect(body).not.toContain('a'.repeat(MAX_MESSAGE_LENGTH + 1));

    const source = `x = load("${'b'.repeat(70_000)}")\n`;
    const f = finding({ range: { start: { line: 1, column: 5 }, end: { line: 1, column: 9 } }, fix: fixAt(source, 'load', 'safe_load') });
    const huge = renderComment(f, undefined, { source });
    expect(huge).not.toContain('suggestion');
    expect(huge.length).toBeLessThan(5_000);
  });
});

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'dynamic-code-execution',
    area: 'secure-coding',
    severity: 'high',
    confidence: 'medium',
    messageId: 'dynamic',
    message: '`eval()` runs a string that is not a constant.',
    path: 'app.py',
    range: { start: { line: 1, column: 1 }, end: { line: 1, column: 5 } },
    statementLines: { start: 1, end: 1 },
    snippet: 'eval(x)',
    cwe: ['CWE-95'],
    owasp: ['A03:2021'],
    fingerprint: '0123456789abcdef0123456789abcdef',
    ...overrides,
  };
}
