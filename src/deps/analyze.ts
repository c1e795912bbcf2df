/**
 * Dependency manifests in, findings out (issue 5): the pipeline behind the catalogue entries
 * vulnerable-dependency, vulnerable-version-range, unpinned-dependency, insecure-package-index,
 * missing-package-hash (area dependencies), eol-python-runtime and — for pyproject.toml,
 * setup.cfg — eol-python-requires (area interpreter).
 *
 * Pure except for the injected AdvisorySource: no file system, no environment, no clock (`now`
 * is a parameter). Never throws for bad input: unreadable manifests become diagnostics, an
 * unreachable advisory source becomes a note and every other check still runs.
 */
import { posix } from 'node:path';
import { satisfies, valid } from '@renovatebot/pep440';
import { formatMessage, type SuppressedFinding } from '../core/engine.js';
import { fingerprint } from '../core/fingerprint.js';
import { directiveMatches, parseDirectives } from '../core/suppressions.js';
import type { Confidence, Diagnostic, Finding, Fix, Rule, Severity } from '../core/types.js';
import { SEVERITY_RANK } from '../core/types.js';
import type { PysecConfig } from '../config/schema.js';
import { findRule } from '../rules/index.js';
import { SIMPLE_LOWER_BOUND } from '../rules/interpreter/eol-python-requires.js';
import { eolStatus, formatVersion, lowerBound, oldestSupported } from '../rules/interpreter/python-eol-data.js';
import { AdvisoryUnavailable, type AdvisorySource, type PackageQuery } from './advisories/source.js';
import { isMajorJump, matchPackage, type AdvisoryGroup, type PackageMatch } from './advisories/match.js';
import type { OsvRecord } from './advisories/osv.js';
import { rulePolicy } from './policy.js';
import { canonicalPath, manifestKind, type ManifestReader } from './registry.js';
import { resolveRequirements } from './resolve.js';
import { runtimeStatus } from './runtime/eol.js';
import { extractRuntimeFile } from './runtime/extract.js';
import type { RuntimePin, RuntimeSource } from './runtime/types.js';
import type { Dependency, IndexSetting, Manager, ManifestFile } from './types.js';
import { normalizeName } from './types.js';

export const DEPENDENCY_RULE_IDS = [
  'vulnerable-dependency',
  'vulnerable-version-range',
  'unpinned-dependency',
  'insecure-package-index',
  'missing-package-hash',
  'eol-python-runtime',
  'eol-python-requires',
] as const;
export type DependencyRuleId = (typeof DEPENDENCY_RULE_IDS)[number];

export interface ManifestInput {
  /** Path relative to the scan root, forward slashes. */
  path: string;
  text: string;
}

export interface AnalyzeManifestsOptions {
  config: PysecConfig;
  /** Where advisories come from; without one, vulnerability checks are `off`. */
  advisories?: AdvisorySource;
  /** The scan date (end-of-life status). */
  now: Date;
  /** The CLI's `--rule`: restrict to these rule ids, on top of the configuration. */
  onlyRules?: readonly string[];
  /** Only some of the repository's files are given (a pull request): missing includes are not problems. */
  partial?: boolean;
}

export interface DepsResult {
  findings: Finding[];
  /** Findings hidden by a `# pysec: ignore[...]` / `# nosec` comment on their line. */
  suppressed: SuppressedFinding[];
  /** Manifests (or parts) that could not be read: kind `manifest`. */
  diagnostics: Diagnostic[];
  /** Sentences for the report ("dependency vulnerability checks were skipped: ..."). */
  notes: string[];
  /** Files read: dependency manifests, lock files and interpreter-pin files. */
  manifests: number;
  /** Dependency entries read (lock-file entries included). */
  dependencies: number;
  /** `checked`: advisories were looked up; `skipped`: the source failed (see notes); `off`: no source, or the rules are off. */
  advisories: 'checked' | 'skipped' | 'off';
}

// ---------------------------------------------------------------------------------------------
// Text positions

