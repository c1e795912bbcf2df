/**
 * Changed and commentable lines from unified diffs. The same code serves `pysec scan --base`
 * (a `git diff` of many files) and the GitHub App (one `patch` per file from pulls.listFiles),
 * so "which lines did this change touch" means the same thing in both.
 */
import parseDiff from 'parse-diff';

export interface Hunk {
  /** First and last line of the hunk on the new (RIGHT) side, 1-based, inclusive. */
  start: number;
  end: number;
}

export interface FileChanges {
  /** Lines added or modified on the new side. */
  added: Set<number>;
  /** Lines GitHub accepts review comments on: every new-side line inside a hunk. */
  commentable: Set<number>;
  hunks: Hunk[];
}

function fromChunks(chunks: parseDiff.Chunk[]): FileChanges {
  const out: FileChanges = { added: new Set(), commentable: new Set(), hunks: [] };
  for (const chunk of chunks) {
    let first = Infinity;
    let last = -Infinity;
    for (const change of chunk.changes) {
      let line: number | undefined;
      if (change.type === 'add') {
        line = change.ln;
        out.added.add(line);
      } else if (change.type === 'normal') {
        line = change.ln2;
      }
      if (line !== undefined) {
        out.commentable.add(line);
        first = Math.min(first, line);
        last = Math.max(last, line);
      }
    }
    if (first <= last) out.hunks.push({ start: first, end: last });
  }
  return out;
}

/**
 * parse-diff, minus `\ No newline at end of file` markers: parse-diff turns each into a copy of
 * the previous change (no effect on the lines computed here) and throws a TypeError when the
 * marker comes first in a hunk (`@@ -0 +0 @@\n\\ No newline at end of file`, found by fuzzing).
 */
function parseDiffSafe(text: string): parseDiff.File[] {
  return parseDiff(text.split('\n').filter((l) => l !== '\\ No newline at end of file').join('\n'));
}

/** Lines of one file's patch (GitHub's `patch` field: hunks without file headers). */
export function parsePatch(patch: string): FileChanges {
  const files = parseDiffSafe(patch);
  return fromChunks(files.flatMap((f) => f.chunks));
}

/**
 * A multi-file unified diff (`git diff`) → changes by new-side path. Deleted files are left
 * out (nothing to scan); renamed files appear under their new name.
 */
export function parseUnifiedDiff(diff: string): Map<string, FileChanges> {
  const out = new Map<string, FileChanges>();
  for (const file of parseDiffSafe(diff)) {
    if (file.deleted || !file.to || file.to === '/dev/null') continue;
    const path = file.to.replace(/^b\//, '');
    out.set(path, fromChunks(file.chunks));
  }
  return out;
}

/** The hunk containing both lines, if any: review comments may not span hunks. */
export function hunkContaining(changes: FileChanges, start: number, end: number): Hunk | undefined {
  return changes.hunks.find((h) => h.start <= start && end <= h.end);
}
