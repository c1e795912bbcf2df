/**
 * `scan`: files + configuration (+ changed lines) in, findings out. Shared by the CLI and
 * the GitHub App. Pure with respect to its inputs: no environment, no network, no GitHub.
 */
import { readFileSync } from 'node:fs';
import { types } from 'node:util';
import picomatch from 'picomatch';
import { analyzeSource, type SuppressedFinding } from '../core/engine.js';
import { ParseTimeout } from '../python/parser.js';
import {
  CONFIDENCE_RANK,
  SEVERITY_RANK,
  type Diagnostic,
  type Finding,
  type Rule,
  type Severity,
} from '../core/types.js';
// Types only: zod (the schema's library) costs a worker thread ~120 ms to load, for nothing.
import type { PysecConfig } from '../config/schema.js';
import type { TaintSettings } from '../python/taint.js';
import { allRules, findRule, unusedSuppressionRule } from '../rules/index.js';
import { decodeSource, isPythonPath } from './source.js';
import { isManifestPath } from '../deps/kinds.js';
import type { AdvisorySource } from '../deps/advisories/source.js';

export interface SourceFile {
  /** Path relative to the scan root, forward slashes. */
  path: string;
  /** Contents, when already in memory (the GitHub App). */
  content?: Uint8Array | string;
  /** Size in bytes, when known before reading (lets huge files be skipped unread). */
  size?: number;
  /** Lazy reader (the CLI): files are read one at a time to keep memory flat. */
  read?: () => Promise<Uint8Array>;
  /**
   * Where `read` reads from, when the file is on this machine's disk (the CLI). scan() then
   * reads it synchronously (see readLocal), and in a pool the worker reads it itself: the main
   * thread neither reads nor copies its bytes.
   */
  localPath?: string;
  /** What the file is: Python source (the default) or a dependency / interpreter manifest. */
  kind?: 'python' | 'manifest';
}

/** Changed lines by path: a set of 1-based lines, or 'all' for a new/untracked file. */
export type ChangedLines = ReadonlyMap<string, ReadonlySet<number> | 'all'>;

export interface ScanOptions {
  config: PysecConfig;
  /** Restrict to these rule ids (the CLI's `--rule`); applied on top of the config. */
  onlyRules?: readonly string[];
  /**
   * Lines changed per path (1-based). When given, only findings touching a changed line
   * are reported, and files absent from the map report nothing.
   */
  changedLines?: ChangedLines;
  onProgress?: (done: number, total: number, path: string) => void;
  /**
   * Where vulnerability data comes from for dependency manifests (an offline OSV database or
   * the OSV API client, chosen by the caller). Without it, dependencies are still checked for
   * loose pins, insecure indexes, missing hashes and end-of-life Python.
   */
  advisories?: AdvisorySource;
  /** The date end-of-life checks are judged at (default: now). */
  now?: Date;
  /** Only some of the repository's files are given (a pull request's changed files). */
  partial?: boolean;
}

export interface SkippedFile {
  path: string;
  reason: string;
  /**
   * True when the file went unchecked because something failed (a download error), not by
   * policy (binary, too large): a review with such files is incomplete.
   */
  error?: boolean;
}

export interface ScanResult {
  findings: Finding[];
  /** Sentences for the report: e.g. why dependency vulnerability checks were skipped. */
  notes: string[];
  /** Dependency manifests analysed and the dependencies found in them. */
  dependencies: { manifests: number; packages: number; advisories: 'checked' | 'skipped' | 'off' };
  suppressed: SuppressedFinding[];
  diagnostics: Diagnostic[];
  skipped: SkippedFile[];
  syntaxErrors: { path: string; lines: number[] }[];
  rules: readonly Rule[];
  stats: { filesScanned: number; filesSkipped: number; lines: number; durationMs: number };
}

/** The rules a configuration turns on. */
export function selectRules(config: PysecConfig, onlyRules?: readonly string[]): Rule[] {
  const disabled = new Set(config.rules.disable.map((id) => findRule(id)?.meta.id ?? id));
  const enabled = config.rules.enable ? new Set(config.rules.enable.map((id) => findRule(id)?.meta.id ?? id)) : null;
  const only = onlyRules ? new Set(onlyRules.map((id) => findRule(id)?.meta.id ?? id)) : null;
  return allRules.filter(
    (r) =>
      r !== unusedSuppressionRule &&
      !disabled.has(r.meta.id) &&
      (!enabled || enabled.has(r.meta.id)) &&
      (!only || only.has(r.meta.id)),
  );
}

/** The engine's view of the configuration's `taint` section. */
export function taintSettings(config: PysecConfig): TaintSettings {
  return {
    environment: config.taint.environment,
    sources: config.taint.sources,
    sanitizers: new Map(config.taint.sanitizers.map((s) => [s.name, s.kinds])),
  };
}