class TextFile {
  readonly lines: string[] = [];
  readonly offsets: number[] = [];
  constructor(readonly text: string) {
    const re = /\r\n|\r|\n/g;
    let start = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      this.lines.push(text.slice(start, m.index));
      this.offsets.push(start);
      start = m.index + m[0].length;
    }
    this.lines.push(text.slice(start));
    this.offsets.push(start);
  }
  line(n: number): string {
    return this.lines[n - 1] ?? '';
  }
  /** 0-based offset of (line, 0-based index in line). */
  offset(line: number, index: number): number {
    return (this.offsets[line - 1] ?? this.text.length) + index;
  }
}

interface Span {
  /** 0-based index in the line. */
  start: number;
  end: number;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `needle` as a whole version token in `line` at or after `from`. */
function findVersion(line: string, needle: string, from = 0): Span | null {
  if (needle === '') return null;
  const re = new RegExp(`(?<![0-9A-Za-z.])${escapeRe(needle)}(?![0-9A-Za-z.])`, 'g');
  re.lastIndex = from;
  const m = re.exec(line);
  return m ? { start: m.index, end: m.index + needle.length } : null;
}

/** The name as written, case-insensitively, at or after `from`. */
function findName(line: string, rawName: string, from = 0): number {
  const i = line.toLowerCase().indexOf(rawName.toLowerCase(), from);
  return i;
}

/** The trimmed line's span (for entries whose value is not on their line: lock files). */
function wholeLine(line: string): Span {
  const start = line.length - line.trimStart().length;
  const end = Math.max(start, line.trimEnd().length);
  return { start, end };
}

/** `https://user:token@host/...` → `https://***@host/...`: index URLs often carry credentials. */
export function redactUrl(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s@'"]+@/gi, '$1***@');
}

// ---------------------------------------------------------------------------------------------
// Messages

const plural = (n: number, one: string, many: string): string => (n === 1 ? one : many);

function shorten(text: string, max = 90): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (t.length <= max) return t;
  const cut = t.slice(0, max - 1);
  const sp = cut.lastIndexOf(' ');
  return `${(sp > max / 2 ? cut.slice(0, sp) : cut).replace(/[\s,;:.]+$/, '')}…`;
}

const MAX_LISTED = 5;

/** "GHSA-x (PYSEC-y, CVE-z), high: summary; ..." */
export function describeAdvisories(groups: readonly AdvisoryGroup[]): string {
  const parts = groups.slice(0, MAX_LISTED).map((g) => {
    const aka = g.ids.filter((id) => id !== g.id);
    const sev = g.severity?.level ?? 'severity not rated';
    const summary = g.summary ? `: ${shorten(g.summary)}` : '';
    return `${g.id}${aka.length > 0 ? ` (${aka.join(', ')})` : ''}, ${sev}${summary}`;
  });
  const rest = groups.slice(MAX_LISTED);
  if (rest.length > 0) parts.push(`and ${rest.length} more (${rest.map((g) => g.id).join(', ')})`);
  return parts.join('; ');
}

/** Highest advisory severity; a group no record rates counts as high. */
function groupsSeverity(groups: readonly AdvisoryGroup[]): Severity {
  let best: Severity = 'low';
  for (const g of groups) {
    const s = g.severity?.level ?? 'high';
    if (SEVERITY_RANK[s] > SEVERITY_RANK[best]) best = s;
  }
  return best;
}

const LOCK_COMMANDS: Partial<Record<Manager, (name: string) => string>> = {
  'poetry-lock': (n) => `poetry update ${n}`,
  'uv-lock': (n) => `uv lock --upgrade-package ${n}`,
  'pdm-lock': (n) => `pdm update ${n}`,
  'pipfile-lock': (n) => `pipenv upgrade ${n}`,
};

function lockAdvice(manager: Manager, name: string): string {
  const cmd = LOCK_COMMANDS[manager];
  return cmd
    ? `; this is a lock file: update the lock with your tool (\`${cmd(name)}\`)`
    : '; this is a lock file: update the lock with your tool (regenerate it with the tool that wrote it)';
}

const RUNTIME_WHERE: Record<RuntimeSource, string> = {
  dockerfile: 'This Docker image',
  'python-version': '`.python-version`',
  'runtime.txt': '`runtime.txt`',
  tox: 'The tox environment list',
  'github-actions': 'This workflow',
  pipfile: 'Pipfile `[requires]`',
  conda: 'This conda environment',
  pyproject: 'pyproject.toml',
};

// ---------------------------------------------------------------------------------------------
// Reading the files

