import type { Finding, TextEdit } from './types.js';

/**
 * Apply the fixes of `findings` to `source`. Overlapping edits are skipped (the first one,
 * in source order, wins), the same way ESLint resolves conflicting fixes.
 */
export function applyFixes(source: string, findings: readonly Finding[]): string {
  const edits: TextEdit[] = findings.flatMap((f) => f.fix?.edits ?? []).sort((a, b) => a.start - b.start);
  let out = '';
  let pos = 0;
  for (const e of edits) {
    if (e.start < pos) continue;
    out += source.slice(pos, e.start) + e.text;
    pos = e.end;
  }
  return out + source.slice(pos);
}
