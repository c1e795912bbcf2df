/**
 * Pipfile.lock (pipenv, JSON). `default` and `develop` map package names to
 * `{version: "==x", hashes, markers, index, extras, git/ref, file, path, editable}`; `_meta`
 * holds the sources and the Python requirement. Lines come from a small JSON key scanner.
 */
import { emptyManifest, normalizeName, type DependencySource, type ManifestFile } from '../types.js';
import { isRecord, lockDependency, str, strList, vcsUrl } from '../lock-common.js';
import { JsonKeyLines, jsonErrorLine } from './json-lines.js';

export function extractPipfileLock(path: string, text: string): ManifestFile {
  const manifest = emptyManifest(path, 'pipfile-lock');
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const line = jsonErrorLine(text, message);
    manifest.problems.push({ ...(line !== undefined ? { line } : {}), message: `Pipfile.lock is not valid JSON: ${message}` });
    return manifest;
  }
  if (!isRecord(doc)) {
    manifest.problems.push({ line: 1, message: 'Pipfile.lock is not a JSON object' });
    return manifest;
  }
  const lines = new JsonKeyLines(text);
  const allLines = text.split(/\r?\n/);
  const textOf = (line: number): string => (allLines[line - 1] ?? '').trim();
  const meta = isRecord(doc._meta) ? doc._meta : undefined;
  if (!meta) manifest.problems.push({ line: 1, message: 'Pipfile.lock has no `_meta`: not a pipenv lock file? Read anyway.' });

  // Sources: the first is the primary index, the others are extra indexes.
  const sourceUrls = new Map<string, string>();
  const sources = meta && Array.isArray(meta.sources) ? meta.sources : [];
  sources.forEach((s, i) => {
    if (!isRecord(s)) return;
    const url = str(s.url);
    if (!url) return;
    const name = str(s.name);
    if (name) sourceUrls.set(name, url);
    const line = lines.lineOf(['_meta', 'sources', i, 'url']) ?? lines.lineOf(['_meta', 'sources']) ?? 1;
    manifest.indexes.push({ kind: i === 0 ? 'index-url' : 'extra-index-url', value: url, line });
    if (s.verify_ssl === false) {
      const host = hostOf(url);
      if (host) manifest.indexes.push({ kind: 'trusted-host', value: host, line: lines.lineOf(['_meta', 'sources', i, 'verify_ssl']) ?? line });
    }
  });
  const primary = isRecord(sources[0]) ? str(sources[0].name) : undefined;

  const requires = meta && isRecord(meta.requires) ? meta.requires : undefined;
  if (requires) {
    const full = str(requires.python_full_version);
    const minor = str(requires.python_version);
    if (full) manifest.pythonRequires = { specifier: `==${full}`, line: lines.lineOf(['_meta', 'requires', 'python_full_version']) ?? 1 };
    else if (minor) manifest.pythonRequires = { specifier: `==${minor}.*`, line: lines.lineOf(['_meta', 'requires', 'python_version']) ?? 1 };
  }

  for (const section of ['default', 'develop'] as const) {
    const packages = doc[section];
    if (packages === undefined) continue;
    if (!isRecord(packages)) {
      manifest.problems.push({ line: lines.lineOf([section]) ?? 1, message: `Pipfile.lock: \`${section}\` is not an object` });
      continue;
    }
    for (const [rawName, entry] of Object.entries(packages)) {
      const line = lines.lineOf([section, rawName]) ?? 1;
      const group = section === 'develop' ? 'dev' : undefined;
      if (!isRecord(entry)) {
        manifest.dependencies.push({
          name: normalizeName(rawName),
          rawName,
          specifier: '',
          line,
          locked: true,
          text: textOf(line),
          skipReason: 'the lock entry is not an object',
          ...(group ? { group } : {}),
        });
        continue;
      }
      const written = str(entry.version);
      const exact = written !== undefined ? /^\s*===?\s*(\S+)\s*$/.exec(written) : null;
      const source = pipenvSource(entry, sourceUrls, primary);
      const dep = lockDependency({
        rawName,
        line,
        text: textOf(line),
        hashes: strList(entry.hashes),
        extras: strList(entry.extras),
        ...(exact?.[1] ? { version: exact[1] } : {}),
        ...(group ? { group } : {}),
        ...(str(entry.markers) ? { marker: str(entry.markers) } : {}),
        ...(source ? { source } : {}),
        ...(entry.editable === true ? { editable: true } : {}),
        ...(written !== undefined && !exact
          ? { skipReason: `the lock entry's version ${JSON.stringify(written)} is not an exact pin` }
          : !written && source && source.kind !== 'index'
            ? { skipReason: `no version: locked to a ${source.kind} source` }
            : {}),
      });
      manifest.dependencies.push(dep);
    }
  }
  return manifest;
}

function pipenvSource(entry: Record<string, unknown>, sources: Map<string, string>, primary: string | undefined): DependencySource | undefined {
  for (const vcs of ['git', 'hg', 'svn', 'bzr']) {
    const url = str(entry[vcs]);
    if (url !== undefined) return { kind: 'vcs', url: vcsUrl(url, str(entry.ref), vcs) };
  }
  const file = str(entry.file);
  if (file !== undefined) return /^[a-z][a-z0-9+.-]*:\/\//i.test(file) && !file.startsWith('file:') ? { kind: 'url', url: file } : { kind: 'path', url: file };
  const path = str(entry.path);
  if (path !== undefined) return { kind: 'path', url: path };
  const index = str(entry.index);
  if (index !== undefined && index !== primary) {
    const url = sources.get(index);
    return { kind: 'index', url: url ?? index };
  }
  return undefined;
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host || undefined;
  } catch {
    return undefined;
  }
}
