/**
 * Poetry version constraints → PEP 440 specifier sets (poetry-core's parse_constraint rules).
 *   ^1.2.3 → >=1.2.3,<2.0.0   ^0.2.3 → >=0.2.3,<0.3.0   ^0.0.3 → >=0.0.3,<0.0.4   ^1 → >=1,<2
 *   ~1.2.3 → >=1.2.3,<1.3.0   ~1.2 → >=1.2,<1.3         ~1 → >=1,<2
 *   * → ''   1.2.3 → ==1.2.3   1.2.* / 1.2.x → ==1.2.*   =1.2 → ==1.2   <> → !=
 * Conjunctions are separated by commas or spaces (`>=1.2 <2`, `>= 1.2, < 2`). Unions (`||`, `|`)
 * cannot be written as one PEP 440 specifier set and are refused.
 */
import { validRange } from '@renovatebot/pep440';

export type PoetryTranslation = { ok: true; specifier: string } | { ok: false; error: string };

const RELEASE = /^v?(\d+(?:\.\d+)*)(.*)$/i;

function bump(release: number[], index: number): string {
  return release.map((n, i) => (i < index ? n : i === index ? n + 1 : 0)).join('.');
}

function single(raw: string): string | { error: string } {
  const c = raw.trim();
  if (c === '*' || c === '') return '';
  if (c.startsWith('^') || (c.startsWith('~') && !c.startsWith('~='))) {
    const caret = c.startsWith('^');
    const v = c.slice(1).trim();
    const m = RELEASE.exec(v);
    if (!m?.[1] || /[*x]/i.test(m[1]) || /^\.?[*xX]/.test(m[2] ?? '')) return { error: `cannot read version '${v}' in '${c}'` };
    const release = m[1].split('.').map(Number);
    let index: number;
    if (caret) {
      const [major = 0, minor = 0] = release;
      index = release.length === 1 || major > 0 ? 0 : release.length === 2 || minor > 0 ? 1 : 2;
    } else {
      index = release.length === 1 ? 0 : 1;
    }
    return `>=${v.replace(/^v/i, '')},<${bump(release, index)}`;
  }
  const op = /^(===|==|!=|~=|>=|<=|<>|>|<|=)?\s*(.+)$/.exec(c);
  if (!op?.[2]) return { error: `cannot read '${c}'` };
  let operator = op[1] ?? '==';
  if (operator === '=') operator = '==';
  if (operator === '<>') operator = '!=';
  let version = op[2].trim().replace(/^v(?=\d)/i, '');
  // Poetry wildcards: 1.2.x / 1.2.X / 1.2.* (only meaningful with == and !=)
  version = version.replace(/\.[xX]$/, '.*');
  if (version === '*' || version === 'x' || version === 'X') return operator === '==' ? '' : { error: `cannot read '${c}'` };
  return `${operator}${version}`;
}

export function poetryToPep440(constraint: string): PoetryTranslation {
  const text = constraint.trim();
  if (/\|/.test(text)) return { ok: false, error: `'${text}' is a union (||): it cannot be written as one PEP 440 specifier set` };
  // Split a conjunction on commas and on whitespace that is not right after an operator.
  const parts = text
    .replace(/(===|==|!=|~=|>=|<=|<>|>|<|=|\^|~)\s+/g, '$1')
    .split(/\s*,\s*|\s+/)
    .filter((p) => p !== '');
  const out: string[] = [];
  for (const p of parts) {
    const s = single(p);
    if (typeof s !== 'string') return { ok: false, error: s.error };
    if (s) out.push(s);
  }
  const specifier = out.join(',');
  if (specifier && !validRange(specifier)) return { ok: false, error: `'${text}' does not translate to a valid PEP 440 specifier (${specifier})` };
  return { ok: true, specifier };
}
