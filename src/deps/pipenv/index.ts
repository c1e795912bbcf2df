/** Pipfile: data about the manager (the extractor is in ./extract.ts). */
export const pipenv = {
  manager: 'pipenv' as const,
  /** Globs matched against the file's base name. */
  patterns: ['Pipfile'],
  description: 'Pipenv Pipfile: [packages], [dev-packages] and other categories, [[source]], [requires]',
};

