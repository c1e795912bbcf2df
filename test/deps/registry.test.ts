import { describe, expect, it } from '@jest/globals';
import { canonicalPath, isLockFile, manifestKind } from '../../src/deps/registry.js';
import { isManifestPath } from '../../src/deps/kinds.js';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { extractConda } from '../../src/deps/conda/extract.js';
import { extractPdmLock } from '../../src/deps/pdm-lock/extract.js';
import { extractRequirements } from '../../src/deps/pip/extract.js';
import { extractPipfile } from '../../src/deps/pipenv/extract.js';
import { extractPipfileLock } from '../../src/deps/pipfile-lock/extract.js';
import { extractPoetryLock } from '../../src/deps/poetry-lock/extract.js';
import { extractPylock } from '../../src/deps/pylock/extract.js';
import { extractPyproject } from '../../src/deps/pyproject/extract.js';
import { extractSetupCfg, extractSetupPy } from '../../src/deps/setuptools/extract.js';
import { extractUvLock } from '../../src/deps/uv-lock/extract.js';
import type { Extractor } from '../../src/deps/types.js';

type Row = [path: string, manager: string | null, extract: Extractor | null, lock: boolean, runtime: boolean];

const MANIFESTS: Row[] = [
  ['requirements.txt', 'pip', extractRequirements, false, false],
  ['requirements-dev.txt', 'pip', extractRequirements, false, false],
  ['requirements_test.txt', 'pip', extractRequirements, false, false],
  ['Requirements.txt', 'pip', extractRequirements, false, false],
  ['requirements.in', 'pip', extractRequirements, false, false],
  ['dev-requirements.txt', 'pip', extractRequirements, false, false],
  ['test_requirements.txt', 'pip', extractRequirements, false, false],
  ['constraints.txt', 'pip', extractRequirements, false, false],
  ['requirements/base.txt', 'pip', extractRequirements, false, false],
  ['services/api/requirements/dev.in', 'pip', extractRequirements, false, false],
  ['backend/requirements.txt', 'pip', extractRequirements, false, false],
  ['pyproject.toml', 'pyproject', extractPyproject, false, false],
  ['pkg/pyproject.toml', 'pyproject', extractPyproject, false, false],
  ['Pipfile', 'pipenv', extractPipfile, false, true],
  ['pipfile', 'pipenv', extractPipfile, false, true],
  ['Pipfile.lock', 'pipfile-lock', extractPipfileLock, true, false],
  ['poetry.lock', 'poetry-lock', extractPoetryLock, true, false],
  ['uv.lock', 'uv-lock', extractUvLock, true, false],
  ['pdm.lock', 'pdm-lock', extractPdmLock, true, false],
  ['pylock.toml', 'pylock', extractPylock, true, false],
  ['pylock.dev.toml', 'pylock', extractPylock, true, false],
  ['setup.cfg', 'setuptools', extractSetupCfg, false, false],
  ['setup.py', 'setuptools', extractSetupPy, false, false],
  ['lib/setup.py', 'setuptools', extractSetupPy, false, false],
  ['environment.yml', 'conda', extractConda, false, true],
  ['environment.yaml', 'conda', extractConda, false, true],
  ['envs/environment-gpu.yml', 'conda', extractConda, false, true],
];

const RUNTIME_ONLY: string[] = [
  'Dockerfile',
  'docker/Dockerfile',
  'dockerfile',
  'Dockerfile.prod',
  'api.dockerfile',
  'Containerfile',
  '.python-version',
  'runtime.txt',
  'tox.ini',
  '.github/workflows/ci.yml',
  '.github/workflows/release.yaml',
];

const NEITHER: string[] = [
  'app.py',
  'README.md',
  'requirements.md',
  'docs/conf.py',
  'setup.py.bak',
  'pyproject.toml.orig',
  'workflows/ci.yml',
  '.github/ci.yml',
  'package-lock.json',
  'Gemfile.lock',
  'my-environment.yml',
];

describe('manifestKind', () => {
  it.each(MANIFESTS)('%s → %s', (path, manager, extract, lock, runtime) => {
    const kind = manifestKind(path);
    expect(kind?.manager).toBe(manager);
    if (kind?.manager === undefined) throw new Error('expected a manifest');
    expect(kind.extract).toBe(extract);
    expect(kind.lock).toBe(lock);
    expect(kind.runtime).toBe(runtime);
    expect(isLockFile(path)).toBe(lock);
  });

  it.each(RUNTIME_ONLY)('%s → interpreter pins only', (path) => {
    expect(manifestKind(path)).toEqual({ runtime: true });
    expect(isLockFile(path)).toBe(false);
  });

  it.each(NEITHER)('%s → nothing', (path) => {
    expect(manifestKind(path)).toBeUndefined();
  });

  it('accepts Windows separators', () => {
    expect(manifestKind('app\\requirements.txt')?.manager).toBe('pip');
  });
});

describe('canonicalPath', () => {
  it.each([
    ['pipfile', 'Pipfile'],
    ['a/PIPFILE.LOCK', 'a/Pipfile.lock'],
    ['dockerfile', 'Dockerfile'],
    ['x\\Runtime.TXT', 'x/runtime.txt'],
    ['requirements.txt', 'requirements.txt'],
    ['Requirements.txt', 'Requirements.txt'],
  ])('%s → %s', (input, expected) => {
    expect(canonicalPath(input)).toBe(expected);
  });
});

describe('isManifestPath (kinds.ts: the same answer, without loading any extractor)', () => {
  it.each([...MANIFESTS.map((r) => r[0]), ...RUNTIME_ONLY])('%s → true', (path) => {
    expect(isManifestPath(path)).toBe(true);
  });
  it.each(NEITHER)('%s → false', (path) => {
    expect(isManifestPath(path)).toBe(false);
  });
  it('loads no parser library or extractor, directly or through what it imports: the scan workers import it for every file', () => {
    // The modules kinds.ts loads at run time: its imports and re-exports, followed through
    // this repository's files (type-only imports load nothing).
    const seen = new Set<string>();
    const packages = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = readFileSync(file, 'utf8');
      for (const m of source.matchAll(/^(?:import|export)(?! type)[^;]*? from '([^']+)';$/gms)) {
        const spec = m[1]!;
        if (spec.startsWith('.')) visit(join(dirname(file), spec.replace(/\.js$/, '.ts')));
        else packages.add(spec);
      }
    };
    visit('src/deps/kinds.ts');
    expect([...packages]).toEqual(['picomatch']);
    expect([...seen].filter((f) => /extract|pep508|toml|yaml/.test(f))).toEqual([]);
  });
});
