import { describe, expect, it } from '@jest/globals';
import { applyFixes } from '../../src/core/fix.js';
import { depsRuleTester } from '../helpers/deps.js';

depsRuleTester(
  'vulnerable-dependency',
  {
    valid: [
      { name: 'a fixed django', files: { 'requirements.txt': 'django==3.2.24\n' } },
      { name: 'a range is not a pin', files: { 'requirements.txt': 'django>=4.2.16\n' } },
      { name: 'a withdrawn advisory', files: { 'requirements.txt': 'aiohttp==3.8.0\n' } },
      { name: 'suppressed', files: { 'requirements.txt': 'django==3.2.10  # pysec: ignore[vulnerable-dependency] upgrade tracked in #42\n' } },
      { name: 'disabled', files: { 'requirements.txt': 'django==3.2.10\n' }, configInput: { rules: { disable: ['vulnerable-dependency'] } } },
    ],
    invalid: [
      {
        name: 'requirements pin',
        files: { 'requirements.txt': 'django==3.2.10\n' },
        errors: ['requirements.txt:1:9 fix'],
        output: { 'requirements.txt': 'django==3.2.24\n' },
      },
      {
        name: 'pyproject dependency',
        files: { 'pyproject.toml': '[project]\nname = "app"\ndependencies = ["PyYAML==5.3"]\n' },
        errors: ['pyproject.toml:3:26 fix'],
        output: { 'pyproject.toml': '[project]\nname = "app"\ndependencies = ["PyYAML==5.4"]\n' },
      },
      {
        name: 'no fix published',
        files: { 'requirements.txt': 'py==1.11.0\n' },
        errors: ['requirements.txt:1:5 noFix'],
        output: { 'requirements.txt': 'py==1.11.0\n' },
      },
      {
        name: 'Pipfile.lock entry (no edit)',
        files: { 'Pipfile.lock': '{\n  "_meta": {"sources": []},\n  "default": {\n    "django": {"version": "==3.2.10"}\n  },\n  "develop": {}\n}\n' },
        errors: ['Pipfile.lock:4:30 fix'],
        output: { 'Pipfile.lock': '{\n  "_meta": {"sources": []},\n  "default": {\n    "django": {"version": "==3.2.10"}\n  },\n  "develop": {}\n}\n' },
      },
    ],
  },
  applyFixes,
  describe,
  it,
  expect,
);
