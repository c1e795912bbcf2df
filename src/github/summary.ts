/**
 * The check run's output (pure): a title with counts, a summary (verdict, severity × practice
 * area table with new vs existing, config notices, what was not checked and why, timing) and
 * a text listing every finding that has no inline comment. GitHub caps summary and text at
 * 65,535 characters each: both are cut at an item boundary, with a note.
 *
 * Everything from the pull request (paths, messages, snippets, reasons, notices quoting the
 * config file) is escaped with src/report/escape.ts.
 */
import { DEFAULT_CHECK_FAIL_ON } from '../config/schema.js';
import { ruleDocsUrl } from '../core/links.js';
import { PRACTICE_AREAS, PRACTICE_AREA_TITLES, SEVERITIES, type Finding, type PracticeArea, type Severity } from '../core/types.js';
import { bySeverity, formatDuration, linesText, plural, severityBreakdown } from '../report/common.js';
import { codeBlock, escapeMarkdown, escapeWithCodeSpans, inlineCode } from '../report/escape.js';
import { SEVERITY_BADGES } from '../report/markdown.js';
import type { ScanResult, SkippedFile } from '../scan/index.js';
import type { FindingPlacement, GatheredPullRequest, PublishInput, PublishOutcome } from './contracts.js';
import { failingFindings } from './review.js';

/** GitHub's limit for output.summary and output.text. */
export const MAX_OUTPUT_LENGTH = 65_535;

/** Longest list (skipped files, syntax errors, problems) shown before "… and N more". */
const MAX_LIST_ITEMS = 50;
/** Notices quote the config file: bound each one. */
const MAX_NOTICE_LENGTH = 1_000;

const SEVERITY_TITLES: Record<Severity, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low' };

export type SummaryInput = Pick<PublishInput, 'config' | 'result' | 'gathered' | 'notices' | 'elapsedMs'>;

/** "3 findings: 1 high, 2 medium" / "No security findings". */
export function checkRunTitle(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'No security findings';
  return `${plural(findings.length, 'finding')}: ${severityBreakdown(findings)}`;
}

function isExisting(f: Finding, placement: PublishOutcome['placement']): boolean {
  return placement?.[f.fingerprint] === 'existing';
}

function verdict(input: SummaryInput, outcome: PublishOutcome): string {
  const threshold = input.config.failOn ?? DEFAULT_CHECK_FAIL_ON;
  if (outcome.conclusion === 'neutral') return '**Not checked:** the scan could not complete.';
  if (threshold === 'never') return '**Passed:** this repository set the check never to fail (`failOn: never`).';
  if (outcome.conclusion === 'failure') {
    const failing = failingFindings(input.result, input.gathered, input.config).length;
    // The caller may have decided "failure" on other grounds; do not print "0 findings".
    if (failing === 0) return '**Failed.**';
    return `**Failed:** ${plural(failing, 'finding')} at or above **${threshold}** severity on lines this pull request changes.`;
  }
  return `**Passed:** no finding at or above **${threshold}** severity on lines this pull request changes.`;
}

