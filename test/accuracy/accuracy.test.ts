/**
 * The labelled accuracy corpus (test/corpus, see its README): every `# expect:` marker must
 * be reported by its rule and every `# safe:` marker must not be, and the overall targets of
 * issue 4 must hold. `npm run bench:accuracy` prints the same measurement as a table.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scan } from '../../src/scan/index.js';
import { configSchema } from '../../src/config/schema.js';
import { findRule } from '../../src/rules/index.js';
import type { Finding } from '../../src/core/types.js';
import {
  checkTargets,
  collectMarkers,
  evaluateCorpus,
  formatScoreTable,
  mismatchLines,
  type CorpusFile,
  type Evaluation,
} from '../../src/accuracy/index.js';

const root = fileURLToPath(new URL('../corpus/', import.meta.url));

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if (entry.name.endsWith('.py')) out.push(full);
  }
  return out.sort();
}

// Paths relative to the corpus root, as a repository scan would give them.
const files: CorpusFile[] = walk(root).map((full) => ({
  path: relative(root, full).split(sep).join('/'),
  text: readFileSync(full, 'utf8'),
}));

let ev: Evaluation<Finding>;
let syntaxErrors: { path: string; lines: number[] }[] = [];

beforeAll(async () => {
  const config = configSchema.parse({ minConfidence: 'low', minSeverity: 'low' });
  const result = await scan(
    files.map((f) => ({ path: f.path, content: f.text })),
    { config },
  );
  syntaxErrors = result.syntaxErrors;
  ev = evaluateCorpus(files, result.findings, { registered: (id) => findRule(id)?.meta.id });
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
