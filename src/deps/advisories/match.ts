/**
 * Matching a PyPI package version against OSV records (pure).
 *
 * - Only `affected[]` entries of the PyPI ecosystem whose package name equals the queried one
 *   after PEP 503 normalisation count (records spell names "Django", "PyYAML", "jinja2"...).
 * - ECOSYSTEM (and SEMVER) ranges are evaluated as the OSV spec says: events sorted by version
 *   (PEP 440 order, "0" first), a version is affected from an `introduced` up to (not including)
 *   the next `fixed`, or up to and including the next `last_affected`; `limit` events cap the range.
 *   GIT ranges are ignored (commits cannot be compared with versions).
 * - `versions[]` lists affected versions explicitly (compared with PEP 440 equality).
 * - Withdrawn records affect nothing.
 * - Versions are compared with @renovatebot/pep440, prereleases included. A version that is not
 *   valid PEP 440 can only match `versions[]` (exact text).
 */
import { compare, explain, major, valid } from '@renovatebot/pep440';
import { normalizeName } from '../types.js';
import type { Severity } from '../../core/types.js';
import { SEVERITY_RANK } from '../../core/types.js';
import type { OsvAffected, OsvRecord } from './osv.js';
import { recordIds } from './osv.js';

/** One affected interval derived from a range: [introduced, fixed) or [introduced, lastAffected]. */
export interface VersionInterval {
  /** "0" means "from the first release". */
  introduced: string;
  fixed?: string;
  lastAffected?: string;
  /** `limit` events of the range: the version must be below one of them. */
  limits?: string[];
}

export interface AffectedVersions {
  intervals: VersionInterval[];
  /** Explicitly listed versions (`affected[].versions`). */
  versions: string[];
  /** Events or versions that are not valid PEP 440 and were ignored. */
  problems: string[];
}

const VALID_CACHE = new Map<string, boolean>();

function isValid(v: string): boolean {
  let ok = VALID_CACHE.get(v);
  if (ok === undefined) {
    ok = valid(v) !== null;
    if (VALID_CACHE.size > 50_000) VALID_CACHE.clear();
    VALID_CACHE.set(v, ok);
  }
  return ok;
}

const EQ_CACHE = new Map<string, string>();

/** A string equal for PEP 440-equal versions ("1.0" and "1.0.0", "1.0a2" and "1.0-alpha2"). */
function equalityKey(v: string): string {
  let k = EQ_CACHE.get(v);
  if (k === undefined) {
    const p = isValid(v) ? explain(v) : null;
    if (!p) k = `=${v}`;
    else {
      const release = [...p.release];
      while (release.length > 1 && release[release.length - 1] === 0) release.pop();
      k = JSON.stringify([p.epoch, release, p.pre, p.post, p.dev, p.local?.toLowerCase() ?? null]);
    }
    if (EQ_CACHE.size > 50_000) EQ_CACHE.clear();
    EQ_CACHE.set(v, k);
  }
  return k;
}

/** pep440's compare parses both strings on every call: remember results (bounded). */
const CMP_CACHE = new Map<string, number>();

/** PEP 440 comparison with "0" (OSV: the beginning of time) below everything. Both must be valid. */
function cmp(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '0') return b === '0' ? 0 : -1;
  if (b === '0') return 1;
  const key = a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
  let r = CMP_CACHE.get(key);
  if (r === undefined) {
    r = Math.sign(a < b ? compare(a, b) : compare(b, a));
    if (CMP_CACHE.size > 200_000) CMP_CACHE.clear();
    CMP_CACHE.set(key, r);
  }
  return a < b ? r : -r;
}