/** A matcher for the configuration's include/exclude globs. */
export function pathFilter(config: PysecConfig): (path: string) => boolean {
  const opts = { dot: true };
  const include = config.paths.include.length > 0 ? picomatch(config.paths.include, opts) : null;
  const exclude = config.paths.exclude.length > 0 ? picomatch(config.paths.exclude, opts) : null;
  // An excluded folder excludes everything under it: `tests` and `tests/**` both work.
  const excludedDir = (path: string): boolean => {
    if (!exclude) return false;
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) if (exclude(parts.slice(0, i).join('/'))) return true;
    return false;
  };
  return (path) => (!include || include(path)) && !(exclude?.(path) ?? false) && !excludedDir(path);
}

function severityOverrides(config: PysecConfig): Map<string, Severity> {
  const map = new Map<string, Severity>();
  for (const [id, sev] of Object.entries(config.rules.severity)) {
    map.set(findRule(id)?.meta.id ?? id, sev);
  }
  return map;
}

/** Yield to the event loop (see its use in scan()). */
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export type ReadOutcome = { bytes: Uint8Array } | { error: Error };

/**
 * Files read ahead of the one being analysed. A read is several trips through libuv's thread
 * pool (open, stat, read, close), longer than the analysis of a small file: with one file
 * ahead the scan of the standard library still waited ~1.5 s on reads.
 */
export const READ_AHEAD = 4;

/** Node's own errors fail `instanceof Error` in another realm (a vm context, as under jest). */
function asError(err: unknown): Error {
  return types.isNativeError(err) || err instanceof Error ? err : new Error(String(err));
}

/**
 * A local file's bytes, read synchronously. Once per file the analysis blocks for far longer
 * than this read, and fs/promises' readFile costs ~8x its CPU (open, stat, read and close, each a
 * trip through libuv and a promise): ~0.3 s over the standard library.
 */
export function readLocal(path: string): ReadOutcome {
  try {
    return { bytes: readFileSync(path) };
  } catch (err) {
    return { error: asError(err) };
  }
}

/** A file's bytes, or why they could not be read (never a rejected promise: reads run ahead). */
function readFile(file: SourceFile): Promise<ReadOutcome> {
  if (!file.read) return Promise.resolve({ bytes: new Uint8Array() });
  return file.read().then(
    (bytes) => ({ bytes }),
    (err: unknown) => ({ error: asError(err) }),
  );
}

