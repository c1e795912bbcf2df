/**
 * The Markdown report, for a PR comment, a check-run summary or a CI job summary
 * ($GITHUB_STEP_SUMMARY): a title with counts, a severity × practice-area table, the findings
 * grouped by severity (each with links to its rule page, CWE and OWASP entries and a
 * collapsible code snippet plus the rule's "Use instead" example), then skipped files, syntax
 * errors and internal problems.
 *
 * Everything that comes from scanned code (paths, messages, snippets, reasons) goes through
 * escape.ts. The output stays under `maxLength` characters (GitHub caps check-run summaries
 * at 65,535): findings that do not fit are left out at a finding boundary, with a note.
 */
import { cweUrl, owaspTitle, owaspUrl, ruleDocsUrl } from '../core/links.js';
import { PRACTICE_AREAS, PRACTICE_AREA_TITLES, SEVERITIES, type Finding, type PracticeArea, type Severity } from '../core/types.js';
import type { ScanResult } from '../scan/index.js';
import {
  bySeverity,
  countBySeverity,
  formatDuration,
  linesText,
  otherDiagnostics,
  plural,
  ruleOf,
  severityBreakdown,
} from './common.js';
import { codeBlock, escapeMarkdown, escapeWithCodeSpans, inlineCode } from './escape.js';

export const DEFAULT_MARKDOWN_MAX_LENGTH = 65_000;

export interface MarkdownOptions {
  /** Upper bound on the output length in UTF-16 code units (default 65,000). */
  maxLength?: number;
  /** Title text (default "pysec"); counts are appended. Trusted: not escaped. */
  title?: string;
  /** Heading level of the title, 1–4 (default 2); sections are one level below. */
  headingLevel?: number;
  /** Longest list of skipped files / syntax errors / problems shown (default 50 each). */
  maxListItems?: number;
}

export const SEVERITY_BADGES: Record<Severity, string> = {
  critical: '🟣 **Critical**',
  high: '🔴 **High**',
  medium: '🟠 **Medium**',
  low: '🟡 **Low**',
};

const SEVERITY_TITLES: Record<Severity, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low' };

function countTable(findings: readonly Finding[]): string {
  const cells = new Map<PracticeArea, Record<Severity, number>>();
  for (const f of findings) {
    const row = cells.get(f.area) ?? { critical: 0, high: 0, medium: 0, low: 0 };
    row[f.severity]++;
    cells.set(f.area, row);
  }
  const totals = countBySeverity(findings);
  const lines = [
    `| Practice area | ${SEVERITIES.map((s) => SEVERITY_TITLES[s]).join(' | ')} | Total |`,
    `| :-- | ${SEVERITIES.map(() => '--:').join(' | ')} | --: |`,
  ];
  for (const area of PRACTICE_AREAS) {
    const row = cells.get(area);
    if (!row) continue;
    const total = SEVERITIES.reduce((n, s) => n + row[s], 0);
    lines.push(`| ${escapeMarkdown(PRACTICE_AREA_TITLES[area])} | ${SEVERITIES.map((s) => row[s] || '·').join(' | ')} | ${total} |`);
  }
  lines.push(`| **Total** | ${SEVERITIES.map((s) => `**${totals[s]}**`).join(' | ')} | **${findings.length}** |`);
  return lines.join('\n');
}

function standardLinks(f: Finding): string {
  const links = [
    ...f.cwe.map((c) => `[${escapeMarkdown(c)}](${cweUrl(c)})`),
    ...f.owasp.map((o) => `[OWASP ${escapeMarkdown(`${o} ${owaspTitle(o)}`)}](${owaspUrl(o)})`),
  ];
  return links.join(' · ');
}

function findingMarkdown(f: Finding, result: ScanResult): string {
  const rule = ruleOf(result, f.ruleId);
  const head = [
    SEVERITY_BADGES[f.severity],
    `[${inlineCode(f.ruleId)}](${ruleDocsUrl(f.ruleId)})`,
    inlineCode(`${f.path}:${f.range.start.line}`),
  ].join(' · ');
  const refs = standardLinks(f);
  const details: string[] = ['<details>', '<summary>Code and how to fix it</summary>', ''];
  if (f.snippet !== '') details.push(codeBlock(f.snippet, 'python'), '');
  if (f.fix) {
    details.push(`**Suggested fix:** ${escapeWithCodeSpans(f.fix.description)}`, '');
    const inserted = f.fix.edits.map((e) => e.text).filter((t) => t.trim() !== '');
    if (inserted.length > 0) details.push(codeBlock(inserted.join('\n'), 'python'), '');
  }
  if (rule) details.push('**Use instead:**', '', codeBlock(rule.meta.docs.useInstead, 'python'), '');
  details.push('</details>');
  // Two trailing spaces = a hard line break, keeping head, message and links in one paragraph.
  return [`${head}  `, `${escapeWithCodeSpans(f.message)}${refs ? '  ' : ''}`, ...(refs ? [refs] : []), '', ...details].join(
    '\n',
  );
}

