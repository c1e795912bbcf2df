import { describe, expect, it } from '@jest/globals';
import {
  CORPUS_RULE_IDS,
  EXISTING_RULE_IDS,
  INJECTION_RULE_IDS,
  PLANNED_RULE_IDS,
  checkTargets,
  evaluateCorpus,
  formatEvaluation,
  formatScoreTable,
  mismatchLines,
  parseMarkers,
  rates,
  scoreFindings,
  unknownRuleIds,
  type Marker,
  type ScoredFinding,
} from '../../src/accuracy/index.js';
import { findRule } from '../../src/rules/index.js';

const finding = (ruleId: string, path: string, start: number, end = start, message?: string): ScoredFinding => ({
  ruleId,
  path,
  range: { start: { line: start }, end: { line: end } },
  ...(message ? { message } : {}),
});
const marker = (kind: Marker['kind'], ruleId: string, line: number, path = 'a.py'): Marker => ({ path, line, kind, ruleId });

describe('parseMarkers', () => {
  const cases: [string, string, [number, Marker['kind'], string][]][] = [
    ['one expect', 'x = 1  # expect: sql-injection', [[1, 'expect', 'sql-injection']]],
    ['one safe', 'x = 1  # safe: ssrf', [[1, 'safe', 'ssrf']]],
    ['several ids', 'x  # expect: sql-injection, log-injection', [[1, 'expect', 'sql-injection'], [1, 'expect', 'log-injection']]],
    ['both kinds on a line', 'x  # expect: ssrf # safe: request-without-timeout', [[1, 'expect', 'ssrf'], [1, 'safe', 'request-without-timeout']]],
    ['no space after #', 'x  #expect:ssrf', [[1, 'expect', 'ssrf']]],
    ['after another comment', 'x  # noqa: S608  # safe: sql-string-built', [[1, 'safe', 'sql-string-built']]],
    ['line numbers are 1-based', 'a = 1\nb = 2\nc = 3  # safe: ssrf\n', [[3, 'safe', 'ssrf']]],
    ['CRLF line endings', 'a = 1\r\nb = 2  # expect: ssrf\r\n', [[2, 'expect', 'ssrf']]],
    ['prose comments are not markers', '# this is safe: nothing to see\n# we expect the worst\nx = 1  # expected to be fast', []],
    ['no markers', 'def f():\n    return 1\n', []],
  ];
  for (const [name, text, expected] of cases) {
    it(name, () => {
      const r = parseMarkers('a.py', text);
      expect(r.problems).toEqual([]);
      expect(r.markers).toEqual(expected.map(([line, kind, ruleId]) => ({ path: 'a.py', line, kind, ruleId })));
    });
  }

  const bad: [string, string, RegExp][] = [
    ['empty id list', 'x  # expect:', /names no rule id/],
    ['not kebab-case', 'x  # expect: SQL_Injection', /is not a rule id/],
    ['space-separated ids', 'x  # expect: ssrf log-injection', /is not a rule id/],
    ['trailing comma', 'x  # safe: ssrf,', /is not a rule id/],
    ['same id twice', 'x  # expect: ssrf, ssrf', /named twice/],
    ['expected and safe', 'x  # expect: ssrf # safe: ssrf', /both expected and safe/],
    ['text after a marker', 'x  # expect: ssrf # TODO check', /unexpected text after a marker/],
    ['missing colon', 'x  # expect sql-injection', /looks like a marker/],
    ['plural keyword', 'x  # expects: sql-injection', /looks like a marker/],
    ['capitalised keyword', 'x  # Expect: sql-injection', /looks like a marker/],
    ['equals sign', 'x  # safe= ssrf', /looks like a marker/],
  ];
  for (const [name, text, message] of bad) {
    it(`reports ${name}`, () => {
      const r = parseMarkers('a.py', text);
      expect(r.problems).toHaveLength(1);
      expect(r.problems[0]).toMatchObject({ path: 'a.py', line: 1 });
      expect(r.problems[0]?.message).toMatch(message);
    });
  }

  it('keeps the valid ids of a line with a bad one', () => {
    const r = parseMarkers('a.py', 'x  # expect: ssrf, Bad_Id');
    expect(r.markers).toEqual([marker('expect', 'ssrf', 1)]);
    expect(r.problems).toHaveLength(1);
  });
});

