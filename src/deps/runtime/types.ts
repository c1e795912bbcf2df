export type RuntimeSource = 'dockerfile' | 'python-version' | 'runtime.txt' | 'tox' | 'github-actions' | 'pipfile' | 'conda' | 'pyproject';

/** A Python interpreter version a project runs on (or tests against), for the end-of-life check. */
export interface RuntimePin {
  path: string;
  /** 1-based line where the version is written. */
  line: number;
  /**
   * The CPython version as written (`3.8`, `3.8.10`, `2.7`, `3.13.0rc1`). PyPy entries give the
   * Python version they implement (`pypy3.9-7.3.11` → `3.9`; `text` keeps the original).
   */
  version: string;
  source: RuntimeSource;
  /** The line (or entry) as written, trimmed. */
  text: string;
}

export interface RuntimeProblem {
  line?: number;
  message: string;
}

export interface RuntimeExtraction {
  pins: RuntimePin[];
  problems: RuntimeProblem[];
}