interface ReadManifest {
  manifest: ManifestFile;
  reader: ManifestReader;
  file: TextFile;
  /** A constraints file (`-c`, constraints*.txt): pins, but installs nothing. */
  constraints: boolean;
}

interface ReadRuntime {
  path: string;
  file: TextFile;
  pins: RuntimePin[];
}

function isDirectReference(dep: Dependency): boolean {
  return dep.source !== undefined && dep.source.kind !== 'index';
}

/** The lowest version a specifier set admits, from its `>=`, `~=`, `==X.*` clauses (the highest such bound). */
export function lowestAdmitted(specifier: string): { version: string; op: string } | null {
  let best: { version: string; op: string } | null = null;
  for (const clause of specifier.split(',')) {
    const m = /^\s*(>=|~=|==)\s*([^\s,;]+?)(\.\*)?\s*$/.exec(clause);
    if (!m?.[1] || !m[2]) continue;
    const op = m[1];
    if (op === '==' && !m[3]) continue; // an exact pin, not a range
    const version = m[2];
    if (!valid(version)) continue;
    if (!best || satisfies(version, `>${best.version}`, { prereleases: true })) best = { version, op: m[3] ? '==.*' : op };
  }
  if (!best || !satisfies(best.version, specifier, { prereleases: true })) return null;
  return best;
}

// ---------------------------------------------------------------------------------------------

