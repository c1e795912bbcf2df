import { describe, expect, it } from '@jest/globals';
import { applyFixes } from '../../src/core/fix.js';
import { depsRuleTester } from '../helpers/deps.js';

const HASHED = 'django==4.2.16 \\\n    --hash=sha256:2d\n';

depsRuleTester(
  'missing-package-hash',
  {
    valid: [
      { name: 'every requirement hashed', files: { 'requirements.txt': `${HASHED}requests==2.32.3 --hash=sha256:70\n` } },
      { name: 'no hashes at all', files: { 'requirements.txt': 'django==4.2.16\nrequests==2.32.3\n' } },
      { name: 'lock files are not requirements files', files: { 'poetry.lock': '[[package]]\nname = "a"\nversion = "1.0"\nfiles = []\n' } },
    ],
    invalid: [
      { name: 'one line without hashes', files: { 'requirements.txt': `${HASHED}requests==2.32.3\n` }, errors: ['requirements.txt:3:1 missing'] },
      {
        name: 'two lines without hashes',
        files: { 'requirements.txt': `idna==3.10\n${HASHED}certifi==2024.8.30  # added by hand\n` },
        errors: ['requirements.txt:1:1 missing', 'requirements.txt:4:1 missing'],
      },
    ],
  },
  applyFixes,
  describe,
  it,
  expect,
);
