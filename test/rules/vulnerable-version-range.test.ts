import { describe, expect, it } from '@jest/globals';
import { applyFixes } from '../../src/core/fix.js';
import { depsRuleTester } from '../helpers/deps.js';

depsRuleTester(
  'vulnerable-version-range',
  {
    valid: [
      { name: 'lower bound at the fix', files: { 'requirements.in': 'flask>=2.3.2\n', 'requirements.txt': '' } },
      { name: 'no lower bound', files: { 'requirements.in': 'flask<3\n', 'requirements.txt': '' } },
      { name: 'an exact pin is vulnerable-dependency', files: { 'requirements.txt': 'flask==0.10\n' } },
      { name: 'lock file entries are exact', files: { 'poetry.lock': '[[package]]\nname = "flask"\nversion = "3.0.3"\n' } },
    ],
    invalid: [
      {
        name: 'flask>=0.10',
        files: { 'requirements.in': 'flask>=0.10\n', 'requirements.txt': '' },
        errors: ['requirements.in:1:8 range'],
        output: { 'requirements.in': 'flask>=2.2.5\n' },
      },
      {
        name: 'pyproject range with an upper bound that excludes the fix',
        files: { 'pyproject.toml': '[project]\nname = "lib"\ndependencies = ["flask>=0.10,<1"]\n' },
        errors: ['pyproject.toml:3:25 rangeNoFix'],
      },
      {
        name: 'Poetry caret range',
        files: { 'pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.12"\njinja2 = "^2.10"\n' },
        errors: ['pyproject.toml:3:12 rangeNoFix'],
      },
    ],
  },
  applyFixes,
  describe,
  it,
  expect,
);
