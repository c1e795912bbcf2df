/** Interpreter pins (end-of-life check): the files read and what each contributes. */
export const description = 'Python interpreter pins for the end-of-life check: Dockerfile FROM python:X, .python-version, runtime.txt, tox.ini, GitHub Actions workflows, Pipfile [requires], conda python=.';
/** Path globs (relative to the repository root) of the files read. */
export const filePatterns = [
  '**/Dockerfile',
  '**/Dockerfile.*',
  '**/*.dockerfile',
  '**/Containerfile',
  '**/.python-version',
  '**/runtime.txt',
  '**/tox.ini',
  '.github/workflows/*.yml',
  '.github/workflows/*.yaml',
  '**/Pipfile',
  '**/environment.yml',
  '**/environment.yaml',
];
