import { describe, expect, it } from '@jest/globals';
import { applyFixes } from '../../src/core/fix.js';
import { depsRuleTester } from '../helpers/deps.js';

depsRuleTester(
  'insecure-package-index',
  {
    valid: [
      { name: 'https index', files: { 'requirements.txt': '--index-url https://pypi.internal.example/simple\nrequests==2.32.3\n' } },
      { name: 'http on loopback', files: { 'requirements.txt': '--index-url http://127.0.0.1:3141/root/pypi\nrequests==2.32.3\n' } },
      { name: 'Pipfile https with verify_ssl', files: { Pipfile: '[[source]]\nurl = "https://pypi.org/simple"\nverify_ssl = true\nname = "pypi"\n' } },
    ],
    invalid: [
      { name: 'http index', files: { 'requirements.txt': '-i http://pypi.internal.example/simple\n' }, errors: ['requirements.txt:1:4 http'] },
      { name: 'trusted host', files: { 'requirements.txt': '--trusted-host pypi.internal.example\n' }, errors: ['requirements.txt:1:16 trustedHost'] },
      { name: 'extra index', files: { 'requirements.txt': '--extra-index-url https://pkgs.example.com/simple\n' }, errors: ['requirements.txt:1:19 extraIndex'] },
      { name: 'http direct reference', files: { 'requirements.txt': 'pkg @ http://files.example.com/pkg-1.0.tar.gz\n' }, errors: ['requirements.txt:1:7 http'] },
      {
        name: 'Pipfile verify_ssl = false',
        files: { Pipfile: '[[source]]\nurl = "https://mirror.example/simple"\nverify_ssl = false\nname = "m"\n' },
        errors: ['Pipfile:3:1 trustedHost'],
      },
    ],
  },
  applyFixes,
  describe,
  it,
  expect,
);
