/**
 * conda MatchSpec strings (`numpy>=1.20`, `python=3.8`, `conda-forge::requests`,
 * `numpy=1.20=py39h06a4308_0`, `numpy 1.20 py39_0`, `numpy[version='>=1.20']`) → a name and a
 * PEP 440 specifier. conda's syntax is not PEP 440:
 * - `=1.2` means 1.2.* (→ `==1.2.*`); `==1.2` and a bare `1.2` are exact (→ `==1.2`);
 * - `name=1.2=build`: the build string is ignored and the version is exact (conda drops the
 *   implied `*` when a build is given);
 * - `,` is AND (as in PEP 440); `|` is OR, which PEP 440 cannot say → skipReason.
 */
import { validRange } from '@renovatebot/pep440';

export interface CondaSpec {
  rawName: string;
  channel?: string;
  /** PEP 440 specifier ('' when none). */
  specifier: string;
  /** The exact version, when the spec pins one. */
  version?: string;
  build?: string;
  skipReason?: string;
}

const OPERATOR = /^(===|==|!=|~=|>=|<=|>|<)/;

export function parseMatchSpec(input: string): CondaSpec | { error: string } {
  let spec = input.trim();
  let channel: string | undefined;
  const sep = spec.indexOf('::');
  if (sep >= 0) {
    channel = spec.slice(0, sep).trim();
    spec = spec.slice(sep + 2).trim();
  }
  // bracket options: name[version='>=1.2', build=py39*]
  let bracketVersion: string | undefined;
  let bracketBuild: string | undefined;
  const bracket = /\[([^\]]*)\]\s*$/.exec(spec);
  if (bracket) {
    for (const part of (bracket[1] ?? '').split(/,(?=\s*[A-Za-z_]+\s*=)/)) {
      const kv = /^\s*([A-Za-z_]+)\s*=\s*(['"]?)(.*?)\2\s*$/.exec(part);
      if (!kv) continue;
      if (kv[1] === 'version') bracketVersion = kv[3];
      if (kv[1] === 'build') bracketBuild = kv[3];
    }
    spec = spec.slice(0, bracket.index).trim();
  }
  const nameMatch = /^([A-Za-z0-9_][A-Za-z0-9_.+-]*)/.exec(spec);
  if (!nameMatch?.[1]) return { error: `not a conda package spec: ${input.trim()}` };
  const rawName = nameMatch[1];
  const rest = spec.slice(rawName.length).trim();

  let version: string | undefined;
  let build: string | undefined;
  if (rest !== '') {
    if (/\s/.test(rest)) {
      // `name 1.2 build` or `name >=1.2,<2 build`
      const parts = rest.split(/\s+/);
      version = parts.slice(0, /^[=<>!~]+$/.test(parts[0] ?? '') ? 2 : 1).join('');
      build = parts.slice(/^[=<>!~]+$/.test(parts[0] ?? '') ? 2 : 1).join(' ') || undefined;
    } else {
      const withBuild = /^(.*[^=<>!~,|])=([^=<>!~,|]+)$/.exec(rest);
      if (withBuild?.[1] && withBuild[2] && /^[=<>!~]/.test(withBuild[1])) {
        version = withBuild[1];
        build = withBuild[2];
      } else {
        version = rest;
      }
    }
  }
  if (bracketVersion !== undefined) version = bracketVersion;
  if (bracketBuild !== undefined) build = bracketBuild;

  const out: CondaSpec = { rawName, specifier: '' };
  if (channel) out.channel = channel;
  if (build) out.build = build;
  if (version === undefined || version === '' || version === '*') return out;

  if (version.includes('|')) {
    out.skipReason = `conda "or" version spec ${JSON.stringify(version)} cannot be expressed in PEP 440`;
    return out;
  }
  // conda's own rewriting of `=1.2` (→ 1.2*) and `==1.2` (→ 1.2)
  if (version.startsWith('=') && !version.startsWith('==')) {
    const test = version.slice(1);
    if (!/[=,|]/.test(test)) version = build === undefined && !test.endsWith('*') ? `${test}*` : test;
  } else if (version.startsWith('==') && build === undefined && !/[,|]/.test(version.slice(2))) {
    version = version.slice(2);
  }
  const clauses: string[] = [];
  for (const clause of version.split(',')) {
    const c = clause.trim();
    if (c === '' || c === '*') continue;
    const op = OPERATOR.exec(c)?.[1];
    const v = (op ? c.slice(op.length) : c).trim();
    if (!op) {
      clauses.push(v.endsWith('*') ? `==${v.replace(/\.?\*$/, '')}.*` : `==${v}`);
    } else if (v.endsWith('*') && op !== '==' && op !== '!=') {
      clauses.push(`${op}${v.replace(/\.?\*$/, '')}`);
    } else if (v.endsWith('*')) {
      clauses.push(`${op}${v.replace(/\.?\*$/, '')}.*`);
    } else {
      clauses.push(`${op}${v}`);
    }
  }
  const specifier = clauses.join(',');
  if (specifier !== '' && !validRange(specifier)) {
    out.skipReason = `conda version spec ${JSON.stringify(version)} has no PEP 440 equivalent`;
    return out;
  }
  out.specifier = specifier;
  const only = clauses.length === 1 ? /^===?([^*]+)$/.exec(clauses[0] ?? '') : null;
  if (only?.[1]) out.version = only[1];
  return out;
}
