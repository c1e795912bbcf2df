/**
 * One PEP 508 requirement string → the parts a Dependency needs. Shared by every extractor
 * that reads PEP 508 strings (requirements files, pyproject.toml, setup.cfg/setup.py, PDM).
 *
 * pip-requirements-js does the grammar; two of its gaps are worked around here:
 * - `===` (arbitrary equality) is rejected: it is rewritten to `==` for the parse and restored.
 * - `name @ url ; marker` is rejected: the marker is split off at the first whitespace + `;`
 *   after the URL (PEP 508 requires that whitespace) and the rest parsed alone.
 */
import { parsePipRequirementsLine } from 'pip-requirements-js';
import type { DependencySource } from '../types.js';
import { normalizeName } from '../types.js';

export interface ParsedRequirement {
  rawName: string;
  name: string;
  specifier: string;
  version?: string;
  extras?: string[];
  marker?: string;
  source?: DependencySource;
}

export type Pep508Result = { ok: true; requirement: ParsedRequirement } | { ok: false; error: string };

const VCS_PREFIX = /^(git|hg|svn|bzr)\+/i;

/** The kind of a direct reference URL or path. */
export function sourceKind(url: string): DependencySource['kind'] {
  if (VCS_PREFIX.test(url)) return 'vcs';
  if (/^file:/i.test(url) || !/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return 'path';
  return 'url';
}

/** The exact version a specifier set pins (`==1.2.3` without a wildcard, or `===x`), if any. */
export function pinnedVersion(specs: { operator: string; version: string }[]): string | undefined {
  for (const s of specs) {
    if (s.operator === '===') return s.version;
    if (s.operator === '==' && !s.version.includes('*')) return s.version;
  }
  return undefined;
}

/** Map from positions in the rewritten text back to the original (each `===` lost one character). */
function rewriteArbitraryEquality(text: string): { text: string; toOriginal: (i: number) => number; arbitraryAt: Set<number> } {
  const removedBefore: number[] = []; // rewritten positions where a character was removed
  const arbitraryAt = new Set<number>();
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('===', i)) {
      arbitraryAt.add(out.length);
      out += '==';
      removedBefore.push(out.length);
      i += 3;
    } else {
      out += text[i];
      i += 1;
    }
  }
  const toOriginal = (pos: number): number => pos + removedBefore.filter((r) => r <= pos).length;
  return { text: out, toOriginal, arbitraryAt };
}

function errorMessage(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  // "Failed to parse requirements line. Line 1, col 6: expected ..." → keep the first line.
  return (msg.split('\n')[0] ?? msg).trim();
}

/** Parse one PEP 508 requirement (no pip options, no comment — `# ...` after whitespace is tolerated). */
export function parsePep508(input: string): Pep508Result {
  const original = input.trim();
  if (!original) return { ok: false, error: 'empty requirement' };
  let body = original;
  let splitMarker: string | undefined;
  // `name @ url ; marker`: split the marker off ourselves.
  const at = /^[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?\s*@/.exec(body);
  if (at) {
    const m = /\s+;/.exec(body.slice(at[0].length));
    if (m) {
      const cut = at[0].length + m.index;
      splitMarker = body.slice(cut + m[0].length).replace(/\s+#.*$/, '').trim();
      body = body.slice(0, cut);
    }
  }
  const rw = at ? { text: body, toOriginal: (i: number) => i, arbitraryAt: new Set<number>() } : rewriteArbitraryEquality(body);
  let parsed;
  try {
    parsed = parsePipRequirementsLine(rw.text, { includeLocations: true });
  } catch (e) {
    return { ok: false, error: errorMessage(e) };
  }
  if (!parsed) return { ok: false, error: 'empty requirement' };
  const data = parsed.data;
  if (data.type !== 'ProjectName' && data.type !== 'ProjectURL') {
    return { ok: false, error: 'a requirements/constraints include is not a requirement' };
  }
  const rawName = data.name.data;
  const req: ParsedRequirement = { rawName, name: normalizeName(rawName), specifier: '' };
  if (data.extras && data.extras.length > 0) req.extras = data.extras.map((e) => e.data);
  if (data.environmentMarkerTree) {
    const loc = data.environmentMarkerTree.location;
    req.marker = body.slice(rw.toOriginal(loc.startIdx), rw.toOriginal(loc.endIdx)).trim();
  } else if (splitMarker) {
    req.marker = splitMarker;
  }
  if (data.type === 'ProjectName') {
    const specs = (data.versionSpec ?? []).map((v) => ({
      operator: rw.arbitraryAt.has(v.data.operator.location.startIdx) ? '===' : v.data.operator.data,
      version: v.data.version.data,
    }));
    req.specifier = specs.map((s) => `${s.operator}${s.version}`).join(',');
    const version = pinnedVersion(specs);
    if (version !== undefined) req.version = version;
  } else {
    const url = data.url.data;
    req.source = { kind: sourceKind(url), url };
  }
  return { ok: true, requirement: req };
}