export async function analyzeManifests(files: readonly ManifestInput[], opts: AnalyzeManifestsOptions): Promise<DepsResult> {
  const { config, now } = opts;
  const result: DepsResult = { findings: [], suppressed: [], diagnostics: [], notes: [], manifests: 0, dependencies: 0, advisories: 'off' };
  if (!config.dependencies.enabled) return result;

  const policy = rulePolicy(config, opts.onlyRules);
  const on = (id: DependencyRuleId): boolean => policy.enabled(id);

  // Inputs by normalised path.
  const texts = new Map<string, string>();
  for (const f of files) texts.set(posix.normalize(f.path.replace(/\\/g, '/')), f.text);

  const diagSeen = new Set<string>();
  const problem = (path: string, message: string, line?: number): void => {
    const key = `${path}\0${line ?? ''}\0${message}`;
    if (diagSeen.has(key)) return;
    diagSeen.add(key);
    result.diagnostics.push({ path, kind: 'manifest', message, ...(line !== undefined ? { line } : {}) });
  };

  const manifests: ReadManifest[] = [];
  const runtimes: ReadRuntime[] = [];
  const done = new Set<string>();
  const constraintTargets = new Set<string>();
  const fileCache = new Map<string, TextFile>();
  const textFile = (path: string): TextFile => {
    let f = fileCache.get(path);
    if (!f) {
      f = new TextFile(texts.get(path) ?? '');
      fileCache.set(path, f);
    }
    return f;
  };
  const pipReader = manifestKind('requirements.txt') as ManifestReader;

  const addManifest = (manifest: ManifestFile, reader: ManifestReader): void => {
    done.add(manifest.path);
    for (const p of manifest.problems) {
      // With only some of the repository's files at hand (a pull request's changed files), an
      // include that was not given is not missing from the repository.
      if (opts.partial && /^included file .* was not found$/.test(p.message)) continue;
      problem(manifest.path, p.message, p.line);
    }
    const base = manifest.path.slice(manifest.path.lastIndexOf('/') + 1).toLowerCase();
    manifests.push({ manifest, reader, file: textFile(manifest.path), constraints: base.startsWith('constraints') });
  };

  for (const [path, text] of texts) {
    const kind = manifestKind(path);
    if (!kind) continue;
    if (kind.manager === 'pip') {
      if (done.has(path)) continue;
      let resolved: ManifestFile[];
      try {
        // A scan of a folder outside the current directory gives paths like `../proj/requirements.txt`:
        // resolve below that prefix (includes may not climb out of it) and put it back on the results.
        const up = /^(?:\.\.\/)+/.exec(path)?.[0] ?? '';
        resolved = resolveRequirements('', (p) => texts.get(up + p), path.slice(up.length));
        if (up) for (const m of resolved) m.path = up + m.path;
      } catch (err) {
        problem(path, `could not read: ${err instanceof Error ? err.message : String(err)}`);
        continue;
      }
      for (const m of resolved) {
        for (const inc of m.includes) {
          if (inc.kind === 'constraints') constraintTargets.add(posix.normalize(posix.join(posix.dirname(m.path), inc.path)));
        }
        if (!done.has(m.path)) addManifest(m, pipReader);
      }
      continue;
    }
    if (kind.manager !== undefined) {
      let manifest: ManifestFile;
      try {
        manifest = kind.extract(canonicalPath(path), text);
        manifest.path = path;
      } catch (err) {
        problem(path, `could not read: ${err instanceof Error ? err.message : String(err)}`);
        continue;
      }
      addManifest(manifest, kind);
    }
    if (kind.runtime) {
      const r = extractRuntimeFile(canonicalPath(path), text);
      // Pipfile / environment.yml: the manifest extractor read the same text and reported its problems.
      if (kind.manager === undefined) for (const p of r.problems) problem(path, p.message, p.line);
      runtimes.push({ path, file: textFile(path), pins: r.pins.map((pin) => ({ ...pin, path })) });
      if (kind.manager === undefined) done.add(path);
    }
  }
  for (const m of manifests) if (constraintTargets.has(m.manifest.path)) m.constraints = true;
  result.manifests = done.size;
  result.dependencies = manifests.reduce((n, m) => n + m.manifest.dependencies.length, 0);

  // ---- emitting findings --------------------------------------------------------------------
  const occurrences = new Map<string, number>();
  interface Report {
    ruleId: DependencyRuleId;
    path: string;
    file: TextFile;
    line: number;
    span: Span;
    snippet: string;
    key: string;
    messageId: string;
    data: Record<string, string | number>;
    severity?: Severity;
    confidence?: Confidence;
    fix?: Fix;
  }
  const emit = (r: Report): void => {
    const rule = findRule(r.ruleId) as Rule;
    const meta = rule.meta;
    const occKey = `${meta.id}\0${r.path}\0${r.key.replace(/\s+/g, '')}`;
    const occ = occurrences.get(occKey) ?? 0;
    occurrences.set(occKey, occ + 1);
    const finding: Finding = {
      ruleId: meta.id,
      area: meta.area,
      severity: policy.severityOverride(meta.id) ?? r.severity ?? meta.severity,
      confidence: r.confidence ?? meta.confidence,
      messageId: r.messageId,
      message: formatMessage(meta.messages[r.messageId] ?? '', r.data),
      path: r.path,
      range: { start: { line: r.line, column: r.span.start + 1 }, end: { line: r.line, column: r.span.end + 1 } },
      statementLines: { start: r.line, end: r.line },
      snippet: r.snippet,
      cwe: meta.cwe,
      owasp: meta.owasp,
      fingerprint: fingerprint(meta.id, r.path, r.key, occ),
    };
    if (r.fix) finding.fix = r.fix;
    if (!policy.keep(finding)) return;
    for (const d of parseDirectives(r.file.line(r.line), r.line, 1)) {
      if (directiveMatches(d, meta)) {
        result.suppressed.push({ finding, directive: d.text });
        return;
      }
    }
    result.findings.push(finding);
  };
  const edit = (file: TextFile, line: number, span: Span, text: string, description: string): Fix => ({
    description,
    edits: [
      {
        start: file.offset(line, span.start),
        end: file.offset(line, span.end),
        text,
        range: { start: { line, column: span.start + 1 }, end: { line, column: span.end + 1 } },
      },
    ],
  });
  /** Where an entry sits on its line: the name's index (or the first non-blank), and its version's span. */
  const locate = (m: ReadManifest, dep: Dependency, version?: string): { entry: Span; version: Span | null } => {
    const line = m.file.line(dep.line);
    const from = dep.column !== undefined ? Math.max(0, dep.column - 1) : 0;
    const nameAt = findName(line, dep.rawName, from);
    const textAt = dep.text ? line.indexOf(dep.text, nameAt >= 0 ? Math.min(from, nameAt) : from) : -1;
    let entry: Span;
    if (textAt >= 0) entry = { start: textAt, end: textAt + dep.text.length };
    else if (nameAt >= 0) entry = { start: nameAt, end: Math.max(nameAt + dep.rawName.length, wholeLine(line).end) };
    else entry = wholeLine(line);
    const v = version !== undefined ? findVersion(line, version, nameAt >= 0 ? nameAt + dep.rawName.length : from) : null;
    return { entry, version: v };
  };

  // ---- advisories ---------------------------------------------------------------------------
  interface Pinned {
    m: ReadManifest;
    dep: Dependency;
  }
  interface Ranged extends Pinned {
    lowest: { version: string; op: string };
  }
  const pinned: Pinned[] = [];
  const ranged: Ranged[] = [];
  for (const m of manifests) {
    for (const dep of m.manifest.dependencies) {
      if (dep.skipReason) {
        // Kept and shown, never dropped silently: the reader could not tell what this entry installs.
        problem(m.manifest.path, `not checked: \`${dep.text}\` (${dep.skipReason})`, dep.line);
        continue;
      }
      if (dep.version !== undefined) {
        pinned.push({ m, dep });
      } else if (!dep.locked && dep.specifier !== '' && !isDirectReference(dep)) {
        const lowest = lowestAdmitted(dep.specifier);
        if (lowest) ranged.push({ m, dep, lowest });
      }
    }
  }
  const wantPins = on('vulnerable-dependency') && pinned.length > 0;
  const wantRanges = on('vulnerable-version-range') && ranged.length > 0;
  let records: Map<string, OsvRecord[]> | null = null;
  if (opts.advisories && (on('vulnerable-dependency') || on('vulnerable-version-range'))) {
    const queries = new Map<string, PackageQuery>();
    const ask = (name: string, version: string): void => {
      queries.set(`${normalizeName(name)}\0${version}`, { name: normalizeName(name), version });
    };
    if (wantPins) for (const p of pinned) ask(p.dep.name, p.dep.version as string);
    if (wantRanges) for (const r of ranged) ask(r.dep.name, r.lowest.version);
    if (queries.size === 0) {
      result.advisories = 'checked';
    } else {
      try {
        records = await opts.advisories.advisoriesFor([...queries.values()]);
        result.advisories = 'checked';
      } catch (err) {
        result.advisories = 'skipped';
        const why = err instanceof AdvisoryUnavailable ? err.reason : err instanceof Error ? err.message : String(err);
        // AdvisoryUnavailable reasons already name the source; other errors need it.
        const what = err instanceof AdvisoryUnavailable ? why : `${opts.advisories.description} could not be used (${why})`;
        result.notes.push(`Dependency vulnerability checks were skipped: ${what}. The other dependency checks ran.`);
      }
      try {
        const problems = opts.advisories.problems();
        const first = problems[0];
        if (first) {
          result.notes.push(
            `${problems.length} advisory ${plural(problems.length, 'record', 'records')} could not be read and ${plural(problems.length, 'was', 'were')} ignored (first: ${first.where}: ${first.message}).`,
          );
        }
      } catch {
        // problems() is informational only.
      }
    }
  }
  const recordsFor = (name: string): OsvRecord[] => records?.get(normalizeName(name)) ?? [];
  const matchCache = new Map<string, PackageMatch>();
  const match = (name: string, version: string): PackageMatch => {
    const key = `${normalizeName(name)}\0${version}`;
    let pm = matchCache.get(key);
    if (!pm) {
      pm = matchPackage(name, version, recordsFor(name));
      matchCache.set(key, pm);
    }
    return pm;
  };
  const vulnData = (pm: PackageMatch, display: string): Record<string, string | number> => {
    const count = pm.groups.length;
    return {
      package: display,
      version: pm.version,
      count,
      vulnerabilities: plural(count, 'vulnerability', 'vulnerabilities'),
      advisories: describeAdvisories(pm.groups),
      all: plural(count, 'it', 'all of them'),
      unfixed: pm.fix.unfixed.map((u) => `${u.id}: ${u.reason}`).join('; '),
    };
  };

  if (records && wantPins) {
    for (const { m, dep } of pinned) {
      const version = dep.version as string;
      const pm = match(dep.name, version);
      if (pm.groups.length === 0) continue;
      const pos = locate(m, dep, version);
      const fixed = pm.fix.version !== null && !pm.fix.alreadySafe ? pm.fix.version : null;
      const lock = m.reader.lock || dep.locked;
      let how = '';
      if (lock) how = lockAdvice(m.manifest.manager, dep.rawName);
      else if (dep.hashes && dep.hashes.length > 0) how = '; replace its --hash values too (`pip-compile --generate-hashes`)';
      const data = { ...vulnData(pm, dep.rawName), fixed: fixed ?? '', major: fixed && isMajorJump(version, fixed) ? ' (a new major version: check the changelog for breaking changes)' : '', how };
      const canFix = fixed !== null && !lock && !(dep.hashes && dep.hashes.length > 0) && !isDirectReference(dep) && pos.version !== null;
      emit({
        ruleId: 'vulnerable-dependency',
        path: m.manifest.path,
        file: m.file,
        line: dep.line,
        span: pos.version ?? pos.entry,
        snippet: dep.text,
        key: `${dep.name}==${version}`,
        messageId: fixed ? 'fix' : 'noFix',
        data,
        severity: groupsSeverity(pm.groups),
        confidence: dep.group === 'conda' && m.manifest.manager === 'conda' ? 'medium' : 'high',
        ...(canFix && pos.version ? { fix: edit(m.file, dep.line, pos.version, fixed, `Upgrade ${dep.rawName} to ${fixed}`) } : {}),
      });
    }
  }

  const rangeReported = new Set<Dependency>();
  if (records && wantRanges) {
    for (const { m, dep, lowest } of ranged) {
      const pm = match(dep.name, lowest.version);
      if (pm.groups.length === 0) continue;
      rangeReported.add(dep);
      const pos = locate(m, dep, lowest.version);
      const fixed = pm.fix.version !== null && !pm.fix.alreadySafe ? pm.fix.version : null;
      const spec = `${dep.rawName}${dep.specifier}`;
      const inRange = fixed !== null && satisfies(fixed, dep.specifier, { prereleases: true });
      const data: Record<string, string | number> = {
        ...vulnData(pm, dep.rawName),
        spec,
        lowest: lowest.version,
        fixed: fixed ?? '',
        major: fixed && isMajorJump(lowest.version, fixed) ? ' (a new major version: check the changelog for breaking changes)' : '',
      };
      if (fixed === null) data.why = `No fixed version is known (${data.unfixed}): exclude the affected versions or replace the package.`;
      else if (!inRange) data.why = `${fixed} is the smallest version that fixes ${data.all}, and the range excludes it: raise the lower bound to ${fixed} and widen the upper bound.`;
      const canFix = fixed !== null && inRange && lowest.op === '>=' && pos.version !== null && !m.reader.lock;
      emit({
        ruleId: 'vulnerable-version-range',
        path: m.manifest.path,
        file: m.file,
        line: dep.line,
        span: pos.version ?? pos.entry,
        snippet: dep.text,
        key: `${dep.name}${dep.specifier}`,
        messageId: fixed !== null && inRange ? 'range' : 'rangeNoFix',
        data,
        ...(canFix && pos.version && fixed ? { fix: edit(m.file, dep.line, pos.version, fixed, `Raise the lower bound of ${dep.rawName} to ${fixed}`) } : {}),
      });
    }
  }

  // ---- unpinned ----------------------------------------------------------------------------
  const mode = config.dependencies.unpinned;
  if (on('unpinned-dependency') && mode !== 'never') {
    const lockDirs = new Set<string>();
    for (const path of texts.keys()) {
      const k = manifestKind(path);
      if (k?.manager !== undefined && k.lock) lockDirs.add(posix.dirname(path));
    }
    const isApplication = (m: ReadManifest): boolean => {
      const mgr = m.manifest.manager;
      if (mgr !== 'pip' && mgr !== 'pipenv') return false;
      const dir = posix.dirname(m.manifest.path);
      if (lockDirs.has(dir)) return false;
      // pip-tools: requirements.in compiled to requirements.txt next to it.
      if (mgr === 'pip' && m.manifest.path.endsWith('.in') && texts.has(`${m.manifest.path.slice(0, -3)}.txt`)) return false;
      return true;
    };
    for (const m of manifests) {
      if (m.reader.lock || m.constraints) continue;
      if (mode === 'applications' && !isApplication(m)) continue;
      for (const dep of m.manifest.dependencies) {
        if (dep.locked || dep.skipReason || dep.version !== undefined || dep.editable || isDirectReference(dep)) continue;
        if (rangeReported.has(dep)) continue;
        const pos = locate(m, dep);
        emit({
          ruleId: 'unpinned-dependency',
          path: m.manifest.path,
          file: m.file,
          line: dep.line,
          span: pos.entry,
          snippet: dep.text,
          key: `${dep.name}${dep.specifier}`,
          messageId: dep.specifier === '' ? 'missing' : 'loose',
          data: { spec: `${dep.rawName}${dep.specifier}`, package: dep.rawName },
        });
      }
    }
  }

  // ---- package indexes ----------------------------------------------------------------------
  if (on('insecure-package-index')) {
    const plainHttp = (url: string): boolean => {
      const m = /^(?:[a-z]+\+)?http:\/\/(?:[^/@\s]*@)?(\[[^\]]*\]|[^/:\s]+)/i.exec(url.trim());
      if (!m?.[1]) return false;
      const host = m[1].toLowerCase();
      return !(host === 'localhost' || host.endsWith('.localhost') || /^127\./.test(host) || host === '[::1]');
    };
    for (const m of manifests) {
      const reported = new Set<string>();
      const at = (line: number, needle: string): Span => {
        const text = m.file.line(line);
        const i = needle ? text.indexOf(needle) : -1;
        return i >= 0 ? { start: i, end: i + needle.length } : wholeLine(text);
      };
      const report = (line: number, needle: string, messageId: string, data: Record<string, string>, severity: Severity): void => {
        emit({
          ruleId: 'insecure-package-index',
          path: m.manifest.path,
          file: m.file,
          line,
          span: at(line, needle),
          snippet: redactUrl(m.file.line(line).trim()),
          key: `${messageId}:${redactUrl(needle)}`,
          messageId,
          data,
          severity,
        });
      };
      const pipLike = m.manifest.manager === 'pip' || m.manifest.manager === 'conda';
      for (const s of m.manifest.indexes as IndexSetting[]) {
        if (s.kind === 'trusted-host') {
          report(s.line, s.value, 'trustedHost', { text: redactUrl(m.file.line(s.line).trim()), host: s.value }, 'medium');
        } else if (plainHttp(s.value)) {
          if (reported.has(s.value)) continue;
          reported.add(s.value);
          report(s.line, s.value, 'http', { url: redactUrl(s.value) }, 'high');
        } else if (s.kind === 'extra-index-url' && pipLike) {
          report(s.line, s.value, 'extraIndex', { url: redactUrl(s.value) }, 'medium');
        }
      }
      for (const dep of m.manifest.dependencies) {
        const url = dep.source?.url;
        if (!url || !plainHttp(url) || reported.has(url)) continue;
        reported.add(url);
        report(dep.line, url, 'http', { url: redactUrl(url) }, 'high');
      }
    }
  }

  // ---- hashes -------------------------------------------------------------------------------
  if (on('missing-package-hash')) {
    for (const m of manifests) {
      if (m.manifest.manager !== 'pip') continue;
      const deps = m.manifest.dependencies;
      const hashed = deps.filter((d) => d.hashes && d.hashes.length > 0).length;
      if (hashed === 0 || hashed === deps.length) continue;
      for (const dep of deps) {
        if (dep.hashes && dep.hashes.length > 0) continue;
        const pos = locate(m, dep);
        emit({
          ruleId: 'missing-package-hash',
          path: m.manifest.path,
          file: m.file,
          line: dep.line,
          span: pos.entry,
          snippet: dep.text,
          key: dep.text,
          messageId: 'missing',
          data: { spec: dep.text, count: hashed, requirements: plural(hashed, 'requirement', 'requirements'), have: plural(hashed, 'has', 'have') },
        });
      }
    }
  }

  // ---- interpreter --------------------------------------------------------------------------
  const supported = oldestSupported(now);
  const supportedText = supported ? formatVersion(supported) : 'a supported version';
  if (on('eol-python-runtime')) {
    const DAY = 86_400_000;
    const today = Date.parse(now.toISOString().slice(0, 10));
    for (const r of runtimes) {
      const cursor = new Map<number, number>();
      for (const pin of r.pins) {
        const s = runtimeStatus(pin.version, now, config.dependencies.eolWarningDays);
        const line = r.file.line(pin.line);
        const from = cursor.get(pin.line) ?? 0;
        const span = findRuntimeVersion(line, pin.version, from);
        if (span) cursor.set(pin.line, span.end);
        if (s.status !== 'eol' && s.status !== 'eol-soon') continue;
        const data: Record<string, string | number> = { where: RUNTIME_WHERE[pin.source], version: pin.version, date: s.eolDate ?? '', supported: supportedText };
        const messageId = s.status === 'eol' ? (s.eolDate ? 'eol' : 'ancient') : 'eolSoon';
        if (s.status === 'eol-soon' && s.eolDate) {
          const days = Math.round((Date.parse(s.eolDate) - today) / DAY);
          data.days = days <= 0 ? 'today is its last day of support' : `in ${days} ${plural(days, 'day', 'days')}`;
        }
        emit({
          ruleId: 'eol-python-runtime',
          path: r.path,
          file: r.file,
          line: pin.line,
          span: span ?? wholeLine(line),
          snippet: pin.text,
          key: `${pin.source}:${pin.version}:${pin.text}`,
          messageId,
          data,
          severity: s.status === 'eol' ? 'high' : 'low',
        });
      }
    }
  }
  if (on('eol-python-requires')) {
    for (const m of manifests) {
      const req = m.manifest.pythonRequires;
      const base = m.manifest.path.slice(m.manifest.path.lastIndexOf('/') + 1).toLowerCase();
      // setup.py: the tree-sitter rule reads it; Pipfile and conda pins: eol-python-runtime; locks: derived data.
      if (!req || (base !== 'pyproject.toml' && base !== 'setup.cfg')) continue;
      const bound = lowerBound(req.specifier);
      if (!bound) continue;
      const status = eolStatus(bound, now);
      if (status.kind !== 'eol' && status.kind !== 'ancient') continue;
      const line = m.file.line(req.line);
      const kv = /^(\s*["']?([A-Za-z0-9_.-]+)["']?\s*[=:]\s*)(["']?)(.*?)\3\s*(?:[#;].*)?$/.exec(line);
      const key = kv?.[2] ?? (base === 'setup.cfg' ? 'python_requires' : 'requires-python');
      const raw = kv?.[4] ?? '';
      const span: Span = kv?.[1] !== undefined ? { start: kv[1].length + (kv[3]?.length ?? 0), end: kv[1].length + (kv[3]?.length ?? 0) + raw.length } : wholeLine(line);
      const fixable = supported !== null && kv !== null && SIMPLE_LOWER_BOUND.test(raw);
      emit({
        ruleId: 'eol-python-requires',
        path: m.manifest.path,
        file: m.file,
        line: req.line,
        span,
        snippet: line.trim(),
        key: `${key}${req.specifier}`,
        messageId: status.kind,
        data: { key, version: formatVersion(bound), date: status.kind === 'eol' ? status.endOfLife : '', supported: supportedText },
        ...(fixable ? { fix: edit(m.file, req.line, span, `>=${supportedText}`, `Require Python ${supportedText} or newer`) } : {}),
      });
    }
  }

  result.findings.sort(
    (a, b) =>
      (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
      a.range.start.line - b.range.start.line ||
      a.range.start.column - b.range.start.column ||
      (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0),
  );
  return result;
}

/** A runtime version on its line: `3.8` (`python:3.8-slim`, `"3.8"`), or tox's `py38` / `py3.8` / `py{39,310}`. */
function findRuntimeVersion(line: string, version: string, from: number): Span | null {
  const exact = new RegExp(`(?<![0-9.])${escapeRe(version)}(?![0-9])`, 'g');
  exact.lastIndex = from;
  const e = exact.exec(line);
  if (e) return { start: e.index, end: e.index + version.length };
  const mm = /^(\d+)\.(\d+)/.exec(version);
  if (!mm) return null;
  const factor = new RegExp(`(?<![0-9A-Za-z])(?:py|pypy)${mm[1]}\\.?${mm[2]}(?![0-9])`, 'gi');
  factor.lastIndex = from;
  const f = factor.exec(line);
  if (f) return { start: f.index, end: f.index + f[0].length };
  // tox brace expansion: `py{39,310}`.
  const brace = new RegExp(`(?<=[{,]\\s*)${mm[1]}\\.?${mm[2]}(?![0-9])`, 'g');
  brace.lastIndex = from;
  const b = brace.exec(line);
  return b ? { start: b.index, end: b.index + b[0].length } : null;
}