/** Severity × practice area, plus new vs already-commented counts per area. */
export function countTable(findings: readonly Finding[], placement: PublishOutcome['placement']): string {
  const rows = new Map<PracticeArea, { sev: Record<Severity, number>; fresh: number; existing: number }>();
  for (const f of findings) {
    const row = rows.get(f.area) ?? { sev: { critical: 0, high: 0, medium: 0, low: 0 }, fresh: 0, existing: 0 };
    row.sev[f.severity]++;
    if (isExisting(f, placement)) row.existing++;
    else row.fresh++;
    rows.set(f.area, row);
  }
  const cell = (n: number): string => (n === 0 ? '·' : String(n));
  const lines = [
    `| Practice area | ${SEVERITIES.map((s) => SEVERITY_TITLES[s]).join(' | ')} | Total | New | Existing |`,
    `| :-- | ${SEVERITIES.map(() => '--:').join(' | ')} | --: | --: | --: |`,
  ];
  const totals = { sev: { critical: 0, high: 0, medium: 0, low: 0 } as Record<Severity, number>, fresh: 0, existing: 0 };
  for (const area of PRACTICE_AREAS) {
    const row = rows.get(area);
    if (!row) continue;
    const total = SEVERITIES.reduce((n, s) => n + row.sev[s], 0);
    for (const s of SEVERITIES) totals.sev[s] += row.sev[s];
    totals.fresh += row.fresh;
    totals.existing += row.existing;
    lines.push(
      `| ${escapeMarkdown(PRACTICE_AREA_TITLES[area])} | ${SEVERITIES.map((s) => cell(row.sev[s])).join(' | ')} | ${total} | ${cell(row.fresh)} | ${cell(row.existing)} |`,
    );
  }
  lines.push(
    `| **Total** | ${SEVERITIES.map((s) => `**${totals.sev[s]}**`).join(' | ')} | **${findings.length}** | **${totals.fresh}** | **${totals.existing}** |`,
  );
  return lines.join('\n');
}

function bulletList<T>(items: readonly T[], max: number, render: (item: T) => string): string {
  const shown = items.slice(0, max).map((i) => `- ${render(i)}`);
  if (items.length > max) shown.push(`- … and ${items.length - max} more`);
  return shown.join('\n');
}

