/**
 * Suppression comments. pysec honours its own directive and those of the two tools
 * teams already use, so adopting pysec does not mean re-annotating a codebase:
 *
 *   # pysec: ignore[rule-id, other-id]   one or more rules (ids or aliases)
 *   # pysec: ignore                      every rule
 *   # nosec / # nosec B602, B607         Bandit: everything, or the rules mapped to those tests
 *   # noqa: S602                         Ruff: the rules mapped to those codes
 *
 * A bare `# noqa` is deliberately not honoured: it is routinely used to silence style
 * linters (line length, unused import) and must not also hide a security finding.
 */
export type Directive =
  | { kind: 'pysec'; ids: string[] | null; line: number; column: number; text: string }
  | { kind: 'nosec'; codes: string[] | null; line: number; column: number; text: string }
  | { kind: 'noqa'; codes: string[]; line: number; column: number; text: string };

const PYSEC = /#\s*pysec\s*:\s*ignore\b(?:\[([^\]]*)\])?/gi;
const NOSEC = /#\s*nosec\b([^#]*)/gi;
const MAYBE_DIRECTIVE = /pysec|nosec|noqa/i;
const NOQA = /#\s*noqa\s*:\s*([A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*)/gi;

/** False for a comment that holds no directive (nearly every comment: prose or code). */
export function mayBeDirective(comment: string): boolean {
  return MAYBE_DIRECTIVE.test(comment);
}

/** Parse the directives in one comment (a comment may carry several: `# noqa: E501  # nosec`). */
export function parseDirectives(comment: string, line: number, column: number): Directive[] {
  const out: Directive[] = [];
  // Nearly every comment is prose or code: one cheap test before the three scans.
  if (!mayBeDirective(comment)) return out;
  for (const m of comment.matchAll(PYSEC)) {
    const list = m[1];
    const ids =
      list === undefined
        ? null
        : list
            .split(/[\s,]+/)
            .map((s) => s.trim().toLowerCase())
            .filter(Boolean);
    out.push({ kind: 'pysec', ids: ids && ids.length > 0 ? ids : null, line, column: column + (m.index ?? 0), text: m[0] });
  }
  for (const m of comment.matchAll(NOSEC)) {
    const codes = [...(m[1] ?? '').matchAll(/\bB\d{3}\b/gi)].map((c) => c[0].toUpperCase());
    out.push({ kind: 'nosec', codes: codes.length > 0 ? codes : null, line, column: column + (m.index ?? 0), text: m[0].trim() });
  }
  for (const m of comment.matchAll(NOQA)) {
    const codes = (m[1] ?? '').split(/[\s,]+/).filter(Boolean).map((c) => c.toUpperCase());
    out.push({ kind: 'noqa', codes, line, column: column + (m.index ?? 0), text: m[0] });
  }
  return out;
}

export interface SuppressibleRule {
  id: string;
  aliases?: string[];
  bandit?: string[];
  ruff?: string[];
}

/**
 * Does `d` suppress `rule`? Returns the matched id/code (for unused-suppression
 * bookkeeping), or null.
 */
export function directiveMatches(d: Directive, rule: SuppressibleRule): string | null {
  switch (d.kind) {
    case 'pysec': {
      if (d.ids === null) return '*';
      const names = [rule.id, ...(rule.aliases ?? [])];
      return d.ids.find((id) => names.includes(id)) ?? null;
    }
    case 'nosec':
      if (d.codes === null) return '*';
      return d.codes.find((c) => rule.bandit?.includes(c)) ?? null;
    case 'noqa':
      return d.codes.find((c) => rule.ruff?.includes(c)) ?? null;
  }
}
