/**
 * Helpers shared by the TOML lock-file extractors (poetry.lock, uv.lock, pdm.lock, pylock.toml).
 *
 * smol-toml gives no source positions, so the line of each `[[package]]` entry is found by a
 * linear scan of the text: the n-th `[[package]]` header belongs to the n-th parsed entry
 * (TOML keeps array-of-tables order). The entry's line is its `name = "..."` line.
 *
 * These live in poetry-lock/ because helpers could only create files in their own folders;
 * they are a candidate to move to a shared src/deps/ module.
 */
import { parse, TomlError } from 'smol-toml';
import { normalizeName, type Dependency, type DependencySource, type ManifestFile } from './types.js';

export interface TomlBlock {
  /** 1-based line of the `[[table]]` header. */
  headerLine: number;
  headerText: string;
  /** 1-based line of the block's own `name = "..."` key, when present. */
  nameLine?: number;
  /** The name written on that line. */
  name?: string;
  nameText?: string;
}

/** A `[table]` or `[[array.table]]` header line (not an array value that starts a line). */
const TABLE_HEADER = /^\s*\[\[?\s*([A-Za-z0-9_"'. -]+?)\s*\]\]?\s*(?:#.*)?$/;

const NAME_RE = /^\s*name\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)')/;

/**
 * Every `[[table]]` header in the text, in order, with the `name = "..."` line of its block
 * (searched up to the next table header). Headers inside multi-line strings are ignored.
 */
export function arrayTableBlocks(text: string, table: string): TomlBlock[] {
  const escaped = table.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const header = new RegExp(`^\\s*\\[\\[\\s*${escaped}\\s*\\]\\]\\s*(?:#.*)?$`);
  const anyHeader = TABLE_HEADER;
  const lines = text.split(/\r?\n/);
  const blocks: TomlBlock[] = [];
  let current: TomlBlock | undefined;
  let inString: '"""' | "'''" | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const startedInString = inString !== undefined;
    inString = multilineState(line, inString);
    if (startedInString) continue;
    if (header.test(line)) {
      current = { headerLine: i + 1, headerText: line.trim() };
      blocks.push(current);
      continue;
    }
    if (anyHeader.test(line)) {
      current = undefined;
      continue;
    }
    if (current && current.nameLine === undefined) {
      const m = NAME_RE.exec(line);
      if (m) {
        current.nameLine = i + 1;
        current.name = m[1] ?? m[2] ?? '';
        current.nameText = line.trim();
      }
    }
  }
  return blocks;
}

/** Tracks whether a line leaves us inside a `"""` / `'''` string (good enough for lock files). */
function multilineState(line: string, state: '"""' | "'''" | undefined): '"""' | "'''" | undefined {
  let s = state;
  let i = 0;
  while (i < line.length) {
    if (s) {
      const end = line.indexOf(s, i);
      if (end < 0) return s;
      i = end + 3;
      s = undefined;
      continue;
    }
    const ch = line[i];
    if (ch === '#') return undefined;
    if (line.startsWith('"""', i) || line.startsWith("'''", i)) {
      s = line.slice(i, i + 3) as '"""' | "'''";
      i += 3;
      continue;
    }
    if (ch === '"' || ch === "'") {
      // a single-line string: skip to its end
      let j = i + 1;
      while (j < line.length && line[j] !== ch) j += ch === '"' && line[j] === '\\' ? 2 : 1;
      i = j + 1;
      continue;
    }
    i++;
  }
  return s;
}

/**
 * Maps parsed entries (by index) to their blocks. When the header count matches the entry
 * count the n-th block is used; otherwise the next unused block with the same normalised name.
 */
export class BlockLocator {
  private readonly aligned: boolean;
  private next = 0;

  constructor(
    private readonly blocks: TomlBlock[],
    entryCount: number,
  ) {
    this.aligned = blocks.length === entryCount;
  }

  locate(index: number, name: string | undefined): { line: number; text: string } {
    if (this.aligned) {
      const b = this.blocks[index];
      if (b) return blockPosition(b);
    }
    const wanted = name === undefined ? undefined : normalizeName(name);
    for (let i = this.next; i < this.blocks.length; i++) {
      const b = this.blocks[i];
      if (b && (wanted === undefined || (b.name !== undefined && normalizeName(b.name) === wanted))) {
        this.next = i + 1;
        return blockPosition(b);
      }
    }
    return { line: 1, text: name ?? '' };
  }
}

function blockPosition(b: TomlBlock): { line: number; text: string } {
  return { line: b.nameLine ?? b.headerLine, text: b.nameText ?? b.headerText };
}

/** Parses TOML; on failure records a problem (with the line smol-toml reports) and returns undefined. */
export function parseTomlOrProblem(text: string, manifest: ManifestFile, what: string): Record<string, unknown> | undefined {
  try {
    return parse(text) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof TomlError) {
      const first = err.message.split('\n')[0] ?? err.message;
      manifest.problems.push({ line: err.line, message: `${what} is not valid TOML: ${first}` });
    } else {
      manifest.problems.push({ message: `${what} could not be read: ${String(err)}` });
    }
    return undefined;
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function strList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Collects `hash = "sha256:..."` values of `{file/url, hash}` tables, deduplicated. */
export function hashesOf(files: unknown, keep?: (file: Record<string, unknown>) => boolean): string[] {
  const out: string[] = [];
  if (!Array.isArray(files)) return out;
  for (const f of files) {
    if (!isRecord(f) || (keep && !keep(f))) continue;
    const h = str(f.hash);
    if (h && !out.includes(h)) out.push(h);
  }
  return out;
}

export interface LockEntry {
  rawName: string;
  version?: string;
  line: number;
  text: string;
  hashes?: string[];
  source?: DependencySource;
  group?: string;
  marker?: string;
  extras?: string[];
  editable?: boolean;
  /** Why the entry cannot be checked (no version, ...). */
  skipReason?: string;
}

/** A Dependency for a lock-file entry: `locked: true`, `specifier` `==version` when there is one. */
export function lockDependency(e: LockEntry): Dependency {
  const dep: Dependency = {
    name: normalizeName(e.rawName),
    rawName: e.rawName,
    specifier: e.version ? `==${e.version}` : '',
    line: e.line,
    locked: true,
    text: e.text,
  };
  if (e.version) dep.version = e.version;
  if (e.hashes && e.hashes.length > 0) dep.hashes = e.hashes;
  if (e.source) dep.source = e.source;
  if (e.group) dep.group = e.group;
  if (e.marker) dep.marker = e.marker;
  if (e.extras && e.extras.length > 0) dep.extras = e.extras;
  if (e.editable) dep.editable = true;
  if (e.skipReason) dep.skipReason = e.skipReason;
  else if (!e.version) dep.skipReason = 'the lock entry has no version';
  return dep;
}

/** `git+URL@rev` (the PEP 508 direct-reference spelling) for a locked VCS source. */
export function vcsUrl(url: string, rev: string | undefined, scheme = 'git'): string {
  const base = /^[a-z]+\+/.test(url) ? url : `${scheme}+${url}`;
  return rev ? `${base}@${rev}` : base;
}

/** True for the public PyPI index (no per-package index needs recording then). */
export function isPypi(url: string): boolean {
  return /^https?:\/\/(?:pypi\.org|pypi\.python\.org|files\.pythonhosted\.org)(?:\/|$)/i.test(url);
}

/**
 * 1-based line of `key = ...` in a table (`undefined`: the top level, before any header), or
 * the table header's line when the key is not found there, or 1.
 */
export function tableKeyLine(text: string, table: string | undefined, key: string): number {
  const lines = text.split(/\r?\n/);
  const keyRe = new RegExp(`^\\s*["']?${key.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}["']?\\s*=`);
  let inTable = table === undefined;
  let headerLine = 1;
  let seenTable = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] ?? '';
    const h = TABLE_HEADER.exec(l);
    if (h) {
      if (table === undefined) break; // top-level keys come before the first header
      inTable = h[1] === table;
      if (inTable && !seenTable) {
        seenTable = true;
        headerLine = i + 1;
      }
      continue;
    }
    if (inTable && keyRe.test(l)) return i + 1;
  }
  return headerLine;
}