/** Skipped files from gathering and from the scan, one entry per path. */
export function skippedFiles(result: Pick<ScanResult, 'skipped'>, gathered: Pick<GatheredPullRequest, 'skipped'>): SkippedFile[] {
  const seen = new Set<string>();
  const out: SkippedFile[] = [];
  for (const s of [...gathered.skipped, ...result.skipped]) {
    const key = `${s.path}\0${s.reason}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(s);
  }
  return out;
}

function cutNotice(text: string): string {
  return text.length > MAX_NOTICE_LENGTH ? `${text.slice(0, MAX_NOTICE_LENGTH)}…` : text;
}

/** What happened to the findings: posted now, commented before, listed in the details. */
function placementLine(findings: readonly Finding[], outcome: PublishOutcome): string {
  const existing = findings.filter((f) => isExisting(f, outcome.placement)).length;
  const fresh = findings.length - existing;
  const parts = [
    `${fresh} new (${outcome.posted} commented inline in this review${fresh - outcome.posted > 0 ? `, ${fresh - outcome.posted} only in this check run` : ''})`,
    `${existing} already commented in an earlier review`,
  ];
  let line = `**New vs existing:** ${parts.join(', ')}.`;
  if (outcome.overflow > 0) {
    line += ` ${plural(outcome.overflow, 'finding')} on changed lines did not get an inline comment (comment limit or GitHub refused the position) and ${outcome.overflow === 1 ? 'is' : 'are'} listed below.`;
  }
  if (outcome.resolved > 0) {
    line += ` ${plural(outcome.resolved, 'earlier comment')} marked resolved: the finding is gone.`;
  }
  return line;
}

/** The check run summary. */
export function checkRunSummary(input: SummaryInput, outcome: PublishOutcome, maxLength = MAX_OUTPUT_LENGTH): string {
  const { result, gathered } = input;
  const findings = [...result.findings].sort(bySeverity);
  const head: string[] = [verdict(input, outcome)];
  for (const notice of input.notices) {
    head.push(`> [!WARNING]\n> ${escapeWithCodeSpans(cutNotice(notice))}`);
  }
  if (gathered.truncated) {
    head.push(
      '> [!WARNING]\n> This pull request changes more files than GitHub lists (3,000): the files after those were not checked.',
    );
  }
  if (findings.length > 0) {
    head.push(countTable(findings, outcome.placement), placementLine(findings, outcome));
    const notInline = findings.filter((f) => {
      const p = outcome.placement?.[f.fingerprint];
      return p !== 'posted' && p !== 'existing';
    }).length;
    if (notInline > 0) head.push(`${plural(notInline, 'finding')} without an inline comment ${notInline === 1 ? 'is' : 'are'} listed in the details below.`);
  } else {
    head.push('No security findings in the changed files.');
    if (outcome.resolved > 0) head.push(`${plural(outcome.resolved, 'earlier comment')} marked resolved: the finding is gone.`);
  }

  const skipped = skippedFiles(result, gathered);
  const ruleErrors = result.diagnostics.filter((d) => d.kind === 'rule-error');
  const problems = result.diagnostics.filter((d) => d.kind === 'read-error' || d.kind === 'config');
  const sections = (max: number): string[] => {
    const out: string[] = [];
    if (skipped.length > 0) {
      out.push(
        `### ${plural(skipped.length, 'file')} not checked`,
        bulletList(skipped, max, (s) => `${inlineCode(s.path)}: ${escapeWithCodeSpans(s.reason)}`),
      );
    }
    if (result.syntaxErrors.length > 0) {
      out.push(
        `### Syntax errors in ${plural(result.syntaxErrors.length, 'file')}`,
        'The rest of each file was still checked.',
        bulletList(result.syntaxErrors, max, (e) => `${inlineCode(e.path)}: ${linesText(e.lines)}`),
      );
    }
    if (ruleErrors.length > 0) {
      out.push(
        `### ${plural(ruleErrors.length, 'rule error')}`,
        'These rules crashed on a file and were switched off for that file; the rest of the scan went on.',
        bulletList(ruleErrors, max, (d) => {
          const where = inlineCode(d.line ? `${d.path}:${d.line}` : d.path);
          return `${where}: ${d.ruleId ? `${inlineCode(d.ruleId)}: ` : ''}${escapeWithCodeSpans(cutNotice(d.message))}`;
        }),
      );
    }
    if (problems.length > 0) {
      out.push(
        `### ${plural(problems.length, 'other problem')}`,
        bulletList(problems, max, (d) => `${inlineCode(d.path)}: ${escapeWithCodeSpans(cutNotice(d.message))}`),
      );
    }
    return out;
  };
  const { stats } = result;
  const suppressed = result.suppressed.length > 0 ? ` ${plural(result.suppressed.length, 'finding')} suppressed in code.` : '';
  const tail = `<sub>${plural(stats.filesScanned, 'file')} scanned (${plural(stats.lines, 'line')}), ${skipped.length} not checked; scan ${formatDuration(stats.durationMs)}, review ${formatDuration(input.elapsedMs)}.${suppressed}</sub>`;

  const join = (parts: readonly string[]): string => `${parts.join('\n\n')}\n`;
  for (const max of [MAX_LIST_ITEMS, 10, 0]) {
    const out = join([...head, ...sections(max), tail]);
    if (out.length <= maxLength) return out;
  }
  // Still too long: only the notices can be this long (there can be many). Cut hard.
  const note = '\n\n… (cut to stay within GitHub’s length limit)\n';
  return join([...head, tail]).slice(0, maxLength - note.length) + note;
}

const PLACEMENT_HEADINGS: Record<Exclude<FindingPlacement, 'posted' | 'existing'>, string> = {
  'outside-diff': 'Not on a line this pull request changed (or not where GitHub accepts a comment)',
  'no-patch': 'In files GitHub shows no diff for (the diff is too large)',
  'over-cap': 'Over the limit of inline comments per review',
  rejected: 'GitHub did not accept the inline comments',
};

const PLACEMENT_ORDER: (keyof typeof PLACEMENT_HEADINGS)[] = ['over-cap', 'rejected', 'no-patch', 'outside-diff'];

/** Indent every line (for content inside a list item). */
function indent(text: string, by = '  '): string {
  return text
    .split('\n')
    .map((l) => (l === '' ? l : by + l))
    .join('\n');
}

