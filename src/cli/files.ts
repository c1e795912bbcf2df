/**
 * Finding the Python files to scan under the paths given on the command line: folders are
 * walked (honouring .gitignore files and the usual tool/environment folders), files named
 * explicitly are always scanned.
 */
import { opendir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { isPythonPath } from '../scan/source.js';
import { manifestKind } from '../deps/registry.js';
import type { SourceFile } from '../scan/index.js';

/** Folders never worth scanning: the same defaults Ruff uses. */
export const DEFAULT_EXCLUDED_DIRS = new Set([
  '.bzr', '.direnv', '.eggs', '.git', '.git-rewrite', '.hg', '.ipynb_checkpoints', '.mypy_cache', '.nox',
  '.pants.d', '.pyenv', '.pytest_cache', '.pytype', '.ruff_cache', '.svn', '.tox', '.venv', '.vscode',
  '__pypackages__', '__pycache__', '_build', 'buck-out', 'build', 'dist', 'node_modules', 'site-packages', 'venv',
]);

interface IgnoreLayer {
  /** Directory (relative to the walk root, '' for the root) the .gitignore lives in. */
  base: string;
  matcher: Ignore;
}

export function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

async function loadGitignore(dir: string): Promise<Ignore | null> {
  try {
    const text = await readFile(join(dir, '.gitignore'), 'utf8');
    return ignore().add(text);
  } catch {
    return null;
  }
}

function ignoredBy(layers: readonly IgnoreLayer[], relPath: string, isDir: boolean): boolean {
  for (const layer of layers) {
    const sub = layer.base ? relPath.slice(layer.base.length + 1) : relPath;
    if (!sub) continue;
    if (layer.matcher.ignores(isDir ? `${sub}/` : sub)) return true;
  }
  return false;
}

/**
 * Files to scan. `root` is the directory paths are reported relative to (the current
 * directory); `targets` are the files and folders named by the user.
 */
export async function collectFiles(root: string, targets: readonly string[]): Promise<{ files: SourceFile[]; missing: string[] }> {
  const files: SourceFile[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();
  const add = (abs: string, size: number): void => {
    const rel = toPosix(relative(root, abs)) || abs;
    if (seen.has(rel)) return;
    seen.add(rel);
    files.push({ path: rel, size, localPath: abs, read: () => readFile(abs) });
  };

  for (const target of targets) {
    const abs = resolve(root, target);
    let st;
    try {
      st = await stat(abs);
    } catch {
      missing.push(target);
      continue;
    }
    if (st.isFile()) {
      add(abs, st.size);
      continue;
    }
    if (!st.isDirectory()) continue;
    await walk(abs, '', [], add);
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, missing };
}

async function walk(
  dir: string,
  rel: string,
  layers: IgnoreLayer[],
  add: (abs: string, size: number) => void,
): Promise<void> {
  const own = await loadGitignore(dir);
  const here = own ? [...layers, { base: rel, matcher: own }] : layers;
  let handle;
  try {
    handle = await opendir(dir);
  } catch {
    return;
  }
  const subdirs: string[] = [];
  const entries: string[] = [];
  for await (const entry of handle) {
    const name = entry.name;
    const childRel = rel ? `${rel}/${name}` : name;
    if (entry.isDirectory()) {
      if (DEFAULT_EXCLUDED_DIRS.has(name)) continue;
      if (ignoredBy(here, childRel, true)) continue;
      subdirs.push(name);
    } else if (entry.isFile() && (isPythonPath(name) || manifestKind(childRel) !== undefined)) {
      if (ignoredBy(here, childRel, false)) continue;
      entries.push(name);
    }
  }
  // A virtual environment under any name (env/, .env311/) is marked by pyvenv.cfg.
  if (rel && entries.length === 0 && subdirs.includes('lib')) {
    try {
      await stat(join(dir, 'pyvenv.cfg'));
      return;
    } catch {
      // not a venv
    }
  }
  for (const name of entries) {
    const abs = join(dir, name);
    try {
      const st = await stat(abs);
      add(abs, st.size);
    } catch {
      // vanished while walking
    }
  }
  for (const name of subdirs) await walk(join(dir, name), rel ? `${rel}/${name}` : name, here, add);
}
