/**
 * One line of an environment.yml `pip:` list, read with the requirements-file rules: a PEP 508
 * requirement (parsed with pip-requirements-js), `-e`, a bare URL with `#egg=`, `-r`/`-c`
 * includes, index options and `--hash`.
 *
 * Local on purpose (the pip helper was written at the same time): a candidate for
 * deduplication with src/deps/pip/ (its pep508.ts does the same PEP 508 work).
 */
import { parsePipRequirementsLine, parsePipRequirementsLineLoosely } from 'pip-requirements-js';
import { normalizeName, type Dependency, type DependencySource, type IncludeDirective, type IndexSetting } from '../types.js';

type Base = Pick<Dependency, 'line' | 'column' | 'locked' | 'text' | 'group'>;

export type PipLine =
  | { kind: 'dependency'; dependency: Dependency }
  | { kind: 'index'; setting: IndexSetting }
  | { kind: 'include'; include: IncludeDirective }
  | { kind: 'empty' }
  | { kind: 'problem'; message: string };

const INDEX_OPTIONS: Record<string, IndexSetting['kind']> = {
  '-i': 'index-url',
  '--index-url': 'index-url',
  '--extra-index-url': 'extra-index-url',
  '--trusted-host': 'trusted-host',
  '-f': 'find-links',
  '--find-links': 'find-links',
};
const INCLUDE_OPTIONS: Record<string, IncludeDirective['kind']> = {
  '-r': 'requirements',
  '--requirement': 'requirements',
  '-c': 'constraints',
  '--constraint': 'constraints',
};

/** `--opt value`, `--opt=value` or `-ovalue` → [option, value]. */
function splitOption(text: string): [string, string] | undefined {
  const m = /^(--?[A-Za-z][A-Za-z-]*)(?:\s*=\s*|\s+)(\S.*)$/.exec(text);
  if (m?.[1] && m[2]) return [m[1], m[2].trim()];
  const short = /^(-[ircef])(\S.*)$/.exec(text);
  if (short?.[1] && short[2]) return [short[1], short[2].trim()];
  return undefined;
}

export function parsePipLine(raw: string, line: number, column?: number): PipLine {
  let text = raw.replace(/(^|\s)#.*$/, '').trim();
  if (text === '') return { kind: 'empty' };
  const base: Base = { line, ...(column !== undefined ? { column } : {}), locked: false, text: raw.trim(), group: 'pip' };

  if (text.startsWith('-')) {
    const opt = splitOption(text);
    if (!opt) return { kind: 'problem', message: `unsupported pip option line: ${text}` };
    const [name, value] = opt;
    const indexKind = INDEX_OPTIONS[name];
    if (indexKind) return { kind: 'index', setting: { kind: indexKind, value, line } };
    const includeKind = INCLUDE_OPTIONS[name];
    if (includeKind) return { kind: 'include', include: { kind: includeKind, path: value, line } };
    if (name === '-e' || name === '--editable') {
      return { kind: 'dependency', dependency: { ...directReference(value, base), editable: true } };
    }
    return { kind: 'problem', message: `unsupported pip option line: ${text}` };
  }

  const hashes: string[] = [];
  text = text.replace(/\s+--hash[=\s]\s*(\S+)/g, (_m, h: string) => {
    hashes.push(h);
    return '';
  });
  if (/\s--?[A-Za-z]/.test(text)) text = text.replace(/\s--?[A-Za-z].*$/, ''); // per-requirement options

  if (/^([a-z]+\+)?[a-z][a-z0-9+.-]*:\/\//i.test(text) || /^(\.{1,2}\/|\/)/.test(text)) {
    return { kind: 'dependency', dependency: withHashes(directReference(text, base), hashes) };
  }
  const parsed = parsePep508(text);
  if ('error' in parsed) {
    let loose: string | undefined;
    try {
      loose = parsePipRequirementsLineLoosely(text)?.name;
    } catch {
      loose = undefined;
    }
    const rawName = loose ?? text.split(/[\s<>=!~;[@]/)[0] ?? text;
    return {
      kind: 'dependency',
      dependency: { ...base, name: normalizeName(rawName), rawName, specifier: '', skipReason: `not a valid PEP 508 requirement: ${parsed.error}` },
    };
  }
  return { kind: 'dependency', dependency: withHashes({ ...base, ...parsed }, hashes) };
}

function withHashes(dep: Dependency, hashes: string[]): Dependency {
  return hashes.length > 0 ? { ...dep, hashes } : dep;
}

type Parsed = Pick<Dependency, 'name' | 'rawName' | 'specifier' | 'version' | 'extras' | 'marker' | 'source'>;

/** A PEP 508 string → the parts of a Dependency. */
export function parsePep508(text: string): Parsed | { error: string } {
  // pip-requirements-js rejects `===` and `name @ url ; marker`: work around both.
  let body = text;
  let marker: string | undefined;
  if (/\s@\s|^[^;]*@/.test(body)) {
    const m = /^(.*?\S)\s+;\s*(.+)$/.exec(body);
    if (m?.[1] && m[2]) {
      body = m[1];
      marker = m[2].trim();
    }
  }
  const arbitrary = body.includes('===');
  if (arbitrary) body = body.replace(/===/g, '==');
  let req;
  try {
    req = parsePipRequirementsLine(body, { includeLocations: true });
  } catch (err) {
    return { error: err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err) };
  }
  if (!req || (req.data.type !== 'ProjectName' && req.data.type !== 'ProjectURL')) return { error: 'not a requirement' };
  const data = req.data;
  const rawName = data.name.data;
  const out: Parsed = { name: normalizeName(rawName), rawName, specifier: '' };
  if (data.extras && data.extras.length > 0) out.extras = data.extras.map((e) => e.data);
  if (data.environmentMarkerTree) out.marker = body.slice(data.environmentMarkerTree.location.startIdx, data.environmentMarkerTree.location.endIdx).trim();
  if (marker) out.marker = marker;
  if (data.type === 'ProjectURL') {
    out.source = { kind: sourceKind(data.url.data), url: data.url.data };
    return out;
  }
  const specs = (data.versionSpec ?? []).map((s) => ({ op: arbitrary && s.data.operator.data === '==' ? '===' : s.data.operator.data, version: s.data.version.data }));
  out.specifier = specs.map((s) => `${s.op}${s.version}`).join(',');
  const pin = specs.find((s) => s.op === '===' || (s.op === '==' && !s.version.includes('*')));
  if (pin) out.version = pin.version;
  return out;
}

function sourceKind(url: string): DependencySource['kind'] {
  if (/^(git|hg|svn|bzr)\+/i.test(url)) return 'vcs';
  if (/^file:/i.test(url) || !/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return 'path';
  return 'url';
}

/** `-e git+https://...#egg=name`, a bare URL or a path: the name comes from `#egg=` when present. */
function directReference(ref: string, base: Base): Dependency {
  const egg = /[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(ref)?.[1];
  const source: DependencySource = { kind: sourceKind(ref), url: ref };
  if (egg) return { ...base, name: normalizeName(egg), rawName: egg, specifier: '', source };
  return { ...base, name: normalizeName(ref), rawName: ref, specifier: '', source, skipReason: 'a direct reference without #egg=: package name unknown' };
}
