/**
 * uv.lock. Every `[[package]]` entry (`[[distribution]]` in uv before 0.3) becomes a locked
 * dependency on the line of its `name = "..."` key, except the project itself and workspace
 * members (source `editable` / `virtual`), which are local code, not dependencies.
 *
 * Sources: registry (recorded as a per-package index unless it is PyPI), git, url, path,
 * directory. Hashes come from `sdist` and `wheels`.
 */
import { emptyManifest, type DependencySource, type ManifestFile } from '../types.js';
import {
  BlockLocator,
  arrayTableBlocks,
  hashesOf,
  isPypi,
  isRecord,
  lockDependency,
  parseTomlOrProblem,
  str,
  tableKeyLine,
} from '../lock-common.js';

const SUPPORTED_VERSION = 1;

export function extractUvLock(path: string, text: string): ManifestFile {
  const manifest = emptyManifest(path, 'uv-lock');
  const doc = parseTomlOrProblem(text, manifest, 'uv.lock');
  if (!doc) return manifest;
  if (typeof doc.version !== 'number') {
    manifest.problems.push({ line: 1, message: 'uv.lock has no `version`: not a uv lock file? Read anyway.' });
  } else if (doc.version > SUPPORTED_VERSION) {
    manifest.problems.push({ line: 1, message: `uv.lock version ${doc.version} is newer than the supported version ${SUPPORTED_VERSION}; read anyway` });
  }
  const requiresPython = str(doc['requires-python']);
  if (requiresPython !== undefined) manifest.pythonRequires = { specifier: requiresPython, line: tableKeyLine(text, undefined, 'requires-python') };

  const table = doc.package !== undefined ? 'package' : doc.distribution !== undefined ? 'distribution' : 'package';
  const packages = doc[table] ?? [];
  if (!Array.isArray(packages)) {
    manifest.problems.push({ message: `uv.lock: \`${table}\` is not an array of tables` });
    return manifest;
  }
  const locator = new BlockLocator(arrayTableBlocks(text, table), packages.length);
  packages.forEach((p, i) => {
    const rawName = isRecord(p) ? str(p.name) : undefined;
    const pos = locator.locate(i, rawName);
    if (!isRecord(p) || !rawName) {
      manifest.problems.push({ line: pos.line, message: `uv.lock: a [[${table}]] entry has no name` });
      return;
    }
    const src = isRecord(p.source) ? p.source : {};
    if (src.editable !== undefined || src.virtual !== undefined) return; // the project / a workspace member
    const version = str(p.version);
    const hashes = [...hashesOf(isRecord(p.sdist) ? [p.sdist] : []), ...hashesOf(p.wheels)];
    const source = uvSource(src);
    manifest.dependencies.push(
      lockDependency({
        rawName,
        line: pos.line,
        text: pos.text,
        hashes: [...new Set(hashes)],
        ...(version ? { version } : {}),
        ...(source ? { source } : {}),
        ...(!version && source && source.kind !== 'index' ? { skipReason: `no version: locked to a ${source.kind} source` } : {}),
      }),
    );
  });
  return manifest;
}

function uvSource(src: Record<string, unknown>): DependencySource | undefined {
  const registry = str(src.registry);
  if (registry !== undefined) return isPypi(registry) ? undefined : { kind: 'index', url: registry };
  const git = str(src.git);
  if (git !== undefined) return { kind: 'vcs', url: gitUrl(git) };
  const url = str(src.url);
  if (url !== undefined) return { kind: 'url', url };
  const p = str(src.path) ?? str(src.directory);
  if (p !== undefined) return { kind: 'path', url: p };
  return undefined;
}

/** uv writes `https://github.com/o/r?rev=main#<sha>`; report `git+https://github.com/o/r@<sha>`. */
function gitUrl(raw: string): string {
  const hash = raw.indexOf('#');
  const commit = hash >= 0 ? raw.slice(hash + 1) : '';
  let base = hash >= 0 ? raw.slice(0, hash) : raw;
  const q = base.indexOf('?');
  let rev = '';
  if (q >= 0) {
    const params = new URLSearchParams(base.slice(q + 1));
    rev = params.get('rev') ?? params.get('tag') ?? params.get('branch') ?? '';
    base = base.slice(0, q);
  }
  const ref = commit || rev;
  return `git+${base}${ref ? `@${ref}` : ''}`;
}
