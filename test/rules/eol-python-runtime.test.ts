import { describe, expect, it } from '@jest/globals';
import { applyFixes } from '../../src/core/fix.js';
import { depsRuleTester } from '../helpers/deps.js';

// The scan date is fixed (test/helpers/deps.ts NOW = 2026-06-01): 3.9 is end-of-life, 3.10 ends on 2026-10-01.
depsRuleTester(
  'eol-python-runtime',
  {
    valid: [
      { name: 'supported image', files: { Dockerfile: 'FROM python:3.12-slim\n' } },
      { name: 'an unpinned major', files: { Dockerfile: 'FROM python:3\n' } },
      { name: 'supported .python-version', files: { '.python-version': '3.13.1\n' } },
      { name: 'warning window off', files: { '.python-version': '3.10\n' }, configInput: { dependencies: { eolWarningDays: 0 } } },
      { name: 'suppressed', files: { 'runtime.txt': 'python-3.8.18  # pysec: ignore[eol-python-runtime]\n' } },
    ],
    invalid: [
      { name: 'Dockerfile', files: { Dockerfile: 'FROM python:3.9-alpine\n' }, errors: ['Dockerfile:1:13 eol'] },
      { name: 'Python 2', files: { 'runtime.txt': 'python-2.7.18\n' }, errors: ['runtime.txt:1:8 eol'] },
      { name: 'within the warning window', files: { '.python-version': '3.10\n' }, errors: ['.python-version:1:1 eolSoon'] },
      {
        name: 'workflow setup-python input',
        files: { '.github/workflows/ci.yml': 'jobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/setup-python@v5\n        with:\n          python-version: "3.8"\n' },
        errors: ['.github/workflows/ci.yml:7:28 eol'],
      },
    ],
  },
  applyFixes,
  describe,
  it,
  expect,
);
