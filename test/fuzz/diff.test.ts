/**
 * Fuzzing src/diff (issue 6): random unified diffs and GitHub `patch` fields, valid and
 * mutated (headers that lie about their counts, truncated hunks, garbage lines) through
 * parsePatch and parseUnifiedDiff: never throw, < 2 s per input, and the result is coherent
 * (integer lines, added ⊆ commentable, every hunk start ≤ end).
 * Sizes and seeds: see test/fuzz/runs.ts (PYSEC_FUZZ_RUNS, PYSEC_FUZZ_SEED).
 */
import { describe, it } from '@jest/globals';
import fc from 'fast-check';
import { params, TIMEOUT, timed } from './runs.js';
import { hunkContaining, parsePatch, parseUnifiedDiff, type FileChanges } from '../../src/diff/index.js';

function checkChanges(c: FileChanges): void {
  for (const l of [...c.added, ...c.commentable]) if (!Number.isInteger(l)) throw new Error(`non-integer line ${l}`);
  for (const l of c.added) if (!c.commentable.has(l)) throw new Error(`added line ${l} is not commentable`);
  for (const h of c.hunks) {
    if (!Number.isInteger(h.start) || !Number.isInteger(h.end) || h.start > h.end) throw new Error(`bad hunk ${JSON.stringify(h)}`);
    if (hunkContaining(c, h.start, h.end) === undefined) throw new Error(`hunkContaining misses ${JSON.stringify(h)}`);
  }
}

const garbage = fc.oneof(fc.string({ maxLength: 15 }), fc.string({ unit: 'grapheme', maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 8 }));
const count = fc.oneof(fc.nat(30), fc.constantFrom(0, 1, 99999999, -1));
const hunkHeader = fc
  .tuple(count, fc.option(count, { nil: undefined }), count, fc.option(count, { nil: undefined }), fc.constantFrom('', ' def f():', ' class A:', '@@'))
  .map(([a, b, c, d, ctx]) => `@@ -${a}${b !== undefined ? `,${b}` : ''} +${c}${d !== undefined ? `,${d}` : ''} @@${ctx}`);
const bodyLine = fc.oneof(
  fc.tuple(fc.constantFrom(' ', '+', '-', ' ', '+'), fc.string({ maxLength: 12 })).map(([p, s]) => p + s.replace(/[\r\n]/g, '')),
  fc.constantFrom('\\ No newline at end of file', '', '+', '-', ' ', '@@', '@@ -1 +1 @@', '+++ b/x', '--- a/x', 'diff --git a/x b/x'),
  garbage,
);
const hunk = fc.tuple(hunkHeader, fc.array(bodyLine, { maxLength: 12 })).map(([h, ls]) => [h, ...ls].join('\n'));
const patch = fc.tuple(fc.array(hunk, { maxLength: 4 }), fc.constantFrom('\n', '\r\n'), fc.boolean()).map(([hs, eol, trail]) => hs.join(eol) + (trail ? eol : ''));

const filePath = fc.oneof(fc.constantFrom('app.py', 'pkg/mod.py', 'a b/c.py', 'ü.py', '"quoted\\tname.py"', 'dev/null'), fc.stringMatching(/^[a-z/._-]{1,12}$/));
const fileHeader = fc
  .tuple(filePath, filePath, fc.constantFrom('plain', 'new', 'deleted', 'rename', 'binary', 'mode', 'noheader'))
  .map(([a, b, kind]) => {
    const git = `diff --git a/${a} b/${b}`;
    switch (kind) {
      case 'new':
        return `${git}\nnew file mode 100644\nindex 0000000..e69de29\n--- /dev/null\n+++ b/${b}`;
      case 'deleted':
        return `${git}\ndeleted file mode 100644\n--- a/${a}\n+++ /dev/null`;
      case 'rename':
        return `${git}\nsimilarity index 90%\nrename from ${a}\nrename to ${b}\n--- a/${a}\n+++ b/${b}`;
      case 'binary':
        return `${git}\nBinary files a/${a} and b/${b} differ`;
      case 'mode':
        return `${git}\nold mode 100644\nnew mode 100755`;
      case 'noheader':
        return `--- ${a}\n+++ ${b}`;
      default:
        return `${git}\nindex 83db48f..bf269f4 100644\n--- a/${a}\n+++ b/${b}`;
    }
  });
const unifiedDiff = fc
  .tuple(fc.array(fc.tuple(fileHeader, patch), { maxLength: 4 }), fc.array(fc.tuple(fc.nat(), garbage), { maxLength: 2 }))
  .map(([files, junk]) => {
    const lines = files.map(([h, p]) => `${h}\n${p}`).join('\n').split('\n');
    for (const [at, g] of junk) lines.splice(lines.length === 0 ? 0 : at % lines.length, 0, g);
    return lines.join('\n');
  });

describe('fuzz: diffs', () => {
  it(
    'parsePatch never throws and gives coherent changes',
    () => {
      fc.assert(
        fc.property(fc.oneof(patch, garbage), (p) => {
          checkChanges(timed('parsePatch', () => parsePatch(p)));
        }),
        // Regression: parse-diff threw a TypeError on a hunk opening with the no-newline marker.
        { ...params(1000, 0.05), examples: [['@@ -0 +0 @@\n\\ No newline at end of file']] },
      );
    },
    TIMEOUT,
  );

  it(
    'parseUnifiedDiff never throws and gives coherent changes',
    () => {
      fc.assert(
        fc.property(fc.oneof(unifiedDiff, garbage), (d) => {
          const out = timed('parseUnifiedDiff', () => parseUnifiedDiff(d));
          for (const [path, c] of out) {
            if (path === '' || path === '/dev/null') throw new Error(`bad path ${JSON.stringify(path)}`);
            checkChanges(c);
          }
        }),
        params(1000, 0.05),
      );
    },
    TIMEOUT,
  );
});