export async function scan(files: Iterable<SourceFile> | readonly SourceFile[], options: ScanOptions): Promise<ScanResult> {
  const started = performance.now();
  const { config } = options;
  const rules = selectRules(config, options.onlyRules);
  const unusedOn = config.reportUnusedSuppressions && !config.rules.disable.includes(unusedSuppressionRule.meta.id);
  const analyzeOptions = {
    severityOverrides: severityOverrides(config),
    reportUnusedSuppressions: unusedOn,
    taint: taintSettings(config),
  };
  const included = pathFilter(config);
  const list = [...files];

  const result: ScanResult = {
    findings: [],
    notes: [],
    dependencies: { manifests: 0, packages: 0, advisories: 'off' },
    suppressed: [],
    diagnostics: [],
    skipped: [],
    syntaxErrors: [],
    // The unused-suppression meta-rule reports through the engine, not a visitor: list it
    // with the rules that ran so reports can describe its findings.
    rules: unusedOn ? [...rules, unusedSuppressionRule] : rules,
    stats: { filesScanned: 0, filesSkipped: 0, lines: 0, durationMs: 0 },
  };
  const keep = (f: Finding): boolean => {
    if (SEVERITY_RANK[f.severity] < SEVERITY_RANK[config.minSeverity]) return false;
    if (CONFIDENCE_RANK[f.confidence] < CONFIDENCE_RANK[config.minConfidence]) return false;
    if (options.changedLines) {
      const changed = options.changedLines.get(f.path);
      if (!changed) return false;
      if (changed === 'all') return true;
      for (let l = f.range.start.line; l <= f.range.end.line; l++) if (changed.has(l)) return true;
      return false;
    }
    return true;
  };

  const manifests: { path: string; text: string }[] = [];
  const wanted = (file: SourceFile): boolean =>
    included(file.path) && (!options.changedLines || options.changedLines.has(file.path));
  const fits = (file: SourceFile): boolean => file.size === undefined || file.size <= config.maxFileSize;
  // Read-ahead: the next files are read while this one is analysed, so the disk and the CPU
  // overlap. READ_AHEAD files at most: memory stays flat whatever the repository's size.
  const readAhead = new Map<SourceFile, Promise<ReadOutcome>>();
  let scheduled = 0;
  const prefetchAfter = (i: number): void => {
    for (let j = Math.max(i + 1, scheduled); j < list.length && readAhead.size < READ_AHEAD; j++) {
      scheduled = j + 1;
      const next = list[j]!;
      if (!wanted(next) || !fits(next)) continue;
      if (next.content === undefined && next.localPath === undefined && next.read) readAhead.set(next, readFile(next));
    }
  };
  for (let i = 0; i < list.length; i++) {
    const file = list[i]!;
    options.onProgress?.(i + 1, list.length, file.path);
    if (!wanted(file)) continue;
    const skip = (reason: string): void => {
      result.skipped.push({ path: file.path, reason });
    };
    if (!fits(file)) {
      skip(`larger than the ${formatBytes(config.maxFileSize)} limit (${formatBytes(file.size ?? 0)})`);
      continue;
    }
    let text: string;
    if (typeof file.content === 'string') {
      text = file.content;
    } else {
      const read =
        file.content !== undefined
          ? { bytes: file.content }
          : file.localPath !== undefined
            ? readLocal(file.localPath)
            : await (readAhead.get(file) ?? readFile(file));
      readAhead.delete(file);
      prefetchAfter(i);
      if ('error' in read) {
        result.diagnostics.push({ path: file.path, kind: 'read-error', message: `cannot read: ${read.error.message}` });
        skip('could not be read');
        continue;
      }
      const bytes = read.bytes;
      if (bytes.length > config.maxFileSize) {
        skip(`larger than the ${formatBytes(config.maxFileSize)} limit (${formatBytes(bytes.length)})`);
        continue;
      }
      const decoded = decodeSource(bytes);
      if (!decoded.ok) {
        skip(decoded.reason);
        continue;
      }
      text = decoded.text;
    }
    if (text.length > config.maxFileSize) {
      skip(`larger than the ${formatBytes(config.maxFileSize)} limit`);
      continue;
    }

    // setup.py is both: Python code for the rules and a manifest for its install_requires.
    const isManifest = file.kind === 'manifest' || isManifestPath(file.path);
    if (isManifest) {
      // Manifests are analysed together after the loop: requirements files include each other.
      manifests.push({ path: file.path, text });
      if (file.kind === 'manifest' || !isPythonPath(file.path)) continue;
    }
    let analysis: ReturnType<typeof analyzeSource>;
    try {
      analysis = analyzeSource(file.path, text, rules, analyzeOptions, unusedSuppressionRule);
    } catch (err) {
      if (!(err instanceof ParseTimeout)) throw err;
      result.diagnostics.push({ path: file.path, kind: 'skipped', message: `${err.message}; it was not checked` });
      skip(err.message);
      continue;
    }
    result.stats.filesScanned++;
    result.stats.lines += analysis.lines;
    result.diagnostics.push(...analysis.diagnostics);
    if (analysis.syntaxErrors.length > 0) {
      result.syntaxErrors.push({ path: file.path, lines: analysis.syntaxErrors });
      result.diagnostics.push({
        path: file.path,
        kind: 'syntax-error',
        line: analysis.syntaxErrors[0],
        message: `syntax error near line ${analysis.syntaxErrors.join(', ')}; the rest of the file was still checked`,
      });
    }
    for (const f of analysis.findings) if (keep(f)) result.findings.push(f);
    for (const s of analysis.suppressed) if (keep(s.finding)) result.suppressed.push(s);
    // Let the event loop turn between files: progress, signals and, when trees come from
    // node-tree-sitter (no native addon), the finalizers that free its native trees.
    await tick();
  }
  if (manifests.length > 0) {
    // Loaded when needed: most worker tasks never see a manifest.
    const { analyzeManifests } = await import('../deps/analyze.js');
    const deps = await analyzeManifests(manifests, {
      config,
      ...(options.advisories ? { advisories: options.advisories } : {}),
      now: options.now ?? new Date(),
      ...(options.partial || options.changedLines ? { partial: true } : {}),
      ...(options.onlyRules ? { onlyRules: options.onlyRules } : {}),
    });
    for (const f of deps.findings) if (keep(f)) result.findings.push(f);
    for (const sf of deps.suppressed) if (keep(sf.finding)) result.suppressed.push(sf);
    result.diagnostics.push(...deps.diagnostics);
    result.notes.push(...deps.notes);
    result.dependencies = { manifests: deps.manifests, packages: deps.dependencies, advisories: deps.advisories };
  }
  result.stats.filesSkipped = result.skipped.length;
  result.stats.durationMs = performance.now() - started;
  return result;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(n % 1024 === 0 ? 0 : 1)} KiB`;
  return `${n} B`;
}