function findingItem(f: Finding, docsBaseUrl?: string): string {
  const head = [
    SEVERITY_BADGES[f.severity],
    `[${inlineCode(f.ruleId)}](${ruleDocsUrl(f.ruleId, docsBaseUrl)})`,
    inlineCode(`${f.path}:${f.range.start.line}`),
  ].join(' · ');
  const parts = [`- ${head}  \n  ${escapeWithCodeSpans(f.message.length > 1000 ? `${f.message.slice(0, 1000)}…` : f.message)}`];
  if (f.fix) parts.push(`  **Suggested fix:** ${escapeWithCodeSpans(f.fix.description)}`);
  if (f.snippet !== '') parts.push(indent(codeBlock(f.snippet, 'python')));
  return parts.join('\n\n');
}

export interface TextOptions {
  maxLength?: number;
  docsBaseUrl?: string;
  /** The comment cap, to name it in the heading. */
  maxComments?: number;
}

/**
 * The check run text: every finding without an inline comment (no placement known → all of
 * them), grouped by why, most severe first. Undefined when there is nothing to list.
 */
export function checkRunText(
  result: Pick<ScanResult, 'findings'>,
  outcome: Pick<PublishOutcome, 'placement'>,
  opts: TextOptions = {},
): string | undefined {
  const maxLength = opts.maxLength ?? MAX_OUTPUT_LENGTH;
  const groups = new Map<string, Finding[]>();
  for (const f of [...result.findings].sort(bySeverity)) {
    const p = outcome.placement ? outcome.placement[f.fingerprint] ?? 'outside-diff' : undefined;
    if (p === 'posted' || p === 'existing') continue;
    const key = p ?? 'all';
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const total = [...groups.values()].reduce((n, g) => n + g.length, 0);
  if (total === 0) return undefined;

  const out: string[] = [];
  const length = (): number => out.join('\n\n').length;
  const omitted = (n: number): string =>
    `> [!NOTE]\n> ${plural(n, 'more finding')} not shown to stay within GitHub's ${maxLength.toLocaleString('en-US')} characters. Run \`pysec scan --base <base branch>\` locally or use the SARIF report for the full list.`;
  let shown = 0;
  const order = outcome.placement ? PLACEMENT_ORDER : (['all'] as const);
  outer: for (const key of order) {
    const group = groups.get(key);
    if (!group) continue;
    let heading: string;
    if (key === 'all') heading = `## ${plural(group.length, 'finding')}`;
    else if (key === 'over-cap' && opts.maxComments !== undefined) {
      heading = `## ${PLACEMENT_HEADINGS[key]} (${opts.maxComments}, \`pullRequests.maxComments\`): ${group.length}`;
    } else heading = `## ${PLACEMENT_HEADINGS[key]}: ${group.length}`;
    let first = true;
    for (const f of group) {
      const parts = first ? [heading, findingItem(f, opts.docsBaseUrl)] : [findingItem(f, opts.docsBaseUrl)];
      const remaining = total - shown - 1;
      const reserve = remaining > 0 ? omitted(remaining).length + 2 : 0;
      if (length() + parts.join('\n\n').length + 2 + reserve + 1 > maxLength) break outer;
      out.push(...parts);
      first = false;
      shown++;
    }
  }
  if (shown < total) out.push(omitted(total - shown));
  const text = `${out.join('\n\n')}\n`;
  return text.length <= maxLength ? text : `${text.slice(0, maxLength - 2)}…\n`;
}

/** The whole output (title, summary, text) for a completed check run. */
export function checkRunOutput(
  input: SummaryInput,
  outcome: PublishOutcome,
  opts: { docsBaseUrl?: string } = {},
): { title: string; summary: string; text?: string } {
  const text = checkRunText(input.result, outcome, {
    docsBaseUrl: opts.docsBaseUrl,
    maxComments: input.config.pullRequests?.maxComments,
  });
  return {
    title: checkRunTitle(input.result.findings),
    summary: checkRunSummary(input, outcome),
    ...(text !== undefined ? { text } : {}),
  };
}
