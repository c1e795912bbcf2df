/**
 * Which extractor reads a file, chosen by its path. The patterns come from each manager's
 * index.ts (plain data); the interpreter-pin files from src/deps/runtime (runtimeSourceOf).
 *
 * Names are compared case-insensitively (`Requirements.txt`, `pipfile`, `dockerfile` are
 * committed from case-insensitive file systems and the tools read them); `canonicalPath` gives
 * the spelling the extractors expect, for the extractors that look at the file name.
 */
import picomatch from 'picomatch';
import { manager as condaManager, filePatterns as condaPatterns } from './conda/index.js';
import { extractConda } from './conda/extract.js';
import { manager as pdmManager, filePatterns as pdmPatterns } from './pdm-lock/index.js';
import { extractPdmLock } from './pdm-lock/extract.js';
import { pip } from './pip/index.js';
import { extractRequirements } from './pip/extract.js';
import { pipenv } from './pipenv/index.js';
import { extractPipfile } from './pipenv/extract.js';
import { manager as pipfileLockManager, filePatterns as pipfileLockPatterns } from './pipfile-lock/index.js';
import { extractPipfileLock } from './pipfile-lock/extract.js';
import { manager as poetryLockManager, filePatterns as poetryLockPatterns } from './poetry-lock/index.js';
import { extractPoetryLock } from './poetry-lock/extract.js';
import { manager as pylockManager, filePatterns as pylockPatterns } from './pylock/index.js';
import { extractPylock } from './pylock/extract.js';
import { pyproject } from './pyproject/index.js';
import { extractPyproject } from './pyproject/extract.js';
import { runtimeSourceOf } from './runtime/extract.js';
import { setuptools } from './setuptools/index.js';
import { extractSetupCfg, extractSetupPy } from './setuptools/extract.js';
import { manager as uvLockManager, filePatterns as uvLockPatterns } from './uv-lock/index.js';
import { extractUvLock } from './uv-lock/extract.js';
import type { Extractor, Manager } from './types.js';

/** A dependency manifest: its manager and extractor. */
export interface ManifestReader {
  manager: Manager;
  extract: Extractor;
  /** A lock file: exact, complete versions (its pins can only be changed by the locking tool). */
  lock: boolean;
  /** The file also holds interpreter pins (Pipfile `[requires]`, conda `python=`). */
  runtime: boolean;
}

/** A file that holds only interpreter pins (Dockerfile, .python-version, runtime.txt, tox.ini, workflows). */
export interface RuntimeOnly {
  manager?: undefined;
  runtime: true;
}

export type ManifestKind = ManifestReader | RuntimeOnly;

interface Entry {
  manager: Manager;
  extract: Extractor;
  lock: boolean;
  patterns: readonly string[];
}

const ENTRIES: Entry[] = [
  { manager: pipfileLockManager, extract: extractPipfileLock, lock: true, patterns: pipfileLockPatterns },
  { manager: poetryLockManager, extract: extractPoetryLock, lock: true, patterns: poetryLockPatterns },
  { manager: uvLockManager, extract: extractUvLock, lock: true, patterns: uvLockPatterns },
  { manager: pdmManager, extract: extractPdmLock, lock: true, patterns: pdmPatterns },
  { manager: pylockManager, extract: extractPylock, lock: true, patterns: pylockPatterns },
  { manager: pyproject.manager, extract: extractPyproject, lock: false, patterns: pyproject.patterns },
  { manager: pipenv.manager, extract: extractPipfile, lock: false, patterns: pipenv.patterns },
  { manager: setuptools.manager, extract: extractSetupCfg, lock: false, patterns: ['setup.cfg'] },
  { manager: setuptools.manager, extract: extractSetupPy, lock: false, patterns: ['setup.py'] },
  { manager: condaManager, extract: extractConda, lock: false, patterns: condaPatterns },
  { manager: pip.manager, extract: extractRequirements, lock: false, patterns: pip.patterns },
];

// Every setuptools pattern has an extractor above (a new pattern in its index.ts must be added here).
for (const p of setuptools.patterns) if (!ENTRIES.some((e) => e.patterns.includes(p))) throw new Error(`registry: no extractor for ${p}`);

const OPTS = { dot: true, nocase: true };
const MATCHERS = ENTRIES.map((e) => {
  const onBase = e.patterns.filter((p) => !p.includes('/'));
  const onPath = e.patterns.filter((p) => p.includes('/'));
  const base = onBase.length > 0 ? picomatch(onBase, OPTS) : null;
  const full = onPath.length > 0 ? picomatch(onPath, OPTS) : null;
  return { entry: e, test: (path: string, name: string) => (base?.(name) ?? false) || (full?.(path) ?? false) };
});

/** Exact file names the extractors and runtimeSourceOf compare case-sensitively. */
const CANONICAL = new Map(
  ['Pipfile', 'Pipfile.lock', '.python-version', 'runtime.txt', 'tox.ini', 'Dockerfile', 'Containerfile', 'setup.py', 'setup.cfg', 'pyproject.toml'].map(
    (n) => [n.toLowerCase(), n],
  ),
);

function toPosix(path: string): string {
  return path.replace(/\\/g, '/');
}

/** The path with its file name spelled as the tools spell it (`pipfile` → `Pipfile`); `\` → `/`. */
export function canonicalPath(path: string): string {
  const p = toPosix(path);
  const i = p.lastIndexOf('/');
  const base = p.slice(i + 1);
  const canon = CANONICAL.get(base.toLowerCase());
  return canon ? p.slice(0, i + 1) + canon : p;
}

/**
 * How to read `path`: a manifest (manager + extractor, and whether it also pins the
 * interpreter), an interpreter-pin file only, or undefined when it is neither.
 * `setup.py` is a manifest for its dependencies only: its `python_requires` is checked by the
 * tree-sitter rule eol-python-requires.
 */
export function manifestKind(path: string): ManifestKind | undefined {
  const p = canonicalPath(path);
  const name = p.slice(p.lastIndexOf('/') + 1);
  const runtime = runtimeSourceOf(p) !== undefined;
  for (const { entry, test } of MATCHERS) {
    if (test(p, name)) return { manager: entry.manager, extract: entry.extract, lock: entry.lock, runtime };
  }
  return runtime ? { runtime: true } : undefined;
}

/** True for lock files (poetry.lock, uv.lock, pdm.lock, Pipfile.lock, pylock*.toml). */
export function isLockFile(path: string): boolean {
  const k = manifestKind(path);
  return k?.manager !== undefined && k.lock;
}