describe('unknownRuleIds', () => {
  it('reports ids outside the known list with their place', () => {
    const problems = unknownRuleIds([marker('expect', 'sql-injection', 1), marker('safe', 'sql-injecton', 7, 'b.py')], ['sql-injection']);
    expect(problems).toEqual([{ path: 'b.py', line: 7, message: expect.stringContaining('unknown rule id "sql-injecton"') }]);
  });
});

describe('rule id lists', () => {
  it('have no duplicates and only kebab-case ids', () => {
    expect(new Set(CORPUS_RULE_IDS).size).toBe(CORPUS_RULE_IDS.length);
    for (const id of CORPUS_RULE_IDS) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('list existing rules that are registered', () => {
    expect(EXISTING_RULE_IDS.filter((id) => findRule(id)?.meta.id !== id)).toEqual([]);
  });

  it('put the injection group inside the known ids', () => {
    expect(INJECTION_RULE_IDS.filter((id) => !CORPUS_RULE_IDS.includes(id))).toEqual([]);
    expect(PLANNED_RULE_IDS.filter((id) => (EXISTING_RULE_IDS as readonly string[]).includes(id))).toEqual([]);
  });
});

describe('scoreFindings', () => {
  it('counts TP, FN, FP and TN per rule and overall', () => {
    const markers = [
      marker('expect', 'ssrf', 1),
      marker('expect', 'ssrf', 2),
      marker('safe', 'ssrf', 3),
      marker('safe', 'ssrf', 4),
      marker('expect', 'weak-hash', 5),
    ];
    const findings = [finding('ssrf', 'a.py', 1), finding('ssrf', 'a.py', 3), finding('weak-hash', 'a.py', 5)];
    const s = scoreFindings(markers, findings);
    expect(s.results.map((r) => r.outcome)).toEqual(['TP', 'FN', 'FP', 'TN', 'TP']);
    expect(s.byRule.get('ssrf')).toEqual({ tp: 1, fn: 1, fp: 1, tn: 1 });
    expect(s.byRule.get('weak-hash')).toEqual({ tp: 1, fn: 0, fp: 0, tn: 0 });
    expect(s.overall).toEqual({ tp: 2, fn: 1, fp: 1, tn: 1 });
    expect(s.unlabelled).toEqual([]);
  });

  it('matches a marker anywhere inside a multi-line finding, inclusive', () => {
    const findings = [finding('ssrf', 'a.py', 3, 6)];
    const outcomes = [2, 3, 5, 6, 7].map((line) => scoreFindings([marker('expect', 'ssrf', line)], findings).results[0]?.outcome);
    expect(outcomes).toEqual(['FN', 'TP', 'TP', 'TP', 'FN']);
  });

  it('needs the same rule and the same file', () => {
    const s = scoreFindings(
      [marker('expect', 'ssrf', 1), marker('safe', 'ssrf', 2)],
      [finding('sql-injection', 'a.py', 1), finding('ssrf', 'b.py', 2)],
    );
    expect(s.results.map((r) => r.outcome)).toEqual(['FN', 'TN']);
    expect(s.unlabelled.map((f) => `${f.path}:${f.ruleId}`)).toEqual(['a.py:sql-injection', 'b.py:ssrf']);
  });

  it('lists unlabelled findings without counting them', () => {
    const s = scoreFindings([marker('expect', 'ssrf', 1)], [finding('ssrf', 'a.py', 1), finding('ssrf', 'a.py', 9)]);
    expect(s.overall).toEqual({ tp: 1, fn: 0, fp: 0, tn: 0 });
    expect(s.unlabelled).toEqual([finding('ssrf', 'a.py', 9)]);
  });

  it('lets one finding match several markers of its rule', () => {
    const s = scoreFindings([marker('expect', 'ssrf', 1), marker('expect', 'ssrf', 2)], [finding('ssrf', 'a.py', 1, 2)]);
    expect(s.overall.tp).toBe(2);
  });

  it('scores the group apart and maps aliases to canonical ids', () => {
    const s = scoreFindings(
      [marker('expect', 'old-ssrf', 1), marker('safe', 'weak-hash', 2)],
      [finding('ssrf', 'a.py', 1), finding('weak-hash', 'a.py', 2)],
      { group: ['ssrf'], canonical: (id) => (id === 'old-ssrf' ? 'ssrf' : id) },
    );
    expect(s.group).toEqual({ tp: 1, fn: 0, fp: 0, tn: 0 });
    expect(s.overall).toEqual({ tp: 1, fn: 0, fp: 1, tn: 0 });
    expect([...s.byRule.keys()]).toEqual(['ssrf', 'weak-hash']);
  });
});

describe('rates', () => {
  const cases: [string, Parameters<typeof rates>[0], ReturnType<typeof rates>][] = [
    ['all four', { tp: 3, fn: 1, fp: 1, tn: 9 }, { precision: 0.75, recall: 0.75, fpr: 0.1, youden: 0.65 }],
    ['nothing labelled', { tp: 0, fn: 0, fp: 0, tn: 0 }, { precision: null, recall: null, fpr: null, youden: null }],
    ['only expects, none found', { tp: 0, fn: 4, fp: 0, tn: 0 }, { precision: null, recall: 0, fpr: null, youden: null }],
    ['only safes, all quiet', { tp: 0, fn: 0, fp: 0, tn: 4 }, { precision: null, recall: null, fpr: 0, youden: null }],
    ['perfect', { tp: 2, fn: 0, fp: 0, tn: 2 }, { precision: 1, recall: 1, fpr: 0, youden: 1 }],
  ];
  for (const [name, counts, expected] of cases) {
    it(name, () => {
      const r = rates(counts);
      for (const key of ['precision', 'recall', 'fpr', 'youden'] as const) {
        if (expected[key] === null) expect(r[key]).toBeNull();
        else expect(r[key]).toBeCloseTo(expected[key] as number, 10);
      }
    });
  }
});

describe('evaluateCorpus', () => {
  const files = [
    { path: 'app.py', text: 'a()  # expect: ssrf\nb()  # safe: ssrf\nc()  # expect: sql-injecton\nd()  # expect: weak-hash\n' },
  ];
  const findings = [finding('ssrf', 'app.py', 1), finding('ssrf', 'app.py', 2, 2, 'URL from the request')];
  const registered = (id: string): string | undefined => (id === 'ssrf' ? 'ssrf' : undefined);
  const ev = evaluateCorpus(files, findings, { registered });

  it('reports unknown ids as problems and unregistered ids separately', () => {
    expect(ev.problems.map((p) => `${p.path}:${p.line}`)).toEqual(['app.py:3']);
    expect(ev.unregistered).toEqual(['sql-injecton', 'weak-hash']);
  });

  it('describes mismatches with file:line and why', () => {
    expect(mismatchLines(ev)).toEqual([
      'app.py:2 safe ssrf: reported ("URL from the request")',
      'app.py:3 expect sql-injecton: not reported (rule not registered)',
      'app.py:4 expect weak-hash: not reported (rule not registered)',
    ]);
  });

  it('checks the targets', () => {
    // recall 1/3, FPR 1/1; injection group (ssrf): recall 1, FPR 1 -> TPR-FPR 0
    expect(checkTargets(ev.score).map((t) => [t.name, t.ok])).toEqual([
      ['overall recall', false],
      ['overall FPR', false],
      ['injection TPR-FPR', false],
    ]);
    const good = evaluateCorpus([{ path: 'g.py', text: 'a()  # expect: ssrf\nb()  # safe: ssrf\n' }], [finding('ssrf', 'g.py', 1)], { registered });
    expect(checkTargets(good.score).every((t) => t.ok)).toBe(true);
  });

  it('formats a report with the table, targets and problems', () => {
    const text = formatEvaluation(ev, { verbose: true });
    expect(text).toMatch(/^4 markers \(3 expect, 1 safe\) on 4 lines/);
    expect(text).toContain('(injection)');
    expect(text).toContain('(overall)');
    expect(text).toContain('FAIL  overall recall');
    expect(text).toContain('app.py:3 unknown rule id "sql-injecton"');
    expect(text).toContain('Rules named by markers but not registered (2): sql-injecton, weak-hash');
    expect(formatScoreTable(ev.score).split('\n')[0]).toMatch(/^rule\s+TP\s+FN\s+FP\s+TN\s+prec\s+recall\s+FPR\s+TPR-FPR$/);
  });
});
