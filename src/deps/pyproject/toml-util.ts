/** Small helpers shared by the TOML-based extractors (pyproject.toml, Pipfile). */
import { parse, TomlError } from 'smol-toml';
import type { Dependency, DependencySource, IndexSetting } from '../types.js';

export type TomlTable = Record<string, unknown>;

export function isTable(v: unknown): v is TomlTable {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

export function asString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Parse TOML; on failure, the problem to report (smol-toml's message, first line only, and its line). */
export function parseToml(text: string): { ok: true; doc: TomlTable } | { ok: false; problem: { line?: number; message: string } } {
  try {
    return { ok: true, doc: parse(text) as TomlTable };
  } catch (e) {
    const message = e instanceof Error ? (e.message.split('\n')[0] ?? e.message).trim() : String(e);
    const problem: { line?: number; message: string } = { message: `invalid TOML: ${message}` };
    if (e instanceof TomlError && typeof e.line === 'number') problem.line = e.line;
    return { ok: false, problem };
  }
}

/** Host of a URL (for verify_ssl = false → trusted-host), or the text itself. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

/** A git reference as a pip-style VCS URL: git+URL@ref#subdirectory=... */
export function gitUrl(table: TomlTable): string {
  const base = asString(table.git) ?? '';
  const ref = asString(table.rev) ?? asString(table.tag) ?? asString(table.branch) ?? asString(table.ref);
  const sub = asString(table.subdirectory);
  const prefix = /^git\+/.test(base) ? base : `git+${base}`;
  return `${prefix}${ref ? `@${ref}` : ''}${sub ? `#subdirectory=${sub}` : ''}`;
}

/** Source of a table-form dependency (git / path / file / url / named index), if any. */
export function tableSource(table: TomlTable, indexUrl: (name: string) => string | undefined, indexKey: string): DependencySource | undefined {
  if (asString(table.git)) return { kind: 'vcs', url: gitUrl(table) };
  const path = asString(table.path) ?? asString(table.file);
  if (path) return { kind: 'path', url: path };
  const url = asString(table.url);
  if (url) return { kind: 'url', url };
  const index = asString(table[indexKey]);
  if (index) return { kind: 'index', url: indexUrl(index) ?? index };
  return undefined;
}

export function indexSetting(kind: IndexSetting['kind'], value: string, line: number): IndexSetting {
  return { kind, value, line };
}

/** `version` when a normalised specifier pins exactly one version. */
export function exactVersion(specifier: string): string | undefined {
  const m = /^(===|==)([^,*]+)$/.exec(specifier);
  return m?.[2];
}

export function withOptional(dep: Dependency, fields: Partial<Dependency>): Dependency {
  for (const [k, v] of Object.entries(fields)) {
    if (v !== undefined && !(Array.isArray(v) && v.length === 0)) (dep as unknown as Record<string, unknown>)[k] = v;
  }
  return dep;
}