function isPyPIEntryFor(entry: OsvAffected, name: string | undefined): boolean {
  const pkg = entry.package;
  if (!pkg) return false;
  if (pkg.ecosystem !== 'PyPI') return false;
  if (name === undefined) return true;
  let pkgName = pkg.name;
  if (!pkgName && pkg.purl?.startsWith('pkg:pypi/')) pkgName = pkg.purl.slice('pkg:pypi/'.length).split(/[@?#]/)[0] ?? '';
  return normalizeName(pkgName) === name;
}

type EventKind = 'introduced' | 'fixed' | 'last_affected' | 'limit';
const TIE_ORDER: Record<EventKind, number> = { fixed: 0, last_affected: 1, limit: 2, introduced: 3 };

const CACHE = new WeakMap<OsvRecord, Map<string, AffectedVersions>>();
const LISTED = new WeakMap<AffectedVersions, Set<string>>();

/** Is `v` (valid) one of the explicitly listed versions, by PEP 440 equality? */
function listed(av: AffectedVersions, v: string): boolean {
  let set = LISTED.get(av);
  if (!set) {
    set = new Set(av.versions.map(equalityKey));
    LISTED.set(av, set);
  }
  return set.has(equalityKey(v));
}

/**
 * The versions of `packageName` (any spelling) that `record` says are affected, as intervals
 * plus explicit versions. Withdrawn records are not special here (see `isAffected`).
 * Without `packageName`, every PyPI entry of the record counts.
 */
export function affectedVersions(record: OsvRecord, packageName?: string): AffectedVersions {
  const name = packageName === undefined ? undefined : normalizeName(packageName);
  const key = name ?? '\u0000*';
  let perRecord = CACHE.get(record);
  const cached = perRecord?.get(key);
  if (cached) return cached;

  const out: AffectedVersions = { intervals: [], versions: [], problems: [] };
  for (const entry of record.affected ?? []) {
    if (!isPyPIEntryFor(entry, name)) continue;
    for (const v of entry.versions ?? []) out.versions.push(v);
    for (const range of entry.ranges ?? []) {
      if (range.type !== 'ECOSYSTEM' && range.type !== 'SEMVER') continue;
      const events: { kind: EventKind; v: string }[] = [];
      for (const e of range.events) {
        const kind = (['introduced', 'fixed', 'last_affected', 'limit'] as const).find((k) => e[k] !== undefined);
        if (!kind) continue;
        const v = e[kind] as string;
        if (v === '*' && kind === 'limit') continue; // "no limit"
        if (v !== '0' && !isValid(v)) {
          out.problems.push(`${record.id}: ${kind} "${v}" is not a PEP 440 version`);
          continue;
        }
        events.push({ kind, v });
      }
      events.sort((a, b) => cmp(a.v, b.v) || TIE_ORDER[a.kind] - TIE_ORDER[b.kind]);
      const limits = events.filter((e) => e.kind === 'limit').map((e) => e.v);
      const start = out.intervals.length;
      let open: VersionInterval | undefined;
      for (const e of events) {
        if (e.kind === 'introduced') {
          if (!open) open = { introduced: e.v };
        } else if (e.kind === 'fixed' && open) {
          open.fixed = e.v;
          out.intervals.push(open);
          open = undefined;
        } else if (e.kind === 'last_affected' && open) {
          open.lastAffected = e.v;
          out.intervals.push(open);
          open = undefined;
        }
      }
      if (open) out.intervals.push(open);
      if (limits.length > 0) for (const i of out.intervals.slice(start)) i.limits = limits;
    }
  }
  if (!perRecord) {
    perRecord = new Map();
    CACHE.set(record, perRecord);
  }
  perRecord.set(key, out);
  return out;
}

export function intervalContains(interval: VersionInterval, version: string): boolean {
  if (cmp(version, interval.introduced) < 0) return false;
  if (interval.fixed !== undefined && cmp(version, interval.fixed) >= 0) return false;
  if (interval.lastAffected !== undefined && cmp(version, interval.lastAffected) > 0) return false;
  if (interval.limits && !interval.limits.some((l) => cmp(version, l) < 0)) return false;
  return true;
}

/** Is `version` of `packageName` affected by `record`? Withdrawn records affect nothing. */
export function isAffected(version: string, record: OsvRecord, packageName: string): boolean {
  if (record.withdrawn) return false;
  const av = affectedVersions(record, packageName);
  const v = version.trim();
  if (!isValid(v)) return av.versions.includes(v);
  if (av.intervals.some((i) => intervalContains(i, v))) return true;
  return listed(av, v);
}

/**
 * The versions that fix `record` for someone on `version`: the `fixed` of each range containing
 * it. Empty when the version is not affected, or its range has no fix (open, `last_affected`).
 */
export function fixedVersionsFor(record: OsvRecord, version: string, packageName?: string): string[] {
  const v = version.trim();
  if (record.withdrawn || !isValid(v)) return [];
  const fixes = new Set<string>();
  for (const i of affectedVersions(record, packageName).intervals) {
    if (i.fixed !== undefined && intervalContains(i, v)) fixes.add(i.fixed);
  }
  return [...fixes].sort(cmp);
}

export interface Unfixed {
  id: string;
  reason: string;
}

export interface FixPlan {
  /** The smallest version >= `from` affected by none of the records; null when there is none known. */
  version: string | null;
  /** True when `from` itself is affected by none of the records. */
  alreadySafe: boolean;
  /** When `version` is null: the records that have no known fix, and why. */
  unfixed: Unfixed[];
}

function whyNoFix(record: OsvRecord, version: string, packageName: string | undefined): string {
  const av = affectedVersions(record, packageName);
  const containing = isValid(version) ? av.intervals.filter((i) => intervalContains(i, version)) : [];
  const last = containing.find((i) => i.lastAffected !== undefined);
  if (last) return `last affected version is ${last.lastAffected}; no fixed version is published`;
  if (containing.length > 0) return `every version from ${containing[0]?.introduced === '0' ? 'the first release' : containing[0]?.introduced} on is affected; no fixed version is published`;
  return `version ${version} is listed as affected and no fixed version is published`;
}

/**
 * The smallest version >= `version` that is outside every affected range of every record
 * (withdrawn ones ignored). Candidates are `version` itself and every `fixed` event of the
 * records; `null` with `unfixed` naming the records that block when none qualifies (for example
 * a `last_affected` with no fix).
 */
export function smallestFixAll(version: string, records: readonly OsvRecord[], packageName?: string): FixPlan {
  const v = version.trim();
  const live = records.filter((r) => !r.withdrawn);
  const affects = (candidate: string) =>
    live.filter((r) =>
      packageName === undefined ? isAffectedAnyName(candidate, r) : isAffected(candidate, r, packageName),
    );
  if (affects(v).length === 0) return { version: v, alreadySafe: true, unfixed: [] };
  if (!isValid(v)) {
    return {
      version: null,
      alreadySafe: false,
      unfixed: affects(v).map((r) => ({ id: r.id, reason: `"${v}" is not a PEP 440 version: no upgrade can be computed` })),
    };
  }
  const candidates = new Set<string>();
  for (const r of live) {
    for (const i of affectedVersions(r, packageName).intervals) {
      if (i.fixed !== undefined && cmp(i.fixed, v) > 0) candidates.add(i.fixed);
    }
  }
  const sorted = [...candidates].sort(cmp);
  for (const c of sorted) {
    if (affects(c).length === 0) return { version: c, alreadySafe: false, unfixed: [] };
  }
  const top = sorted[sorted.length - 1] ?? v;
  const blockers = affects(top).filter((r) => fixedVersionsFor(r, top, packageName).length === 0);
  const unfixed = (blockers.length > 0 ? blockers : affects(top)).map((r) => ({ id: r.id, reason: whyNoFix(r, top, packageName) }));
  return { version: null, alreadySafe: false, unfixed };
}

function isAffectedAnyName(version: string, record: OsvRecord): boolean {
  if (record.withdrawn) return false;
  const av = affectedVersions(record);
  if (!isValid(version)) return av.versions.includes(version);
  return av.intervals.some((i) => intervalContains(i, version)) || listed(av, version);
}

/** True when going from `from` to `to` changes the major version (release segment's first number). */
export function isMajorJump(from: string, to: string): boolean {
  if (!isValid(from) || !isValid(to)) return false;
  return major(from) !== major(to);
}

// ---------------------------------------------------------------------------------------------
// Severity

export interface SeverityInfo {
  level: Severity;
  /** CVSS base score when computed from a v3 vector. */
  score?: number;
  vector?: string;
  source: 'cvss_v3' | 'cvss_v4' | 'database_specific';
}

const W = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  CIA: { H: 0.56, L: 0.22, N: 0 },
} as const;

/** CVSS v3.1 Roundup: the smallest number with one decimal >= input (float-safe). */
function roundUp(x: number): number {
  const i = Math.round(x * 100000);
  return i % 10000 === 0 ? i / 100000 : (Math.floor(i / 10000) + 1) / 10;
}

function parseVector(vector: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const part of vector.split('/')) {
    const [k, val] = part.split(':');
    if (k && val !== undefined && !m.has(k)) m.set(k, val);
  }
  return m;
}

