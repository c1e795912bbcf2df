/**
 * poetry.lock (Poetry 1.x and 2.x). Every `[[package]]` entry becomes a locked dependency on
 * the line of its `name = "..."` key.
 *
 * - Poetry < 1.2 (lock-version 1.x): `category` ("main"/"dev") and hashes in `[metadata.files]`.
 * - Poetry 1.2+ (lock-version 2.x): `files = [{file, hash}]` in the entry; Poetry 2 adds `groups`
 *   and per-group `markers`.
 * - `[package.source]`: git → vcs, legacy → index, url → url, directory/file → path.
 */
import { emptyManifest, normalizeName, type DependencySource, type ManifestFile } from '../types.js';
import {
  BlockLocator,
  arrayTableBlocks,
  hashesOf,
  isRecord,
  lockDependency,
  parseTomlOrProblem,
  str,
  strList,
  vcsUrl,
} from '../lock-common.js';

export function extractPoetryLock(path: string, text: string): ManifestFile {
  const manifest = emptyManifest(path, 'poetry-lock');
  const doc = parseTomlOrProblem(text, manifest, 'poetry.lock');
  if (!doc) return manifest;
  const packages = doc.package;
  if (packages === undefined) {
    if (!isRecord(doc.metadata)) manifest.problems.push({ message: 'poetry.lock has neither [[package]] entries nor [metadata]: not a Poetry lock file?' });
    return manifest;
  }
  if (!Array.isArray(packages)) {
    manifest.problems.push({ message: 'poetry.lock: `package` is not an array of tables' });
    return manifest;
  }
  const metadata = isRecord(doc.metadata) ? doc.metadata : {};
  const legacyFiles = isRecord(metadata.files) ? metadata.files : {};
  const legacyByName = new Map<string, unknown>();
  for (const [k, v] of Object.entries(legacyFiles)) legacyByName.set(normalizeName(k), v);
  const nameCounts = new Map<string, number>();
  for (const p of packages) {
    const n = isRecord(p) ? str(p.name) : undefined;
    if (n) nameCounts.set(normalizeName(n), (nameCounts.get(normalizeName(n)) ?? 0) + 1);
  }

  const locator = new BlockLocator(arrayTableBlocks(text, 'package'), packages.length);
  packages.forEach((p, i) => {
    const rawName = isRecord(p) ? str(p.name) : undefined;
    const pos = locator.locate(i, rawName);
    if (!isRecord(p) || !rawName) {
      manifest.problems.push({ line: pos.line, message: 'poetry.lock: a [[package]] entry has no name' });
      return;
    }
    const version = str(p.version);
    const name = normalizeName(rawName);
    let hashes = hashesOf(p.files);
    if (hashes.length === 0 && legacyByName.has(name)) {
      // Old locks list every version's files under one name: keep this version's files.
      const only = (nameCounts.get(name) ?? 0) > 1 && version ? (f: Record<string, unknown>) => fileHasVersion(str(f.file) ?? '', version) : undefined;
      hashes = hashesOf(legacyByName.get(name), only);
    }
    const source = poetrySource(p.source);
    manifest.dependencies.push(
      lockDependency({
        rawName,
        line: pos.line,
        text: pos.text,
        hashes,
        ...(version ? { version } : {}),
        ...(source ? { source } : {}),
        ...(group(p) ? { group: group(p) } : {}),
        ...(marker(p) ? { marker: marker(p) } : {}),
        ...(isRecord(p.source) && p.source.type === 'directory' && p.develop === true ? { editable: true } : {}),
      }),
    );
  });
  return manifest;
}

function group(p: Record<string, unknown>): string | undefined {
  const groups = strList(p.groups);
  if (groups.length > 0) return groups.includes('main') ? 'main' : groups[0];
  return str(p.category);
}

function marker(p: Record<string, unknown>): string | undefined {
  if (typeof p.markers === 'string') return p.markers;
  if (isRecord(p.markers)) {
    // Poetry 2: one marker per group; the main group's marker is the one that ships.
    const g = group(p);
    const m = (g !== undefined ? str(p.markers[g]) : undefined) ?? Object.values(p.markers).find((v) => typeof v === 'string');
    return typeof m === 'string' ? m : undefined;
  }
  return undefined;
}

function poetrySource(s: unknown): DependencySource | undefined {
  if (!isRecord(s)) return undefined;
  const url = str(s.url);
  if (!url) return undefined;
  switch (s.type) {
    case 'git':
      return { kind: 'vcs', url: vcsUrl(url, str(s.resolved_reference) ?? str(s.reference)) };
    case 'hg':
    case 'svn':
    case 'bzr':
      return { kind: 'vcs', url: vcsUrl(url, str(s.resolved_reference) ?? str(s.reference), s.type) };
    case 'legacy':
      return { kind: 'index', url };
    case 'url':
      return { kind: 'url', url };
    case 'directory':
    case 'file':
      return { kind: 'path', url };
    default:
      return undefined;
  }
}

/** Does a distribution file name (`numpy-1.21.0-cp39-....whl`, `foo-1.0.tar.gz`) carry this version? */
function fileHasVersion(file: string, version: string): boolean {
  return file.includes(`-${version}-`) || file.includes(`-${version}.tar`) || file.endsWith(`-${version}.zip`);
}
