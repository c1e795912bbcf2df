/**
 * Scoring a scan of the accuracy corpus against its markers. A finding matches a marker
 * when it is from the marker's rule and the marker's line lies within the finding's range.
 * `expect` markers are TP (matched) or FN; `safe` markers are FP (matched) or TN. Findings
 * matching no marker of their rule are "unlabelled": listed, never counted. Pure.
 */
import type { Marker } from './markers.js';

/** The parts of a Finding the scorer needs (a full Finding fits). */
export interface ScoredFinding {
  ruleId: string;
  path: string;
  range: { start: { line: number }; end: { line: number } };
  message?: string;
}

export type Outcome = 'TP' | 'FN' | 'FP' | 'TN';

export interface MarkerResult<F extends ScoredFinding = ScoredFinding> {
  marker: Marker;
  outcome: Outcome;
  /** The findings that matched the marker (empty for FN and TN). */
  findings: F[];
}

export interface Counts {
  tp: number;
  fn: number;
  fp: number;
  tn: number;
}

export interface Rates {
  /** TP / (TP + FP); null when nothing was flagged on a marker. */
  precision: number | null;
  /** TP / (TP + FN), the true-positive rate; null without `expect` markers. */
  recall: number | null;
  /** FP / (FP + TN); null without `safe` markers. */
  fpr: number | null;
  /** recall − fpr (Youden's J); null when either is. */
  youden: number | null;
}

export interface Score<F extends ScoredFinding = ScoredFinding> {
  /** One result per marker, in the order given. */
  results: MarkerResult<F>[];
  /** Counts per rule id (canonical), sorted by id. */
  byRule: Map<string, Counts>;
  /** Every marker. */
  overall: Counts;
  /** Markers of the rules in the group. */
  group: Counts;
  /** Findings that match no marker of their rule. */
  unlabelled: F[];
}

export interface ScoreOptions {
  /** Rule ids scored as a group (the injection rules). */
  group?: readonly string[];
  /** Maps a marker's rule id to the id findings carry (aliases); identity by default. */
  canonical?: (ruleId: string) => string;
}

export const emptyCounts = (): Counts => ({ tp: 0, fn: 0, fp: 0, tn: 0 });

function add(counts: Counts, outcome: Outcome): void {
  if (outcome === 'TP') counts.tp++;
  else if (outcome === 'FN') counts.fn++;
  else if (outcome === 'FP') counts.fp++;
  else counts.tn++;
}

const covers = (f: ScoredFinding, line: number): boolean => f.range.start.line <= line && line <= f.range.end.line;

export function scoreFindings<F extends ScoredFinding>(
  markers: readonly Marker[],
  findings: readonly F[],
  options: ScoreOptions = {},
): Score<F> {
  const canonical = options.canonical ?? ((id: string) => id);
  const group = new Set((options.group ?? []).map(canonical));
  const byKey = new Map<string, F[]>();
  for (const f of findings) {
    const key = `${f.path}\0${f.ruleId}`;
    const list = byKey.get(key);
    if (list) list.push(f);
    else byKey.set(key, [f]);
  }
  const matched = new Set<F>();
  const results: MarkerResult<F>[] = [];
  const byRule = new Map<string, Counts>();
  const overall = emptyCounts();
  const groupCounts = emptyCounts();
  for (const marker of markers) {
    const ruleId = canonical(marker.ruleId);
    const hits = (byKey.get(`${marker.path}\0${ruleId}`) ?? []).filter((f) => covers(f, marker.line));
    for (const f of hits) matched.add(f);
    const outcome: Outcome = marker.kind === 'expect' ? (hits.length > 0 ? 'TP' : 'FN') : hits.length > 0 ? 'FP' : 'TN';
    results.push({ marker, outcome, findings: hits });
    let counts = byRule.get(ruleId);
    if (!counts) byRule.set(ruleId, (counts = emptyCounts()));
    add(counts, outcome);
    add(overall, outcome);
    if (group.has(ruleId)) add(groupCounts, outcome);
  }
  return {
    results,
    byRule: new Map([...byRule].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    overall,
    group: groupCounts,
    unlabelled: findings.filter((f) => !matched.has(f)),
  };
}

const ratio = (num: number, den: number): number | null => (den === 0 ? null : num / den);

export function rates(c: Counts): Rates {
  const precision = ratio(c.tp, c.tp + c.fp);
  const recall = ratio(c.tp, c.tp + c.fn);
  const fpr = ratio(c.fp, c.fp + c.tn);
  return { precision, recall, fpr, youden: recall === null || fpr === null ? null : recall - fpr };
}

/** The markers the scan got wrong: missed `expect`s and flagged `safe`s. */
export function mismatches<F extends ScoredFinding>(results: readonly MarkerResult<F>[]): MarkerResult<F>[] {
  return results.filter((r) => r.outcome === 'FN' || r.outcome === 'FP');
}

/** `app/views.py:12 expect sql-injection: not reported` / `... safe ssrf: reported (message)`. */
export function describeMismatch(r: MarkerResult, note?: string): string {
  const { marker } = r;
  const where = `${marker.path}:${marker.line} ${marker.kind} ${marker.ruleId}`;
  const what =
    r.outcome === 'FN'
      ? 'not reported'
      : `reported${r.findings[0]?.message ? ` ("${r.findings[0].message}")` : ''}`;
  return `${where}: ${what}${note ? ` ${note}` : ''}`;
}

const pct = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(2));

/** A fixed-width table: one row per rule, then the group and overall rows. */
export function formatScoreTable(score: Score, groupName = 'injection'): string {
  const rows: [string, Counts][] = [...score.byRule, [`(${groupName})`, score.group], ['(overall)', score.overall]];
  const width = Math.max(12, ...rows.map(([id]) => id.length));
  const head = `${'rule'.padEnd(width)}   TP   FN   FP   TN  prec  recall  FPR  TPR-FPR`;
  const lines = rows.map(([id, c]) => {
    const r = rates(c);
    const n = (x: number): string => String(x).padStart(4);
    return `${id.padEnd(width)} ${n(c.tp)} ${n(c.fn)} ${n(c.fp)} ${n(c.tn)}  ${pct(r.precision).padStart(4)}  ${pct(r.recall).padStart(6)}  ${pct(r.fpr).padStart(4)}  ${pct(r.youden).padStart(7)}`;
  });
  return [head, '-'.repeat(head.length), ...lines].join('\n');
}
