import { createHash } from 'node:crypto';

/**
 * Code normalised for fingerprints: whitespace removed, so re-indenting or re-wrapping
 * a call does not make an old finding look new.
 */
export function normalizeCode(code: string): string {
  return code.replace(/\s+/g, '');
}

/**
 * A stable id for a finding: rule + file + normalised flagged code + occurrence index
 * among identical (rule, code) pairs in the file. Line numbers are not part of it, so
 * adding unrelated lines above a finding does not change its fingerprint.
 */
export function fingerprint(ruleId: string, path: string, code: string, occurrence: number): string {
  return createHash('sha256')
    .update(`${ruleId}\0${path}\0${normalizeCode(code)}\0${occurrence}`)
    .digest('hex')
    .slice(0, 32);
}
