/**
 * Which changed files of a pull request pysec looks at: Python sources and the dependency /
 * interpreter manifests that the dependencies issue (#5) analyses. Pure, table-tested.
 */
import { isPythonPath } from '../scan/source.js';
import { manifestKind } from '../deps/registry.js';
import type { FileKind } from './contracts.js';

// One definition of "a Python file" for the CLI's folder walk and the App's PR listing.
export { isPythonPath };

/**
 * Manifest file names, compared case-insensitively (Windows and macOS contributors commit
 * `Requirements.txt` and `dockerfile`; the tools that read them are lenient too).
 */
const MANIFEST_NAMES = new Set([
  'pyproject.toml',
  'poetry.lock',
  'uv.lock',
  'pdm.lock',
  'pipfile',
  'pipfile.lock',
  'pylock.toml',
  'setup.cfg',
  'environment.yml',
  'environment.yaml',
  '.python-version',
  'runtime.txt',
  'dockerfile',
]);

const MANIFEST_PATTERNS: RegExp[] = [
  // requirements.txt, requirements-dev.txt, requirements_test.txt; pip-tools inputs (requirements.in).
  /^requirements[^/]*\.(txt|in)$/,
  /^constraints[^/]*\.txt$/,
  // PEP 751 named lock files: pylock.<name>.toml.
  /^pylock\.[^/]+\.toml$/,
  // Dockerfile.prod, prod.Dockerfile: both spellings are common for per-stage images.
  /^dockerfile\.[^/]+$/,
  /\.dockerfile$/,
];

/** A folder of requirement files (`requirements/base.txt`, `requirements/dev.in`). */
const REQUIREMENTS_DIR = /^requirements?$|^requirements[-_.]/;

/** True for the dependency and interpreter manifests pysec analyses (issue 5). */
export function isManifestPath(path: string): boolean {
  // The dependency registry decides what it can read; the names below are kept as a floor so
  // the PR listing never drops a manifest kind it listed before.
  if (manifestKind(path) !== undefined) return true;
  const parts = path.toLowerCase().split('/');
  const base = parts[parts.length - 1] ?? '';
  if (MANIFEST_NAMES.has(base)) return true;
  if (MANIFEST_PATTERNS.some((re) => re.test(base))) return true;
  const dir = parts[parts.length - 2];
  return dir !== undefined && REQUIREMENTS_DIR.test(dir) && /\.(txt|in)$/.test(base);
}

/**
 * The kind of a changed file, or undefined when pysec ignores it. Python wins over manifest:
 * `setup.py` is both, and it is analysed as Python code.
 */
export function classifyPath(path: string): FileKind | undefined {
  if (isPythonPath(path)) return 'python';
  if (isManifestPath(path)) return 'manifest';
  return undefined;
}
