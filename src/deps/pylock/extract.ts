/**
 * pylock.toml / pylock.<name>.toml (PEP 751). Every `[[packages]]` entry becomes a locked
 * dependency on the line of its `name = "..."` key. The project itself (a `directory` entry
 * with path ".") is not a dependency.
 *
 * Sources: `index` (recorded unless it is PyPI), `vcs` (type, url, commit-id), `archive`
 * (url or path), `directory`. Hashes come from `sdist`, `wheels` and `archive`
 * (`hashes = { sha256 = "..." }` → `sha256:...`).
 */
import { emptyManifest, type DependencySource, type ManifestFile } from '../types.js';
import {
  BlockLocator,
  arrayTableBlocks,
  isPypi,
  isRecord,
  lockDependency,
  parseTomlOrProblem,
  str,
  tableKeyLine,
  vcsUrl,
} from '../lock-common.js';

export function extractPylock(path: string, text: string): ManifestFile {
  const manifest = emptyManifest(path, 'pylock');
  const doc = parseTomlOrProblem(text, manifest, 'pylock.toml');
  if (!doc) return manifest;
  const lockVersion = str(doc['lock-version']);
  if (lockVersion === undefined) {
    manifest.problems.push({ line: 1, message: 'pylock.toml has no `lock-version`: not a PEP 751 lock file? Read anyway.' });
  } else if (!/^1(\.|$)/.test(lockVersion)) {
    manifest.problems.push({
      line: tableKeyLine(text, undefined, 'lock-version'),
      message: `pylock.toml lock-version ${lockVersion} is not supported (1.x is); read anyway`,
    });
  }
  const requiresPython = str(doc['requires-python']);
  if (requiresPython !== undefined) manifest.pythonRequires = { specifier: requiresPython, line: tableKeyLine(text, undefined, 'requires-python') };

  const packages = doc.packages ?? [];
  if (!Array.isArray(packages)) {
    manifest.problems.push({ message: 'pylock.toml: `packages` is not an array of tables' });
    return manifest;
  }
  const locator = new BlockLocator(arrayTableBlocks(text, 'packages'), packages.length);
  packages.forEach((p, i) => {
    const rawName = isRecord(p) ? str(p.name) : undefined;
    const pos = locator.locate(i, rawName);
    if (!isRecord(p) || !rawName) {
      manifest.problems.push({ line: pos.line, message: 'pylock.toml: a [[packages]] entry has no name' });
      return;
    }
    if (isRecord(p.directory) && isProjectRoot(str(p.directory.path))) return;
    const version = str(p.version);
    const source = pylockSource(p);
    const marker = str(p.marker);
    manifest.dependencies.push(
      lockDependency({
        rawName,
        line: pos.line,
        text: pos.text,
        hashes: pylockHashes(p),
        ...(version ? { version } : {}),
        ...(marker ? { marker } : {}),
        ...(source ? { source } : {}),
        ...(isRecord(p.directory) && p.directory.editable === true ? { editable: true } : {}),
        ...(!version && source && source.kind !== 'index' ? { skipReason: `no version: locked to a ${source.kind} source` } : {}),
      }),
    );
  });
  return manifest;
}

function isProjectRoot(path: string | undefined): boolean {
  return path === '.' || path === './' || path === '';
}

function pylockSource(p: Record<string, unknown>): DependencySource | undefined {
  if (isRecord(p.vcs)) {
    const url = str(p.vcs.url) ?? str(p.vcs.path);
    if (url !== undefined) return { kind: 'vcs', url: vcsUrl(url, str(p.vcs['commit-id']) ?? str(p.vcs['requested-revision']), str(p.vcs.type) ?? 'git') };
  }
  if (isRecord(p.archive)) {
    const url = str(p.archive.url);
    if (url !== undefined) return { kind: 'url', url };
    const path = str(p.archive.path);
    if (path !== undefined) return { kind: 'path', url: path };
  }
  if (isRecord(p.directory)) {
    const path = str(p.directory.path);
    if (path !== undefined) return { kind: 'path', url: path };
  }
  const index = str(p.index);
  if (index !== undefined && !isPypi(index)) return { kind: 'index', url: index };
  return undefined;
}

function pylockHashes(p: Record<string, unknown>): string[] {
  const out: string[] = [];
  const add = (file: unknown): void => {
    if (!isRecord(file) || !isRecord(file.hashes)) return;
    for (const [algo, value] of Object.entries(file.hashes)) {
      if (typeof value !== 'string') continue;
      const h = `${algo}:${value}`;
      if (!out.includes(h)) out.push(h);
    }
  };
  add(p.sdist);
  add(p.archive);
  if (Array.isArray(p.wheels)) p.wheels.forEach(add);
  return out;
}
