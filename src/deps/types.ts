/**
 * The vocabulary of dependency analysis (issue 5). Extractors are pure: file path + text in,
 * a ManifestFile out, never throwing — an entry that cannot be understood is kept with a
 * `skipReason`, and a file that cannot be parsed at all comes back with a `problems` entry.
 * Every dependency keeps its 1-based line so findings land on the right line.
 */

export type Manager =
  | 'pip' // requirements*.txt, *.in, constraints*.txt
  | 'pyproject' // PEP 621 [project], [dependency-groups], PDM/uv tables in pyproject.toml
  | 'poetry' // [tool.poetry] in pyproject.toml
  | 'pipenv' // Pipfile
  | 'setuptools' // setup.cfg, setup.py
  | 'conda' // environment.yml
  | 'poetry-lock'
  | 'uv-lock'
  | 'pdm-lock'
  | 'pipfile-lock'
  | 'pylock';

export interface DependencySource {
  kind: 'url' | 'vcs' | 'path' | 'index';
  url: string;
}

export interface Dependency {
  /** PEP 503 normalised name: lower case, runs of `-_.` become `-`. */
  name: string;
  /** The name as written. */
  rawName: string;
  /**
   * The PEP 440 specifier set as written, normalised to PEP 440 syntax ('' when none).
   * Poetry's `^1.2` / `~1.2` and `*` are translated (`>=1.2,<2.0`).
   */
  specifier: string;
  /** The exact version when the entry pins one (`==1.2.3`, `===1.2.3`, or any lock-file entry). */
  version?: string;
  extras?: string[];
  /** PEP 508 environment marker, as written. */
  marker?: string;
  /** A direct reference (`name @ url`, `-e git+...`, a path) or a per-package index. */
  source?: DependencySource;
  /** `--hash=sha256:...` values (requirements files, locks). */
  hashes?: string[];
  editable?: boolean;
  /** 1-based line (and column) of the entry in its file. */
  line: number;
  column?: number;
  /** Optional-dependency group, dependency group, Poetry group, `dev` for Pipfile dev-packages... */
  group?: string;
  /** True for entries read from a lock file (they are exact and complete). */
  locked: boolean;
  /**
   * The manager that declared this entry, when a file mixes several: pyproject.toml holds both
   * 'pyproject' ([project], [dependency-groups], PDM, uv) and 'poetry' ([tool.poetry]) entries.
   * Optional; when absent the entry belongs to its ManifestFile's manager.
   */
  manager?: Manager;
  /** Set when the entry was kept but not understood: why. */
  skipReason?: string;
  /** The entry's text as written (one line, trimmed), for messages and fixes. */
  text: string;
}

export interface IndexSetting {
  kind: 'index-url' | 'extra-index-url' | 'trusted-host' | 'find-links';
  value: string;
  line: number;
}

export interface IncludeDirective {
  kind: 'requirements' | 'constraints';
  /** As written (relative to the including file). */
  path: string;
  line: number;
}

export interface ManifestFile {
  path: string;
  manager: Manager;
  dependencies: Dependency[];
  /** Package index settings (requirements options, Pipfile [[source]], Poetry sources...). */
  indexes: IndexSetting[];
  /** `-r` / `-c` lines of requirements files (followed by the resolver, not the extractor). */
  includes: IncludeDirective[];
  /** `requires-python` / `python_requires` / Poetry `python` / Pipfile `python_version`. */
  pythonRequires?: { specifier: string; line: number };
  /** Problems that made part or all of the file unreadable (line when known). */
  problems: { line?: number; message: string }[];
}

/** A pure extractor: never throws, never reads other files. */
export type Extractor = (path: string, text: string) => ManifestFile;

/** PEP 503 normalisation. */
export function normalizeName(name: string): string {
  return name.trim().toLowerCase().replace(/[-_.]+/g, '-');
}

export function emptyManifest(path: string, manager: Manager): ManifestFile {
  return { path, manager, dependencies: [], indexes: [], includes: [], problems: [] };
}
