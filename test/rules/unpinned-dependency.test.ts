import { describe, expect, it } from '@jest/globals';
import { applyFixes } from '../../src/core/fix.js';
import { depsRuleTester } from '../helpers/deps.js';

depsRuleTester(
  'unpinned-dependency',
  {
    valid: [
      { name: 'exact pins', files: { 'requirements.txt': 'requests==2.32.3\n' } },
      { name: 'a lock file next to it', files: { 'requirements.txt': 'requests\n', 'uv.lock': 'version = 1\n' } },
      { name: 'a library range (pyproject) under the default policy', files: { 'pyproject.toml': '[project]\nname = "x"\ndependencies = ["requests>=2"]\n' } },
      { name: 'policy never', files: { 'requirements.txt': 'requests\n' }, configInput: { dependencies: { unpinned: 'never' } } },
      { name: 'direct references and editables', files: { 'requirements.txt': '-e .\npkg @ git+https://github.com/o/pkg@v1.0\n' } },
    ],
    invalid: [
      { name: 'no version', files: { 'requirements.txt': 'requests\n' }, errors: ['requirements.txt:1:1 missing'] },
      { name: 'a range', files: { 'requirements-dev.txt': 'pytest>=8\n' }, errors: ['requirements-dev.txt:1:1 loose'] },
      { name: 'Pipfile star', files: { Pipfile: '[packages]\nrequests = "*"\n' }, errors: ['Pipfile:2:1 missing'] },
      {
        name: 'policy always: pyproject too',
        files: { 'pyproject.toml': '[project]\nname = "x"\ndependencies = ["attrs>=22"]\n' },
        configInput: { dependencies: { unpinned: 'always' } },
        errors: ['pyproject.toml:3:18 loose'],
      },
    ],
  },
  applyFixes,
  describe,
  it,
  expect,
);
