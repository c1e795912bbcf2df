/**
 * Helpers shared by the renderers: ordering, counting, rule lookup, wording.
 */
import { SEVERITIES, SEVERITY_RANK, type Finding, type Rule, type Severity } from '../core/types.js';
import type { ScanResult } from '../scan/index.js';
import { findRule } from '../rules/index.js';

/** Findings in reading order: path, then position, then rule id. */
export function byLocation(a: Finding, b: Finding): number {
  return (
    compareStrings(a.path, b.path) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.column - b.range.start.column ||
    compareStrings(a.ruleId, b.ruleId)
  );
}

/** Most severe first, then reading order. */
export function bySeverity(a: Finding, b: Finding): number {
  return SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || byLocation(a, b);
}

/** Locale-independent comparison, so output does not depend on the machine's locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/** "1 critical, 2 high" (only non-zero severities, most severe first). */
export function severityBreakdown(findings: readonly Finding[]): string {
  const counts = countBySeverity(findings);
  return SEVERITIES.filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${s}`)
    .join(', ');
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "0.42 s", "12.3 s" */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
}

/**
 * Every rule a result refers to: the rules that ran, then (in order of first use) rules
 * that produced findings without being in that list, such as `unused-suppression`, which
 * the engine reports itself. Unknown ids are left out.
 */
export function rulesOf(result: Pick<ScanResult, 'rules' | 'findings'>, extra: readonly Finding[] = []): Rule[] {
  const rules = [...result.rules];
  const seen = new Set(rules.map((r) => r.meta.id));
  for (const f of [...result.findings, ...extra]) {
    if (seen.has(f.ruleId)) continue;
    const rule = findRule(f.ruleId);
    if (rule && !seen.has(rule.meta.id)) {
      rules.push(rule);
      seen.add(rule.meta.id);
    }
    seen.add(f.ruleId);
  }
  return rules;
}

/** The rule behind a finding: from the rules that ran, else from the catalogue. */
export function ruleOf(result: Pick<ScanResult, 'rules'>, ruleId: string): Rule | undefined {
  return result.rules.find((r) => r.meta.id === ruleId) ?? findRule(ruleId);
}

/** Diagnostics that are not already listed as skipped files or syntax errors. */
export function otherDiagnostics(result: Pick<ScanResult, 'diagnostics'>): ScanResult['diagnostics'] {
  return result.diagnostics.filter((d) => d.kind !== 'syntax-error' && d.kind !== 'skipped');
}

/** "line 3", "lines 3, 7" */
export function linesText(lines: readonly number[]): string {
  return lines.length === 1 ? `line ${lines[0]}` : `lines ${lines.join(', ')}`;
}
