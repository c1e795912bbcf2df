/**
 * Which extractor reads a file, chosen by its path: kinds.ts says what the path is (from the
 * managers' patterns and the interpreter-pin file names), this module pairs each kind with its
 * manager and extractor.
 */
import { manager as condaManager } from './conda/index.js';
import { extractConda } from './conda/extract.js';
import { manager as pdmManager } from './pdm-lock/index.js';
import { extractPdmLock } from './pdm-lock/extract.js';
import { pip } from './pip/index.js';
import { extractRequirements } from './pip/extract.js';
import { pipenv } from './pipenv/index.js';
import { extractPipfile } from './pipenv/extract.js';
import { manager as pipfileLockManager } from './pipfile-lock/index.js';
import { extractPipfileLock } from './pipfile-lock/extract.js';
import { manager as poetryLockManager } from './poetry-lock/index.js';
import { extractPoetryLock } from './poetry-lock/extract.js';
import { manager as pylockManager } from './pylock/index.js';
import { extractPylock } from './pylock/extract.js';
import { pyproject } from './pyproject/index.js';
import { extractPyproject } from './pyproject/extract.js';
import { setuptools } from './setuptools/index.js';
import { extractSetupCfg, extractSetupPy } from './setuptools/extract.js';
import { manager as uvLockManager } from './uv-lock/index.js';
import { extractUvLock } from './uv-lock/extract.js';
import type { Extractor, Manager } from './types.js';
import { kindOfPath, type ManifestKindId } from './kinds.js';

export { canonicalPath } from './kinds.js';

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

const READERS: Record<ManifestKindId, { manager: Manager; extract: Extractor }> = {
  'pipfile-lock': { manager: pipfileLockManager, extract: extractPipfileLock },
  'poetry-lock': { manager: poetryLockManager, extract: extractPoetryLock },
  'uv-lock': { manager: uvLockManager, extract: extractUvLock },
  'pdm-lock': { manager: pdmManager, extract: extractPdmLock },
  pylock: { manager: pylockManager, extract: extractPylock },
  pyproject: { manager: pyproject.manager, extract: extractPyproject },
  pipfile: { manager: pipenv.manager, extract: extractPipfile },
  'setup-cfg': { manager: setuptools.manager, extract: extractSetupCfg },
  'setup-py': { manager: setuptools.manager, extract: extractSetupPy },
  conda: { manager: condaManager, extract: extractConda },
  requirements: { manager: pip.manager, extract: extractRequirements },
};

/**
 * How to read `path`: a manifest (manager + extractor, and whether it also pins the
 * interpreter), an interpreter-pin file only, or undefined when it is neither.
 * `setup.py` is a manifest for its dependencies only: its `python_requires` is checked by the
 * tree-sitter rule eol-python-requires.
 */
export function manifestKind(path: string): ManifestKind | undefined {
  const { kind, runtime } = kindOfPath(path);
  if (kind) return { ...READERS[kind.id], lock: kind.lock, runtime };
  return runtime ? { runtime: true } : undefined;
}

/** True for lock files (poetry.lock, uv.lock, pdm.lock, Pipfile.lock, pylock*.toml). */
export function isLockFile(path: string): boolean {
  const k = manifestKind(path);
  return k?.manager !== undefined && k.lock;
}
