/**
 * The offline OSV database (`--osv-db PATH` / `PYSEC_OSV_DB`) for air-gapped installs and tests:
 * either a directory of OSV JSON records (searched recursively) or OSV's per-ecosystem `all.zip`
 * export (one JSON file per record). Records are indexed by the normalised names of their PyPI
 * `affected[]` entries; records about other ecosystems are skipped. Unreadable files and malformed
 * records become problems, never exceptions; only a path that cannot be read at all rejects
 * (with `AdvisoryUnavailable`).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { unzipSync } from 'fflate';
import { normalizeName } from '../types.js';
import type { OsvRecord } from './osv.js';
import { parseOsvJson } from './osv.js';
import type { AdvisoryProblem, AdvisorySource, PackageQuery } from './source.js';
import { AdvisoryUnavailable } from './source.js';

export interface OfflineDbStats {
  /** JSON files (or zip entries) read. */
  files: number;
  /** Distinct records indexed (with at least one PyPI entry). */
  records: number;
  /** Distinct normalised package names. */
  packages: number;
  /** Valid records about other ecosystems only. */
  skippedOtherEcosystems: number;
  /** Valid OSV records read (any ecosystem, duplicates included). */
  valid: number;
}

const decoder = new TextDecoder('utf-8');

export class OfflineDb implements AdvisorySource {
  readonly #byName = new Map<string, OsvRecord[]>();
  readonly #byId = new Map<string, OsvRecord>();
  readonly #problems: AdvisoryProblem[] = [];
  #files = 0;
  #valid = 0;
  #otherEcosystems = 0;

  constructor(readonly path: string) {}

  get description(): string {
    return `offline OSV database ${this.path} (${this.#byId.size} records)`;
  }

  get stats(): OfflineDbStats {
    return {
      files: this.#files,
      records: this.#byId.size,
      packages: this.#byName.size,
      skippedOtherEcosystems: this.#otherEcosystems,
      valid: this.#valid,
    };
  }

  problems(): AdvisoryProblem[] {
    return [...this.#problems];
  }

  /** Records naming this package (any spelling) in a PyPI entry, withdrawn ones included. */
  lookup(name: string): OsvRecord[] {
    return [...(this.#byName.get(normalizeName(name)) ?? [])];
  }

  async advisoriesFor(packages: readonly PackageQuery[]): Promise<Map<string, OsvRecord[]>> {
    const out = new Map<string, OsvRecord[]>();
    for (const p of packages) {
      const name = normalizeName(p.name);
      if (!out.has(name)) out.set(name, this.lookup(name));
    }
    return out;
  }

  /** Add one record's JSON text (exposed for loaders and tests). */
  addJson(where: string, text: string): void {
    this.#files++;
    const parsed = parseOsvJson(text);
    if (!parsed.ok) {
      this.#problems.push({ where, message: parsed.problem });
      return;
    }
    this.add(parsed.record);
  }

  add(record: OsvRecord): void {
    this.#valid++;
    const names = new Set<string>();
    for (const a of record.affected ?? []) {
      if (a.package?.ecosystem === 'PyPI' && a.package.name) names.add(normalizeName(a.package.name));
    }
    if (names.size === 0) {
      this.#otherEcosystems++;
      return;
    }
    const prev = this.#byId.get(record.id);
    if (prev) {
      // The same record twice (two copies in a directory): keep the newer one.
      if (prev.modified >= record.modified) return;
      for (const list of this.#byName.values()) {
        const i = list.indexOf(prev);
        if (i >= 0) list.splice(i, 1);
      }
    }
    this.#byId.set(record.id, record);
    for (const n of names) {
      const list = this.#byName.get(n);
      if (list) list.push(record);
      else this.#byName.set(n, [record]);
    }
  }

  addProblem(where: string, message: string): void {
    this.#problems.push({ where, message });
  }
}

function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 0x03 || bytes[2] === 0x05);
}

async function loadDirectory(db: OfflineDb, root: string): Promise<void> {
  const pending = [root];
  while (pending.length > 0) {
    const dir = pending.pop() as string;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      db.addProblem(relative(root, dir) || '.', `cannot read directory (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const files: string[] = [];
    for (const e of entries) {
      const full = join(dir, e.name);
      const lower = e.name.toLowerCase();
      // Symbolic links are followed to files only (no directory cycles); a dangling one is a problem.
      if (e.isDirectory()) pending.push(full);
      else if ((e.isFile() || e.isSymbolicLink()) && lower.endsWith('.json')) files.push(full);
      else if ((e.isFile() || e.isSymbolicLink()) && lower.endsWith('.zip')) await loadZipFile(db, full, relative(root, full));
    }
    // Read a few files at a time: fast on big exports, bounded file handles.
    const CONCURRENCY = 32;
    for (let i = 0; i < files.length; i += CONCURRENCY) {
      const chunk = files.slice(i, i + CONCURRENCY);
      const texts = await Promise.all(
        chunk.map(async (f) => {
          try {
            return { f, text: await readFile(f, 'utf8') };
          } catch (err) {
            return { f, error: (err as NodeJS.ErrnoException).code ?? (err as Error).message };
          }
        }),
      );
      for (const t of texts) {
        const where = relative(root, t.f);
        if (t.text !== undefined) db.addJson(where, t.text);
        else db.addProblem(where, `cannot read file (${t.error})`);
      }
    }
  }
}

function loadZipBytes(db: OfflineDb, bytes: Uint8Array, label: string): void {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, { filter: (f) => f.name.toLowerCase().endsWith('.json') });
  } catch (err) {
    db.addProblem(label, `not a readable zip archive (${(err as Error).message})`);
    return;
  }
  for (const name of Object.keys(entries).sort()) {
    const data = entries[name] as Uint8Array;
    db.addJson(`${label}:${name}`, decoder.decode(data));
  }
}

async function loadZipFile(db: OfflineDb, file: string, label: string): Promise<void> {
  try {
    loadZipBytes(db, await readFile(file), label);
  } catch (err) {
    db.addProblem(label, `cannot read file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/**
 * Open an offline OSV database: a directory (recursively: *.json records, and any *.zip exports
 * inside it) or an `all.zip` file (or a single record's JSON file). Rejects with
 * `AdvisoryUnavailable` only when `path` cannot be read or holds no valid record at all (an
 * empty database would otherwise read as "no vulnerabilities").
 */
export async function openOfflineDb(path: string): Promise<OfflineDb> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    throw new AdvisoryUnavailable(
      'unreadable-db',
      `the offline OSV database ${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      { cause: err },
    );
  }
  const db = new OfflineDb(path);
  if (info.isDirectory()) await loadDirectory(db, path);
  else await loadSingleFile(db, path);
  if (db.stats.valid === 0) {
    const first = db.problems()[0];
    throw new AdvisoryUnavailable(
      'unreadable-db',
      `the offline OSV database ${path} holds no readable OSV record${first ? ` (${first.where}: ${first.message})` : ''}`,
    );
  }
  return db;
}

async function loadSingleFile(db: OfflineDb, path: string): Promise<void> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new AdvisoryUnavailable('unreadable-db', `the offline OSV database ${path} cannot be read (${(err as Error).message})`, {
      cause: err,
    });
  }
  if (isZip(bytes)) loadZipBytes(db, bytes, path);
  else db.addJson(path, decoder.decode(bytes));
}
