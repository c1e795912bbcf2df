/** pyproject.toml: data about the manager (the extractor is in ./extract.ts). */
export const pyproject = {
  /** 'pyproject' for PEP 621/735, PDM and uv tables; 'poetry' entries (and file) when [tool.poetry] is present. */
  manager: 'pyproject' as const,
  managers: ['pyproject', 'poetry'] as const,
  /** Globs matched against the file's base name. */
  patterns: ['pyproject.toml'],
  description: 'pyproject.toml: PEP 621 [project], PEP 735 [dependency-groups], Poetry, PDM and uv tables',
};