/** CVSS v3.0/v3.1 base score from a vector ("CVSS:3.1/AV:N/..."); null when malformed. */
export function cvss3BaseScore(vector: string): number | null {
  if (!/^CVSS:3\.[01]\//.test(vector)) return null;
  const m = parseVector(vector);
  const av = W.AV[m.get('AV') as keyof typeof W.AV];
  const ac = W.AC[m.get('AC') as keyof typeof W.AC];
  const ui = W.UI[m.get('UI') as keyof typeof W.UI];
  const s = m.get('S');
  const c = W.CIA[m.get('C') as keyof typeof W.CIA];
  const i = W.CIA[m.get('I') as keyof typeof W.CIA];
  const a = W.CIA[m.get('A') as keyof typeof W.CIA];
  const prKey = m.get('PR');
  if (av === undefined || ac === undefined || ui === undefined || c === undefined || i === undefined || a === undefined) return null;
  if (s !== 'U' && s !== 'C') return null;
  const changed = s === 'C';
  const pr = prKey === 'N' ? 0.85 : prKey === 'L' ? (changed ? 0.68 : 0.62) : prKey === 'H' ? (changed ? 0.5 : 0.27) : undefined;
  if (pr === undefined) return null;
  const iss = 1 - (1 - c) * (1 - i) * (1 - a);
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
  const exploitability = 8.22 * av * ac * pr * ui;
  if (impact <= 0) return 0;
  return changed ? roundUp(Math.min(1.08 * (impact + exploitability), 10)) : roundUp(Math.min(impact + exploitability, 10));
}

/** CVSS qualitative rating; "none" (0.0) is reported as low. */
export function ratingFromScore(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  return 'low';
}

/**
 * CVSS v4 without the full MacroVector tables: a conservative (never lower than likely) rating.
 * High impact on the vulnerable or a subsequent system reachable over the network without
 * privileges, user interaction or attack requirements is critical; other high impact is high;
 * low impact only is medium; no impact is low.
 */
export function cvss4Rating(vector: string): Severity | null {
  if (!/^CVSS:4\.0\//.test(vector)) return null;
  const m = parseVector(vector);
  const impacts = ['VC', 'VI', 'VA', 'SC', 'SI', 'SA'].map((k) => m.get(k));
  if (impacts.some((x) => x === undefined)) return null;
  const high = impacts.includes('H');
  const low = impacts.includes('L');
  if (!high && !low) return 'low';
  if (!high) return 'medium';
  const easy = m.get('AV') === 'N' && m.get('AC') === 'L' && m.get('AT') === 'N' && m.get('PR') === 'N' && m.get('UI') === 'N';
  return easy ? 'critical' : 'high';
}

const DB_SEVERITY: Record<string, Severity> = {
  LOW: 'low',
  MODERATE: 'medium',
  MEDIUM: 'medium',
  HIGH: 'high',
  CRITICAL: 'critical',
};

/**
 * A record's severity: a CVSS v3 vector's base score first, then `database_specific.severity`
 * (GitHub's LOW/MODERATE/HIGH/CRITICAL, also read from affected[].database_specific), then a
 * conservative rating of a CVSS v4 vector. Undefined when the record says nothing usable
 * (most PYSEC records carry no severity).
 */
export function recordSeverity(record: OsvRecord): SeverityInfo | undefined {
  const sev = record.severity ?? [];
  let best: SeverityInfo | undefined;
  for (const s of sev) {
    if (s.type !== 'CVSS_V3') continue;
    const score = cvss3BaseScore(s.score);
    if (score === null) continue;
    if (!best || (best.score ?? 0) < score) best = { level: ratingFromScore(score), score, vector: s.score, source: 'cvss_v3' };
  }
  if (best) return best;
  const dbValues = [record.database_specific?.severity, ...(record.affected ?? []).map((a) => a.database_specific?.severity)];
  for (const d of dbValues) {
    if (typeof d === 'string' && DB_SEVERITY[d.toUpperCase()]) return { level: DB_SEVERITY[d.toUpperCase()] as Severity, source: 'database_specific' };
  }
  for (const s of sev) {
    if (s.type !== 'CVSS_V4') continue;
    const level = cvss4Rating(s.score);
    if (level) return { level, vector: s.score, source: 'cvss_v4' };
  }
  return undefined;
}

function maxSeverity(a: SeverityInfo | undefined, b: SeverityInfo | undefined): SeverityInfo | undefined {
  if (!a) return b;
  if (!b) return a;
  const d = SEVERITY_RANK[b.level] - SEVERITY_RANK[a.level];
  if (d !== 0) return d > 0 ? b : a;
  return (b.score ?? 0) > (a.score ?? 0) ? b : a;
}

// ---------------------------------------------------------------------------------------------
// Alias merging

export interface AdvisoryGroup {
  /** The id to show first: GHSA, then PYSEC, then CVE, then others (alphabetical within a kind). */
  id: string;
  /** Every id and alias of the group, in the same order. */
  ids: string[];
  /** The records of the group, ordered like their ids. */
  records: OsvRecord[];
  /** A record's summary, else the first line of its details. */
  summary: string;
  /** The highest severity among the records. */
  severity?: SeverityInfo;
  /** The latest `modified` of the records. */
  modified: string;
}

const ID_RANK: [RegExp, number][] = [
  [/^GHSA-/, 0],
  [/^PYSEC-/, 1],
  [/^CVE-/, 2],
];

function idRank(id: string): number {
  for (const [re, rank] of ID_RANK) if (re.test(id)) return rank;
  return 3;
}

export function compareIds(a: string, b: string): number {
  return idRank(a) - idRank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

function summaryOf(record: OsvRecord): string {
  const s = record.summary?.trim();
  if (s) return s;
  const first = record.details?.trim().split(/\r?\n/)[0]?.trim() ?? '';
  return first.length > 200 ? `${first.slice(0, 197)}...` : first;
}

/**
 * Merge records that share an id or alias (PYSEC-x and GHSA-y of the same CVE) into groups,
 * transitively. The output order is deterministic: by each group's primary id.
 */
export function groupAdvisories(records: readonly OsvRecord[]): AdvisoryGroup[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let p = parent.get(x) ?? x;
    while (p !== (parent.get(p) ?? p)) p = parent.get(p) ?? p;
    parent.set(x, p);
    return p;
  };
  const union = (a: string, b: string) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra, rb);
  };
  const unique = new Map<string, OsvRecord>();
  for (const r of records) {
    const prev = unique.get(r.id);
    if (!prev || prev.modified < r.modified) unique.set(r.id, r);
  }
  for (const r of unique.values()) {
    parent.set(r.id, find(r.id));
    for (const a of r.aliases ?? []) union(r.id, a);
  }
  const byRoot = new Map<string, OsvRecord[]>();
  for (const r of unique.values()) {
    const root = find(r.id);
    const list = byRoot.get(root) ?? [];
    list.push(r);
    byRoot.set(root, list);
  }
  const groups: AdvisoryGroup[] = [];
  for (const list of byRoot.values()) {
    list.sort((a, b) => compareIds(a.id, b.id));
    const ids = [...new Set(list.flatMap(recordIds))].sort(compareIds);
    let severity: SeverityInfo | undefined;
    for (const r of list) severity = maxSeverity(severity, recordSeverity(r));
    const withSummary = list.find((r) => r.summary?.trim()) ?? list.find((r) => r.details?.trim());
    const group: AdvisoryGroup = {
      id: ids[0] ?? list[0]?.id ?? '',
      ids,
      records: list,
      summary: withSummary ? summaryOf(withSummary) : '',
      modified: list.map((r) => r.modified).sort().at(-1) ?? '',
    };
    if (severity) group.severity = severity;
    groups.push(group);
  }
  return groups.sort((a, b) => compareIds(a.id, b.id));
}

// ---------------------------------------------------------------------------------------------
// Everything for one package

export interface PackageMatch {
  name: string;
  version: string;
  /** The advisory groups (aliases merged) that affect this version, highest severity first. */
  groups: AdvisoryGroup[];
  fix: FixPlan;
  /** The highest severity among the groups (undefined when no record rates itself). */
  severity?: SeverityInfo;
}

/**
 * Match one pinned package against the records found for its name: affected groups (aliases
 * merged, withdrawn skipped) and the smallest version that fixes all of them.
 */
export function matchPackage(name: string, version: string, records: readonly OsvRecord[]): PackageMatch {
  const hits = records.filter((r) => isAffected(version, r, name));
  const groups = groupAdvisories(hits).sort(
    (a, b) =>
      SEVERITY_RANK[b.severity?.level ?? 'low'] - SEVERITY_RANK[a.severity?.level ?? 'low'] || compareIds(a.id, b.id),
  );
  const out: PackageMatch = {
    name: normalizeName(name),
    version,
    groups,
    fix: smallestFixAll(version, records, name),
  };
  let sev: SeverityInfo | undefined;
  for (const g of groups) sev = maxSeverity(sev, g.severity);
  if (sev) out.severity = sev;
  return out;
}
