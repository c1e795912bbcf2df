/**
 * pdm.lock. Every `[[package]]` entry becomes a locked dependency on the line of its
 * `name = "..."` key.
 *
 * - lock_version 4.x (PDM 2.8+): `groups` and `files = [{file, hash}]` in each entry.
 * - lock_version 3.x (PDM 2.0–2.7): hashes in `[metadata.files]` keyed `"name version"`.
 * - PDM 1.x: `sections` instead of `groups`.
 * - VCS (`git` + `revision`), `url` and `path` (optionally `editable`) entries.
 * PDM writes one entry per (package, extras): `requests[socks]` is a second entry with `extras`.
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
  tableKeyLine,
  vcsUrl,
} from '../lock-common.js';

export function extractPdmLock(path: string, text: string): ManifestFile {
  const manifest = emptyManifest(path, 'pdm-lock');
  const doc = parseTomlOrProblem(text, manifest, 'pdm.lock');
  if (!doc) return manifest;
  const metadata = isRecord(doc.metadata) ? doc.metadata : undefined;
  if (!metadata) manifest.problems.push({ line: 1, message: 'pdm.lock has no [metadata] table: not a PDM lock file? Read anyway.' });

  const requiresPython = metadataRequiresPython(metadata);
  if (requiresPython) manifest.pythonRequires = { specifier: requiresPython.specifier, line: tableKeyLine(text, requiresPython.table, 'requires_python') };

  const packages = doc.package ?? [];
  if (!Array.isArray(packages)) {
    manifest.problems.push({ message: 'pdm.lock: `package` is not an array of tables' });
    return manifest;
  }
  // lock_version 3.x: `"name version" = [{url|file, hash}]`
  const legacyFiles = new Map<string, unknown>();
  if (metadata && isRecord(metadata.files)) {
    for (const [k, v] of Object.entries(metadata.files)) {
      const [n, ver] = k.trim().split(/\s+/);
      if (n && ver) legacyFiles.set(`${normalizeName(n)} ${ver}`, v);
    }
  }

  const locator = new BlockLocator(arrayTableBlocks(text, 'package'), packages.length);
  packages.forEach((p, i) => {
    const rawName = isRecord(p) ? str(p.name) : undefined;
    const pos = locator.locate(i, rawName);
    if (!isRecord(p) || !rawName) {
      manifest.problems.push({ line: pos.line, message: 'pdm.lock: a [[package]] entry has no name' });
      return;
    }
    const version = str(p.version);
    let hashes = hashesOf(p.files);
    if (hashes.length === 0 && version) hashes = hashesOf(legacyFiles.get(`${normalizeName(rawName)} ${version}`));
    const groups = strList(p.groups).length > 0 ? strList(p.groups) : strList(p.sections);
    const group = groups.includes('default') ? 'default' : groups[0];
    const source = pdmSource(p);
    const marker = str(p.marker);
    manifest.dependencies.push(
      lockDependency({
        rawName,
        line: pos.line,
        text: pos.text,
        hashes,
        extras: strList(p.extras),
        ...(version ? { version } : {}),
        ...(group ? { group } : {}),
        ...(marker ? { marker } : {}),
        ...(source ? { source } : {}),
        ...(p.editable === true ? { editable: true } : {}),
      }),
    );
  });
  return manifest;
}

function metadataRequiresPython(metadata: Record<string, unknown> | undefined): { specifier: string; table: string } | undefined {
  if (!metadata) return undefined;
  const direct = str(metadata.requires_python);
  if (direct !== undefined) return { specifier: direct, table: 'metadata' };
  // PDM 2.17+: [[metadata.targets]] requires_python = "..."
  if (Array.isArray(metadata.targets)) {
    for (const t of metadata.targets) {
      const rp = isRecord(t) ? str(t.requires_python) : undefined;
      if (rp !== undefined) return { specifier: rp, table: 'metadata.targets' };
    }
  }
  return undefined;
}

function pdmSource(p: Record<string, unknown>): DependencySource | undefined {
  const git = str(p.git);
  if (git !== undefined) return { kind: 'vcs', url: vcsUrl(git, str(p.revision) ?? str(p.ref)) };
  for (const vcs of ['hg', 'svn', 'bzr']) {
    const u = str(p[vcs]);
    if (u !== undefined) return { kind: 'vcs', url: vcsUrl(u, str(p.revision) ?? str(p.ref), vcs) };
  }
  const url = str(p.url);
  if (url !== undefined) return { kind: 'url', url };
  const path = str(p.path);
  if (path !== undefined) return { kind: 'path', url: path };
  return undefined;
}