function list<T>(items: readonly T[], max: number, render: (item: T) => string): string {
  const shown = items.slice(0, max).map((i) => `- ${render(i)}`);
  if (items.length > max) shown.push(`- … and ${items.length - max} more`);
  return shown.join('\n');
}

export function renderMarkdown(result: ScanResult, opts: MarkdownOptions = {}): string {
  const maxLength = opts.maxLength ?? DEFAULT_MARKDOWN_MAX_LENGTH;
  const level = Math.min(4, Math.max(1, opts.headingLevel ?? 2));
  const h1 = '#'.repeat(level);
  const h2 = '#'.repeat(level + 1);
  const maxItems = Math.max(1, opts.maxListItems ?? 50);
  const findings = [...result.findings].sort(bySeverity);
  const title = opts.title ?? 'pysec';

  // Head: title, counts, table.
  const head: string[] = [];
  if (findings.length === 0) {
    head.push(`${h1} ${title}: no findings`);
  } else {
    head.push(`${h1} ${title}: ${plural(findings.length, 'finding')} (${severityBreakdown(findings)})`);
    head.push('', countTable(findings));
  }

  // Tail: what was not (fully) checked, and the stats line.
  const tail: string[] = [];
  if (result.notes.length > 0) {
    tail.push(`${h2} Notes`, '', list(result.notes, maxItems, (n) => escapeWithCodeSpans(n)));
  }
  if (result.skipped.length > 0) {
    tail.push(
      `${h2} Skipped ${plural(result.skipped.length, 'file')}`,
      '',
      list(result.skipped, maxItems, (s) => `${inlineCode(s.path)}: ${escapeMarkdown(s.reason)}`),
    );
  }
  if (result.syntaxErrors.length > 0) {
    tail.push(
      `${h2} Syntax errors in ${plural(result.syntaxErrors.length, 'file')}`,
      '',
      'The rest of each file was still checked.',
      '',
      list(result.syntaxErrors, maxItems, (e) => `${inlineCode(e.path)}: ${linesText(e.lines)}`),
    );
  }
  const problems = otherDiagnostics(result);
  if (problems.length > 0) {
    tail.push(
      `${h2} ${plural(problems.length, 'problem')} while scanning`,
      '',
      list(problems, maxItems, (d) => {
        const where = d.path ? `${inlineCode(d.line ? `${d.path}:${d.line}` : d.path)}: ` : '';
        const rule = d.ruleId ? `${inlineCode(d.ruleId)} ` : '';
        return `${where}${escapeMarkdown(d.kind)}: ${rule}${escapeWithCodeSpans(d.message)}`;
      }),
    );
  }
  const { stats } = result;
  const suppressed = result.suppressed.length > 0 ? ` ${plural(result.suppressed.length, 'finding')} suppressed in code.` : '';
  tail.push(
    `<sub>${plural(stats.filesScanned, 'file')} scanned (${plural(stats.lines, 'line')}), ${stats.filesSkipped} skipped, in ${formatDuration(stats.durationMs)}.${suppressed}</sub>`,
  );

  const join = (parts: readonly string[]): string => `${parts.filter((p) => p !== '').join('\n\n')}\n`;

  // Findings, grouped by severity, added while they fit.
  const body: string[] = [];
  const budget = (extra: string[]): number => join([...head, ...body, ...extra, ...tail]).length;
  let shown = 0;
  let currentSeverity: Severity | undefined;
  const omittedNote = (n: number): string =>
    `> [!NOTE]\n> ${plural(n, 'more finding')} not shown to stay within ${maxLength.toLocaleString('en-US')} characters. Run \`pysec scan\` locally or use the SARIF/JSON report for the full list.`;
  for (const f of findings) {
    const parts: string[] = [];
    if (f.severity !== currentSeverity) {
      const n = findings.filter((x) => x.severity === f.severity).length;
      parts.push(`${h2} ${SEVERITY_TITLES[f.severity]} (${n})`);
    }
    parts.push(findingMarkdown(f, result));
    const remaining = findings.length - shown - 1;
    const note = remaining > 0 ? [omittedNote(remaining)] : [];
    if (budget([...parts, ...note]) > maxLength) break;
    body.push(...parts);
    currentSeverity = f.severity;
    shown++;
  }
  if (shown < findings.length) body.push(omittedNote(findings.length - shown));

  let out = join([...head, ...body, ...tail]);
  if (out.length > maxLength) {
    // Even without findings the tail does not fit (very many skipped files): drop it.
    out = join([...head, ...body, `${plural(result.skipped.length, 'skipped file')}, ${plural(result.syntaxErrors.length, 'file')} with syntax errors and ${plural(problems.length, 'problem')} not listed to stay within the length limit.`]);
  }
  if (out.length > maxLength) out = `${out.slice(0, Math.max(0, maxLength - 2))}…\n`;
  return out;
}
