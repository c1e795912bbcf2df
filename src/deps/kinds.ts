/**
 * What kind of dependency file a path is, from the path alone: the patterns come from each
 * manager's index.ts (plain data), the interpreter-pin files from runtime/source.ts. This
 * module loads no parser: scan workers ask it of every file, and the extractors (with the YAML
 * and TOML libraries) cost a thread ~150 ms to load. registry.ts pairs each kind with its
 * extractor.
 *
 * Names are compared case-insensitively (`Requirements.txt`, `pipfile`, `dockerfile` are
 * committed from case-insensitive file systems and the tools read them); `canonicalPath` gives
 * the spelling the extractors expect, for the extractors that look at the file name.
 */
import picomatch from 'picomatch';
import { filePatterns as condaPatterns } from './conda/index.js';
import { filePatterns as pdmPatterns } from './pdm-lock/index.js';
import { pip } from './pip/index.js';
import { pipenv } from './pipenv/index.js';
import { filePatterns as pipfileLockPatterns } from './pipfile-lock/index.js';
import { filePatterns as poetryLockPatterns } from './poetry-lock/index.js';
import { filePatterns as pylockPatterns } from './pylock/index.js';
import { pyproject } from './pyproject/index.js';
import { runtimeSourceOf } from './runtime/source.js';
import { setuptools } from './setuptools/index.js';
import { filePatterns as uvLockPatterns } from './uv-lock/index.js';

/** The kinds of manifest, in the order they are tried (the first whose patterns match wins). */
export const MANIFEST_KINDS = [
  { id: 'pipfile-lock', lock: true, patterns: pipfileLockPatterns },
  { id: 'poetry-lock', lock: true, patterns: poetryLockPatterns },
  { id: 'uv-lock', lock: true, patterns: uvLockPatterns },
  { id: 'pdm-lock', lock: true, patterns: pdmPatterns },
  { id: 'pylock', lock: true, patterns: pylockPatterns },
  { id: 'pyproject', lock: false, patterns: pyproject.patterns },
  { id: 'pipfile', lock: false, patterns: pipenv.patterns },
  { id: 'setup-cfg', lock: false, patterns: ['setup.cfg'] },
  { id: 'setup-py', lock: false, patterns: ['setup.py'] },
  { id: 'conda', lock: false, patterns: condaPatterns },
  { id: 'requirements', lock: false, patterns: pip.patterns },
] as const satisfies readonly { id: string; lock: boolean; patterns: readonly string[] }[];

export type ManifestKindId = (typeof MANIFEST_KINDS)[number]['id'];

// Every setuptools pattern has a kind above (a new pattern in its index.ts must be added here).
for (const p of setuptools.patterns) {
  if (!MANIFEST_KINDS.some((k) => (k.patterns as readonly string[]).includes(p))) throw new Error(`kinds: no manifest kind for ${p}`);
}

const OPTS = { dot: true, nocase: true };
const MATCHERS = MANIFEST_KINDS.map((k) => {
  const patterns = k.patterns as readonly string[];
  const onBase = patterns.filter((p) => !p.includes('/'));
  const onPath = patterns.filter((p) => p.includes('/'));
  const base = onBase.length > 0 ? picomatch(onBase, OPTS) : null;
  const full = onPath.length > 0 ? picomatch(onPath, OPTS) : null;
  return { kind: k, test: (path: string, name: string) => (base?.(name) ?? false) || (full?.(path) ?? false) };
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

/** The manifest kind of `path` (or null) and whether it also pins the interpreter. */
export function kindOfPath(path: string): { kind: (typeof MANIFEST_KINDS)[number] | null; runtime: boolean } {
  const p = canonicalPath(path);
  const name = p.slice(p.lastIndexOf('/') + 1);
  const runtime = runtimeSourceOf(p) !== undefined;
  for (const { kind, test } of MATCHERS) if (test(p, name)) return { kind, runtime };
  return { kind: null, runtime };
}

/** True for a dependency manifest or an interpreter-pin file (what registry's manifestKind reads). */
export function isManifestPath(path: string): boolean {
  const k = kindOfPath(path);
  return k.kind !== null || k.runtime;
}
