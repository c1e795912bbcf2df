/**
 * The labelled accuracy corpus (test/corpus, see its README): every `# expect:` marker must
 * be reported by its rule and every `# safe:` marker must not be, and the overall targets of
 * issue 4 must hold. `npm run bench:accuracy` prints the same measurement as a table.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Finding } from '../../src/core/types.js';
import { readCorpus, scanCorpus } from '../helpers/corpus.js';
import {
  checkTargets,
  collectMarkers,
  formatScoreTable,
  mismatchLines,
  type CorpusFile,
  type Evaluation,
} from '../../src/accuracy/index.js';



const files: CorpusFile[] = readCorpus(new URL('../corpus/', import.meta.url));

let ev: Evaluation<Finding>;
let syntaxErrors: { path: string; lines: number[] }[] = [];

beforeAll(async () => {
  ({ ev, syntaxErrors } = await scanCorpus(files));
});

const fail = (title: string, lines: string[]): void => {
  if (lines.length > 0) throw new Error(`${title} (${lines.length}):\n  ${lines.join('\n  ')}`);
};

describe('accuracy corpus', () => {
  it('has the size the issue asks for', () => {
    const { markers } = collectMarkers(files);
    expect(files.length).toBeGreaterThanOrEqual(15);
    expect(markers.length).toBeGreaterThanOrEqual(300);
  });

  it('parses without syntax errors', () => {
    expect(syntaxErrors).toEqual([]);
  });

  it('has well-formed markers naming known rule ids (src/accuracy/rule-ids.ts)', () => {
    fail(
      'marker problems',
      ev.problems.map((p) => `${p.path}:${p.line} ${p.message}`),
    );
  });

  it('names only rules that are registered', () => {
    fail('rule ids named by corpus markers but not registered in src/rules', ev.unregistered);
  });

  for (const file of files) {
    it(`labels of ${file.path}`, () => {
      fail(
        `mismatched markers in ${file.path}`,
        mismatchLines(ev).filter((line) => line.startsWith(`${file.path}:`)),
      );
    });
  }
});

describe('accuracy targets (issue 4)', () => {
  for (const name of ['overall recall', 'overall FPR', 'injection TPR-FPR']) {
    it(name, () => {
      const t = checkTargets(ev.score).find((c) => c.name === name);
      if (!t) throw new Error(`no target named ${name}`);
      if (!t.ok) {
        throw new Error(
          `${name} = ${t.value === null ? 'n/a' : t.value.toFixed(3)}, target ${t.target}\n${formatScoreTable(ev.score)}`,
        );
      }
    });
  }
});
