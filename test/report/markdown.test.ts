import { describe, expect, it } from '@jest/globals';
import { renderMarkdown } from '../../src/report/markdown.js';
import { ZWSP } from '../../src/report/escape.js';
import type { Finding } from '../../src/core/types.js';
import { cleanResult, fakeFinding, richResult } from './fixtures.js';

/** Every fenced block closes with the fence that opened it, and <details> tags balance. */
function assertWellFormed(md: string): void {
  const lines = md.split('\n');
  let fence: string | null = null;
  let details = 0;
  for (const line of lines) {
    if (fence) {
      if (new RegExp(`^\`{${fence.length},}\\s*$`).test(line)) fence = null;
      continue;
    }
    const open = /^(`{3,})/.exec(line);
    if (open) {
      fence = open[1] ?? null;
      continue;
    }
    if (line === '<details>') details++;
    if (line === '</details>') details--;
    // Outside code blocks and code spans, no raw HTML other than ours.
    const prose = line.replace(/(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, '');
    const tags = prose.match(/<\/?[a-z][^>]*>/gi) ?? [];
    for (const t of tags) expect(['<details>', '</details>', '<summary>', '</summary>', '<sub>', '</sub>']).toContain(t);
  }
  expect(fence).toBeNull();
  expect(details).toBe(0);
}

describe('renderMarkdown', () => {
  it('titles the report with counts and a severity x practice area table', () => {
    const md = renderMarkdown(richResult());
    expect(md.startsWith('## pysec: 5 findings (1 critical, 3 high, 1 medium)\n')).toBe(true);
    expect(md).toContain('| Practice area | Critical | High | Medium | Low | Total |');
    expect(md).toContain('| Secure coding | 1 | 3 | · | · | 4 |');
    expect(md).toContain('| Protect sensitive data | · | · | 1 | · | 1 |');
    expect(md).toContain('| **Total** | **1** | **3** | **1** | **0** | **5** |');
    assertWellFormed(md);
  });

  it('groups findings by severity, most severe first, with links and a collapsible snippet', () => {
    const md = renderMarkdown(richResult());
    const sections = ['### Critical (1)', '### High (3)', '### Medium (1)'].map((h) => md.indexOf(h));
    expect(sections.every((i) => i > 0)).toBe(true);
    expect([...sections].sort((a, b) => a - b)).toEqual(sections);
    expect(md).toContain(
      '[`code-injection`](https://github.com/pysec-dev/pysec/blob/main/docs/rules/code-injection.md) · `app.py:4`',
    );
    expect(md).toContain('Code injection: request\\.args \\(line 4\\) reaches `eval()`');
    expect(md).toContain('[CWE\\-95](https://cwe.mitre.org/data/definitions/95.html)');
    expect(md).toContain('[OWASP A03:2021 Injection](https://owasp.org/Top10/A03_2021-Injection/)');
    expect(md).toContain('<details>\n<summary>Code and how to fix it</summary>\n\n```python\nrequest.args["expr"]\n```');
    expect(md).toContain('**Use instead:**\n\n```python\nimport ast');
    expect(md).toContain('**Suggested fix:** Remove `verify=False`');
    expect(md).toContain('`dir with space/café #1.py:2`');
  });

  it('lists skipped files, syntax errors and problems, then stats', () => {
    const md = renderMarkdown(richResult());
    expect(md).toContain('### Skipped 2 files\n\n- `blob.py`: binary file \\(contains NUL bytes\\)');
    expect(md).toContain('### Syntax errors in 1 file');
    expect(md).toContain('- `bad.py`: line 1');
    expect(md).toContain('### 1 problem while scanning');
    expect(md).toContain('`tls-verify-disabled-test`');
    expect(md).toMatch(/<sub>4 files scanned \(23 lines\), 2 skipped, in 0\.03 s\. 1 finding suppressed in code\.<\/sub>\n$/);
  });

  it('says so when there is nothing to report', () => {
    const md = renderMarkdown(cleanResult());
    expect(md.startsWith('## pysec: no findings\n')).toBe(true);
    expect(md).not.toContain('| Practice area');
    assertWellFormed(md);
  });

  it('honours title and heading level', () => {
    const md = renderMarkdown(richResult(), { title: 'Security review', headingLevel: 3 });
    expect(md.startsWith('### Security review: 5 findings')).toBe(true);
    expect(md).toContain('\n#### Critical (1)\n');
  });

  it('escapes everything that comes from scanned code', () => {
    const hostile: Finding = fakeFinding({
      path: 'x`</details>@org/team #12.py',
      message: 'Call to `a`b` with [link](javascript:alert(1)) <img src=x onerror=alert(1)> @octocat #1 </details>',
      snippet: '```\n</details>\n<script>alert(1)</script>\n````',
      fix: { description: 'use `safe()` <b>now</b>', edits: [] },
    });
    const result = richResult();
    result.findings = [hostile];
    result.skipped = [{ path: '<img src=x>.py', reason: '**bold** @team' }];
    result.syntaxErrors = [{ path: '[x](javascript:1).py', lines: [2] }];
    const md = renderMarkdown(result);
    assertWellFormed(md);
    expect(md).not.toContain('@octocat');
    expect(md).toContain(`@${ZWSP}octocat`);
    expect(md).not.toMatch(/(^|[^`])\[link\]\(javascript/);
    expect(md).not.toMatch(/<img src=x onerror/);
    expect(md).toContain(' ``x`</details>@org/team #12.py:2``');
    expect(md).not.toContain('<b>');
    expect(md).toContain('````python\n```\n</details>\n<script>alert(1)</script>\n````\n`````');
    expect(md).toContain('\\*\\*bold\\*\\* @\u200Bteam');
  });

  it('stays under maxLength, cutting at a finding boundary with a note', () => {
    const result = richResult();
    result.findings = Array.from({ length: 400 }, (_, i) =>
      fakeFinding({ path: `pkg/module_${i}.py`, range: { start: { line: i + 1, column: 1 }, end: { line: i + 1, column: 5 } } }),
    );
    const md = renderMarkdown(result, { maxLength: 20_000 });
    expect(md.length).toBeLessThanOrEqual(20_000);
    const shown = (md.match(/^🟠 \*\*Medium\*\*/gm) ?? []).length;
    expect(shown).toBeGreaterThan(5);
    expect(shown).toBeLessThan(400);
    expect(md).toContain(`${400 - shown} more findings not shown`);
    expect(md).toContain('### Skipped 2 files');
    assertWellFormed(md);

    const full = renderMarkdown(result);
    expect(full.length).toBeLessThanOrEqual(65_000);
  });

  it('keeps even huge lists of skipped files within the limit', () => {
    const result = cleanResult();
    result.skipped = Array.from({ length: 5000 }, (_, i) => ({ path: `vendor/${'x'.repeat(100)}/${i}.py`, reason: 'too big' }));
    const md = renderMarkdown(result, { maxLength: 3000 });
    expect(md.length).toBeLessThanOrEqual(3000);
    expect(renderMarkdown(result)).toContain('- … and 4950 more');
  });
});
