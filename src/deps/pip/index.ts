/** requirements files: data about the manager (the extractor is in ./extract.ts). */
export const pip = {
  manager: 'pip' as const,
  /** Globs matched against the file's base name; those containing '/' against the repository path. */
  patterns: ['requirements*.txt', 'requirements*.in', '*-requirements.txt', '*_requirements.txt', 'constraints*.txt', '*-requirements.in', '**/requirements/*.txt', '**/requirements/*.in'],
  description: 'pip requirements and constraints files (also pip-compile .in/.txt), with -r/-c includes',
};

