/** setuptools: data about the manager (the extractors are in ./extract.ts). */
export const setuptools = {
  manager: 'setuptools' as const,
  /** Globs matched against the file's base name; `extractors` says which extractor reads which. */
  patterns: ['setup.cfg', 'setup.py'],
  extractors: { 'setup.cfg': 'extractSetupCfg', 'setup.py': 'extractSetupPy' } as const,
  description: 'setuptools: setup.cfg [options] and setup.py setup() literals (read, never run)',
};

