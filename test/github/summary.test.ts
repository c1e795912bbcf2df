import { describe, expect, it } from '@jest/globals';
import { defaultConfig, type PysecConfig } from '../../src/config/schema.js';
import type { Finding, PracticeArea, Severity } from '../../src/core/types.js';
import type { FindingPlacement, GatheredPullRequest, PublishOutcome } from '../../src/github/contracts.js';
import {
  MAX_OUTPUT_LENGTH,
  checkRunOutput,
  checkRunSummary,
  checkRunText,
  checkRunTitle,
  countTable,
  skippedFiles,
  type SummaryInput,
} from '../../src/github/summary.js';
import { ZWSP } from '../../src/report/escape.js';
import type { ScanResult } from '../../src/scan/index.js';
import { scanResult } from '../helpers/scan-result.js';

/** Every fence closes with the fence that opened it; outside code, only our own HTML; no live mention. */
function assertWellFormed(md: string): void {
  let fence: string | null = null;
  for (const raw of md.split('\n')) {
    const line = raw.replace(/^ {2}/, ''); // list-item content
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

let n = 0;
function mk(severity: Severity, overrides: Partial<Finding> = {}, area: PracticeArea = 'secure-coding'): Finding {
  n++;
  return {
    ruleId: 'dynamic-code-execution',
    area,
    severity,
    confidence: 'medium',
    messageId: 'dynamic',
    message: '`eval()` runs a string that is not a constant.',
    path: 'app.py',
    range: { start: { line: n, column: 1 }, end: { line: n, column: 8 } },
    statementLines: { start: n, end: n },
    snippet: 'eval(x)',
    cwe: ['CWE-95'],
    owasp: ['A03:2021'],
    fingerprint: n.toString(16).padStart(32, '0'),
    ...overrides,
  };
}

function result(findings: Finding[], extra: Partial<ScanResult> = {}): ScanResult {
  return scanResult(findings, { stats: { filesScanned: 4, filesSkipped: 0, lines: 321, durationMs: 420 }, ...extra });
}

function summaryInput(findings: Finding[], extra: Partial<SummaryInput> = {}, gatheredExtra: Partial<GatheredPullRequest> = {}): SummaryInput {
  return {
    config: defaultConfig(),
    result: result(findings),
    // app.py is a new file without a patch: every finding in it is on an added line.
    gathered: { files: [{ path: 'app.py', status: 'added', kind: 'python' }], sources: [], skipped: [], truncated: false, apiCalls: 4, ...gatheredExtra },
    notices: [],
    elapsedMs: 3_100,
    ...extra,
  };
}

function outcome(overrides: Partial<PublishOutcome> = {}): PublishOutcome {
  return { posted: 0, alreadyCommented: 0, overflow: 0, resolved: 0, conclusion: 'success', ...overrides };
}

describe('checkRunTitle', () => {
  it.each<[Severity[], string]>([
    [[], 'No security findings'],
    [['high'], '1 finding: 1 high'],
    [['medium', 'high', 'medium'], '3 findings: 1 high, 2 medium'],
    [['low', 'critical'], '2 findings: 1 critical, 1 low'],
  ])('%j → %s', (severities, title) => {
    expect(checkRunTitle(severities.map((s) => mk(s)))).toBe(title);
  });
});

describe('countTable', () => {
  it('counts by practice area and severity, with new vs existing', () => {
    const a = mk('high');
    const b = mk('medium');
    const c = mk('low', {}, 'sensitive-data');
    const placement: Record<string, FindingPlacement> = { [a.fingerprint]: 'existing', [b.fingerprint]: 'posted', [c.fingerprint]: 'outside-diff' };
    expect(countTable([a, b, c], placement).split('\n')).toEqual([
      '| Practice area | Critical | High | Medium | Low | Total | New | Existing |',
      '| :-- | --: | --: | --: | --: | --: | --: | --: |',
      '| Secure coding | · | 1 | 1 | · | 2 | 1 | 1 |',
      '| Protect sensitive data | · | · | · | 1 | 1 | 1 | · |',
      '| **Total** | **0** | **1** | **1** | **1** | **3** | **2** | **1** |',
    ]);
  });
});

describe('skippedFiles', () => {
  it('merges gathering and scan skips, once per path and reason', () => {
    expect(
      skippedFiles(
        { skipped: [{ path: 'a.py', reason: 'binary' }, { path: 'b.py', reason: 'too large' }] },
        { skipped: [{ path: 'a.py', reason: 'binary' }, { path: 'c.py', reason: 'could not be fetched' }] },
      ),
    ).toEqual([
      { path: 'a.py', reason: 'binary' },
      { path: 'c.py', reason: 'could not be fetched' },
      { path: 'b.py', reason: 'too large' },
    ]);
  });
});

describe('checkRunSummary', () => {
  it.each<[string, Finding[], Partial<PysecConfig>, PublishOutcome['conclusion'], string]>([
    ['failure', [mk('high'), mk('critical'), mk('low')], {}, 'failure', '**Failed:** 2 findings at or above **high** severity on lines this pull request changes.'],
    ['failure, counting changed lines only', [mk('high'), mk('critical', { path: 'old.py' })], {}, 'failure', '**Failed:** 1 finding at or above **high** severity on lines'],
    ['failure decided elsewhere', [mk('low')], {}, 'failure', '**Failed.**'],
    ['success', [mk('medium')], {}, 'success', '**Passed:** no finding at or above **high** severity on lines this pull request changes.'],
    ['failOn medium', [mk('medium')], { failOn: 'medium' }, 'failure', '**Failed:** 1 finding at or above **medium** severity'],
    ['never', [mk('critical')], { failOn: 'never' }, 'success', '**Passed:** this repository set the check never to fail (`failOn: never`).'],
    ['neutral', [], {}, 'neutral', '**Not checked:** the scan could not complete.'],
  ])('verdict: %s', (_name, findings, cfg, conclusion, expected) => {
    const md = checkRunSummary(summaryInput(findings, { config: { ...defaultConfig(), ...cfg } }), outcome({ conclusion }));
    expect(md.startsWith(expected)).toBe(true);
  });

  it('reports new vs existing, notices, skipped files, syntax and rule errors, truncation and timing', () => {
    const existing = mk('high');
    const posted = mk('medium');
    const outside = mk('low', {}, 'logging');
    const input = summaryInput(
      [existing, posted, outside],
      {
        notices: ['`.github/pysec.yml` is invalid (`rules.disable[0]`: unknown rule id); the scan ran with defaults.'],
        result: result([existing, posted, outside], {
          skipped: [{ path: 'data/blob.py', reason: 'binary file (contains NUL bytes)' }],
          syntaxErrors: [{ path: 'broken.py', lines: [3, 9] }],
          diagnostics: [
            { path: 'x.py', kind: 'rule-error', ruleId: 'sql-string-built', line: 4, message: 'TypeError: boom' },
            { path: 'broken.py', kind: 'syntax-error', line: 3, message: 'syntax error' },
          ],
          suppressed: [{ finding: mk('low'), directive: '# pysec: ignore' }],
        }),
      },
      { skipped: [{ path: 'huge.py', reason: 'could not be fetched: 502' }], truncated: true },
    );
    const md = checkRunSummary(
      input,
      outcome({
        posted: 1,
        alreadyCommented: 1,
        resolved: 2,
        conclusion: 'failure',
        placement: { [existing.fingerprint]: 'existing', [posted.fingerprint]: 'posted', [outside.fingerprint]: 'outside-diff' },
      }),
    );
    expect(md).toContain(
      '> [!WARNING]\n> `.github/pysec.yml` is invalid \\(`rules.disable[0]`: unknown rule id\\); the scan ran with defaults\\.',
    );
    expect(md).toContain('> [!WARNING]\n> This pull request changes more files than GitHub lists (3,000)');
    expect(md).toContain('| **Total** | **0** | **1** | **1** | **1** | **3** | **2** | **1** |');
    expect(md).toContain(
      '**New vs existing:** 2 new (1 commented inline in this review, 1 only in this check run), 1 already commented in an earlier review. 2 earlier comments marked resolved: the finding is gone.',
    );
    expect(md).toContain('1 finding without an inline comment is listed in the details below.');
    expect(md).toContain('### 2 files not checked\n\n- `huge.py`: could not be fetched: 502\n- `data/blob.py`: binary file \\(contains NUL bytes\\)');
    expect(md).toContain('### Syntax errors in 1 file\n\nThe rest of each file was still checked.\n\n- `broken.py`: lines 3, 9');
    expect(md).toContain('### 1 rule error');
    expect(md).toContain('- `x.py:4`: `sql-string-built`: TypeError: boom');
    expect(md).toContain('<sub>4 files scanned (321 lines), 2 not checked; scan 0.42 s, review 3.10 s. 1 finding suppressed in code.</sub>');
    assertWellFormed(md);
  });

  it('says so when there is nothing to report', () => {
    const md = checkRunSummary(summaryInput([]), outcome({ resolved: 1 }));
    expect(md).toContain('No security findings in the changed files.');
    expect(md).toContain('1 earlier comment marked resolved');
    expect(md).not.toContain('| Practice area');
  });

  it('escapes hostile paths, reasons and notices', () => {
    const md = checkRunSummary(
      summaryInput([], {
        notices: ['bad key `x` <script>alert(1)</script> @admin [x](javascript:alert(1))'],
        result: result([], { skipped: [{ path: '```\n</details>@evil.py', reason: '<img src=x onerror=alert(1)> @someone' }] }),
      }),
      outcome(),
    );
    expect(md).toContain(`@${ZWSP}admin`);
    expect(md).toContain(`@${ZWSP}someone`);
    expect(md).toContain('&lt;script&gt;');
    assertWellFormed(md);
  });

  it('stays within 65,535 characters with thousands of skipped files and long notices', () => {
    const skipped = Array.from({ length: 5_000 }, (_, i) => ({ path: `pkg/${'deep/'.repeat(20)}file_${i}.py`, reason: 'larger than the 1 MiB limit' }));
    const md = checkRunSummary(summaryInput([mk('high')], { result: result([mk('high')], { skipped }) }), outcome());
    expect(md.length).toBeLessThanOrEqual(MAX_OUTPUT_LENGTH);
    expect(md).toContain('- … and 4950 more');

    const notices = Array.from({ length: 200 }, (_, i) => `notice ${i} ${'x'.repeat(2_000)}`);
    const long = checkRunSummary(summaryInput([], { notices }), outcome());
    expect(long.length).toBeLessThanOrEqual(MAX_OUTPUT_LENGTH);
    expect(long.endsWith('… (cut to stay within GitHub’s length limit)\n')).toBe(true);
  });
});

describe('checkRunText', () => {
  it('lists only findings without an inline comment, grouped by why', () => {
    const fs = [mk('high'), mk('medium'), mk('critical'), mk('low'), mk('high'), mk('medium')];
    const placement: Record<string, FindingPlacement> = {};
    (['posted', 'existing', 'over-cap', 'outside-diff', 'no-patch', 'rejected'] as const).forEach((p, i) => {
      placement[(fs[i] as Finding).fingerprint] = p;
    });
    const text = checkRunText(result(fs), { placement }, { maxComments: 30 }) ?? '';
    const headings = text.split('\n').filter((l) => l.startsWith('## '));
    expect(headings).toEqual([
      '## Over the limit of inline comments per review (30, `pullRequests.maxComments`): 1',
      '## GitHub did not accept the inline comments: 1',
      '## In files GitHub shows no diff for (the diff is too large): 1',
      '## Not on a line this pull request changed (or not where GitHub accepts a comment): 1',
    ]);
    expect(text).toContain(`🟣 **Critical** · [\`dynamic-code-execution\`](https://github.com/pysec-dev/pysec/blob/main/docs/rules/dynamic-code-execution.md) · \`app.py:${fs[2]?.range.start.line}\`  \n  \`eval()\` runs a string that is not a constant\\.`);
    expect(text).toContain('  ```python\n  eval(x)\n  ```');
    expect(text).not.toContain(`app.py:${fs[0]?.range.start.line}\``);
    expect(text).not.toContain(`app.py:${fs[1]?.range.start.line}\``);
    assertWellFormed(text);
  });

  it('lists everything without placement, nothing when all are inline', () => {
    const fs = [mk('high'), mk('low')];
    expect(checkRunText(result(fs), {})?.startsWith('## 2 findings\n\n')).toBe(true);
    expect(checkRunText(result(fs), { placement: { [fs[0]!.fingerprint]: 'posted', [fs[1]!.fingerprint]: 'existing' } })).toBeUndefined();
    expect(checkRunText(result([]), {})).toBeUndefined();
  });

  it('escapes hostile paths, messages, snippets and fix descriptions', () => {
    const f = mk('high', {
      path: '@admin/``` </details>.py',
      message: 'Call `x` <script>alert(1)</script> @someone ``` </details>',
      snippet: '````\n</details>\n<script>alert(1)</script>\n```',
      fix: { description: '<b>fix</b> @team', edits: [] },
    });
    const text = checkRunText(result([f]), {}) ?? '';
    expect(text).toContain(`@${ZWSP}someone`);
    expect(text).toContain(`@${ZWSP}team`);
    expect(text).toContain('  `````python\n  ````\n  </details>\n  <script>alert(1)</script>\n  ```\n  `````');
    assertWellFormed(text);
  });

  it('stays within the limit at a finding boundary, with a note', () => {
    const fs = Array.from({ length: 2_000 }, () => mk('medium', { snippet: 'x = eval(y)  ' + 'z'.repeat(60) }));
    const text = checkRunText(result(fs), {}) ?? '';
    expect(text.length).toBeLessThanOrEqual(MAX_OUTPUT_LENGTH);
    const shown = text.split('\n').filter((l) => l.startsWith('- ')).length;
    expect(shown).toBeGreaterThan(100);
    expect(text).toContain(`> [!NOTE]\n> ${2_000 - shown} more findings not shown to stay within GitHub's 65,535 characters.`);
    assertWellFormed(text);
  });
});

describe('checkRunOutput', () => {
  it('combines title, summary and text (text only when something is listed)', () => {
    const f = mk('high');
    const input = summaryInput([f]);
    const out = checkRunOutput(input, outcome({ conclusion: 'failure', placement: { [f.fingerprint]: 'outside-diff' } }));
    expect(out.title).toBe('1 finding: 1 high');
    expect(out.summary.startsWith('**Failed:**')).toBe(true);
    expect(out.text).toContain('## Not on a line this pull request changed');
    expect(checkRunOutput(input, outcome({ placement: { [f.fingerprint]: 'posted' } })).text).toBeUndefined();
  });
});
