/**
 * Held-out accuracy measurement (test/corpus-holdout): modules written blind, from the rule
 * descriptions in docs/rules only, that no rule was tuned to. Unlike accuracy.test.ts this does
 * not assert each marker: it asserts only the overall targets (injection-group recall and
 * TPR − FPR, overall false-positive rate) and prints the per-rule table and every mismatched
 * marker when a target is missed. Same scan, scorer and marker syntax as test/corpus.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Finding } from '../../src/core/types.js';
import { readCorpus, scanCorpus } from '../helpers/corpus.js';
import {
  formatScoreTable,
  mismatchLines,
  rates,
  type CorpusFile,
  type Evaluation,
} from '../../src/accuracy/index.js';


/** Held-out targets: a measurement of unseen code, so only aggregate rates are asserted. */
const TARGETS = { minInjectionRecall: 0.75, maxFalsePositiveRate: 0.1, minInjectionYouden: 0.75 } as const;


const files: CorpusFile[] = readCorpus(new URL('../corpus-holdout/', import.meta.url));

let ev: Evaluation<Finding>;
let syntaxErrors: { path: string; lines: number[] }[] = [];

beforeAll(async () => {
  ({ ev, syntaxErrors } = await scanCorpus(files));
});

const fmt = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(3));

function report(): string {
  const wrong = mismatchLines(ev);
  return [formatScoreTable(ev.score), '', `Mismatched markers (${wrong.length}):`, ...wrong.map((l) => `  ${l}`)].join('\n');
}

// PYSEC_HOLDOUT_REPORT=1 prints the table and the mismatches even when every target holds.
afterAll(() => {
  if (process.env.PYSEC_HOLDOUT_REPORT === '1' && ev) {
    const expects = ev.markers.filter((m) => m.kind === 'expect').length;
    const labelled = new Set(ev.markers.map((m) => m.ruleId));
    const unlabelled = ev.score.unlabelled
      .filter((f) => labelled.has(f.ruleId))
      .map((f) => `  ${f.path}:${f.range.start.line} ${f.ruleId}`);
    process.stdout.write(
      `\n${ev.markers.length} markers (${expects} expect, ${ev.markers.length - expects} safe) in ${files.length} files\n${report()}\n` +
        `\nUnlabelled findings of the labelled rules (informational, ${unlabelled.length}):\n${unlabelled.join('\n')}\n`,
    );
  }
});

describe('held-out accuracy corpus', () => {
  // Integrity of the corpus itself, not accuracy: a typo must not silently score.
  it('parses and has well-formed markers naming known rule ids', () => {
    expect(syntaxErrors).toEqual([]);
    expect(ev.problems.map((p) => `${p.path}:${p.line} ${p.message}`)).toEqual([]);
    expect(ev.markers.length).toBeGreaterThan(0);
  });

  const targets: { name: string; value: () => number | null; ok: (v: number) => boolean; target: string }[] = [
    { name: 'injection recall', value: () => rates(ev.score.group).recall, ok: (v) => v >= TARGETS.minInjectionRecall, target: `>= ${TARGETS.minInjectionRecall}` },
    { name: 'overall FPR', value: () => rates(ev.score.overall).fpr, ok: (v) => v <= TARGETS.maxFalsePositiveRate, target: `<= ${TARGETS.maxFalsePositiveRate}` },
    { name: 'injection TPR-FPR', value: () => rates(ev.score.group).youden, ok: (v) => v >= TARGETS.minInjectionYouden, target: `>= ${TARGETS.minInjectionYouden}` },
  ];

  for (const t of targets) {
    it(`${t.name} ${t.target}`, () => {
      const v = t.value();
      if (v === null || !t.ok(v)) {
        throw new Error(`${t.name} = ${fmt(v)}, target ${t.target}\n${report()}`);
      }
    });
  }
});
