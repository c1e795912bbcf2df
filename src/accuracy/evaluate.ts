/**
 * The whole measurement in one call: markers of every corpus file, checked against the
 * list of known rule ids, scored against a scan's findings. Pure: the caller reads the
 * files and runs the scan.
 */
import { parseMarkers, unknownRuleIds, type Marker, type MarkerProblem } from './markers.js';
import { describeMismatch, formatScoreTable, mismatches, rates, scoreFindings, type Score, type ScoredFinding } from './score.js';
import { ACCURACY_TARGETS, CORPUS_RULE_IDS, INJECTION_RULE_IDS } from './rule-ids.js';

export interface CorpusFile {
  /** Path relative to the corpus root, forward slashes (the path given to scan()). */
  path: string;
  text: string;
}

export interface EvaluateOptions {
  /**
   * Resolves an id or alias to the id of a registered rule (e.g. `findRule(id)?.meta.id`);
   * undefined when no such rule is registered.
   */
  registered: (ruleId: string) => string | undefined;
  /** Ids markers may name (default: CORPUS_RULE_IDS). */
  known?: readonly string[];
}

export interface Evaluation<F extends ScoredFinding = ScoredFinding> {
  markers: Marker[];
  /** Malformed markers and unknown rule ids: each is a failure of the corpus itself. */
  problems: MarkerProblem[];
  /** Rule ids named by markers that no registered rule answers to (not built yet). */
  unregistered: string[];
  score: Score<F>;
}

export function collectMarkers(files: readonly CorpusFile[], known: readonly string[] = CORPUS_RULE_IDS): { markers: Marker[]; problems: MarkerProblem[] } {
  const markers: Marker[] = [];
  const problems: MarkerProblem[] = [];
  for (const file of files) {
    const parsed = parseMarkers(file.path, file.text);
    markers.push(...parsed.markers);
    problems.push(...parsed.problems);
  }
  problems.push(...unknownRuleIds(markers, known));
  return { markers, problems };
}

export function evaluateCorpus<F extends ScoredFinding>(
  files: readonly CorpusFile[],
  findings: readonly F[],
  options: EvaluateOptions,
): Evaluation<F> {
  const { markers, problems } = collectMarkers(files, options.known);
  const canonical = (id: string): string => options.registered(id) ?? id;
  const unregistered = [...new Set(markers.map((m) => m.ruleId))].filter((id) => options.registered(id) === undefined).sort();
  const score = scoreFindings(markers, findings, { group: INJECTION_RULE_IDS, canonical });
  return { markers, problems, unregistered, score };
}

export interface TargetCheck {
  name: string;
  value: number | null;
  target: string;
  ok: boolean;
}

/** The issue-4 targets, evaluated: overall recall and FPR, injection TPR − FPR. */
export function checkTargets(score: Score): TargetCheck[] {
  const overall = rates(score.overall);
  const injection = rates(score.group);
  return [
    { name: 'overall recall', value: overall.recall, target: `>= ${ACCURACY_TARGETS.minRecall}`, ok: overall.recall !== null && overall.recall >= ACCURACY_TARGETS.minRecall },
    { name: 'overall FPR', value: overall.fpr, target: `<= ${ACCURACY_TARGETS.maxFalsePositiveRate}`, ok: overall.fpr !== null && overall.fpr <= ACCURACY_TARGETS.maxFalsePositiveRate },
    { name: 'injection TPR-FPR', value: injection.youden, target: `>= ${ACCURACY_TARGETS.minInjectionYouden}`, ok: injection.youden !== null && injection.youden >= ACCURACY_TARGETS.minInjectionYouden },
  ];
}

/** The mismatched markers as `path:line expect rule: not reported` lines. */
export function mismatchLines(ev: Evaluation): string[] {
  const missing = new Set(ev.unregistered);
  return mismatches(ev.score.results).map((r) => describeMismatch(r, missing.has(r.marker.ruleId) ? '(rule not registered)' : undefined));
}

/** A plain-text report: the table, the targets, problems, unregistered ids, unlabelled counts. */
export function formatEvaluation(ev: Evaluation, options: { verbose?: boolean } = {}): string {
  const out: string[] = [];
  const expects = ev.markers.filter((m) => m.kind === 'expect').length;
  const lines = new Set(ev.markers.map((m) => `${m.path}:${m.line}`)).size;
  out.push(`${ev.markers.length} markers (${expects} expect, ${ev.markers.length - expects} safe) on ${lines} lines`);
  out.push('');
  out.push(formatScoreTable(ev.score));
  out.push('');
  for (const t of checkTargets(ev.score)) {
    out.push(`${t.ok ? 'PASS' : 'FAIL'}  ${t.name} = ${t.value === null ? 'n/a' : t.value.toFixed(3)} (target ${t.target})`);
  }
  if (ev.problems.length > 0) {
    out.push('', `Marker problems (${ev.problems.length}):`);
    for (const p of ev.problems) out.push(`  ${p.path}:${p.line} ${p.message}`);
  }
  if (ev.unregistered.length > 0) {
    out.push('', `Rules named by markers but not registered (${ev.unregistered.length}): ${ev.unregistered.join(', ')}`);
  }
  const wrong = mismatchLines(ev);
  out.push('', `Mismatched markers: ${wrong.length}`);
  if (options.verbose) for (const line of wrong) out.push(`  ${line}`);
  const byRule = new Map<string, number>();
  for (const f of ev.score.unlabelled) byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
  out.push('', `Unlabelled findings (informational): ${ev.score.unlabelled.length}`);
  for (const [id, n] of [...byRule].sort(([a], [b]) => (a < b ? -1 : 1))) out.push(`  ${id}: ${n}`);
  if (options.verbose) {
    for (const f of ev.score.unlabelled) out.push(`  ${f.path}:${f.range.start.line} ${f.ruleId}${f.message ? ` ${f.message}` : ''}`);
  }
  return out.join('\n');
}
