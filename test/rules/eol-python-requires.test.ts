import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import defaultRule, { eolPythonRequiresRule } from '../../src/rules/interpreter/eol-python-requires.js';
import { PYTHON_EOL, eolStatus, lowerBound, oldestSupported } from '../../src/rules/interpreter/python-eol-data.js';
import { ruleTester, run } from '../helpers/rule-tester.js';

// A fixed clock: 3.9 is past its end of life (2025-10-31), 3.10 (2026-10-01) is not yet.
const NOW = new Date('2026-06-01T12:00:00Z');
const rule = eolPythonRequiresRule(() => NOW);
const SETUP = 'pkg/setup.py';

ruleTester(rule, {
  valid: [
    { name: 'supported lower bound', path: SETUP, code: 'from setuptools import setup\nsetup(name="x", python_requires=">=3.12")' },
    { name: 'oldest supported on the fixed date', path: SETUP, code: 'from setuptools import setup\nsetup(python_requires=">=3.10")' },
    { name: 'no python_requires', path: SETUP, code: 'from setuptools import setup\nsetup(name="x", version="1.0")' },
    { name: 'no lower bound', path: SETUP, code: 'from setuptools import setup\nsetup(python_requires="<4, !=3.0.*")' },
    { name: 'not setup.py', path: 'pkg/build.py', code: 'from setuptools import setup\nsetup(python_requires=">=3.6")' },
    { name: 'setup_helpers.py is not setup.py', path: 'my_setup.py', code: 'from setuptools import setup\nsetup(python_requires=">=2.7")' },
    { name: 'dynamic value', path: SETUP, code: 'import os\nfrom setuptools import setup\nsetup(python_requires=os.environ["PYREQ"])' },
    { name: 'f-string value', path: SETUP, code: 'from setuptools import setup\nsetup(python_requires=f">={MIN}")' },
    { name: 'unrelated setup()', path: SETUP, code: 'def setup(**kw): pass\nsetup(python_requires=">=3.6")' },
    { name: 'unresolved setup()', path: SETUP, code: 'setup(python_requires=">=3.6")' },
    { name: 'unknown future version', path: SETUP, code: 'from setuptools import setup\nsetup(python_requires=">=3.99")' },
    { name: 'several lower bounds: the highest wins', path: SETUP, code: 'from setuptools import setup\nsetup(python_requires=">=3.6, >=3.11")' },
  ],
  invalid: [
    {
      name: 'simple >= is fixed to the oldest supported version',
      path: SETUP,
      code: 'from setuptools import setup\nsetup(name="x", python_requires=">=3.6")',
      errors: [{ line: 2, column: 33, messageId: 'eol', severity: 'low' }],
      output: 'from setuptools import setup\nsetup(name="x", python_requires=">=3.10")',
    },
    {
      name: 'single quotes and patch level kept simple',
      path: 'setup.py',
      code: "import setuptools\nsetuptools.setup(python_requires='>= 3.8.1')",
      errors: [{ line: 2, messageId: 'eol' }],
      output: "import setuptools\nsetuptools.setup(python_requires='>=3.10')",
    },
    {
      name: 'Python 2',
      path: SETUP,
      code: 'from setuptools import setup\nsetup(python_requires=">=2.7, !=3.0.*, !=3.1.*, !=3.2.*")',
      errors: [{ line: 2, messageId: 'eol' }],
      output: null,
    },
    {
      name: 'older than every listed release',
      path: SETUP,
      code: 'from setuptools import setup\nsetup(python_requires=">=2.4")',
      errors: [{ line: 2, messageId: 'ancient' }],
      output: 'from setuptools import setup\nsetup(python_requires=">=3.10")',
    },
    {
      name: 'other operators are reported, not fixed',
      path: SETUP,
      code: `
        from setuptools import setup as s
        s(python_requires="~=3.7")
        s(python_requires="==3.8.*")
        s(python_requires=">3.6, <4")
        s(python_requires="==3.9")
      `,
      errors: [
        { line: 2, messageId: 'eol' },
        { line: 3, messageId: 'eol' },
        { line: 4, messageId: 'eol' },
        { line: 5, messageId: 'eol' },
      ],
      output: null,
    },
    {
      name: 'major-only bound admits 3.0',
      path: SETUP,
      code: 'from setuptools import setup\nsetup(python_requires=">=3")',
      errors: [{ line: 2, messageId: 'eol' }],
      output: 'from setuptools import setup\nsetup(python_requires=">=3.10")',
    },
    {
      name: 'distutils and a constant bound once (reported on the name, not fixed)',
      path: SETUP,
      code: 'from distutils.core import setup\nMIN_PYTHON = ">=3.5"\nsetup(python_requires=MIN_PYTHON)',
      errors: [{ line: 3, column: 23, messageId: 'eol' }],
      output: null,
    },
  ],
});

describe('eol-python-requires with the real clock', () => {
  it('flags Python 2.7, whose end of life is long past', () => {
    const found = run(defaultRule, 'from setuptools import setup\nsetup(python_requires=">=2.7")', 'setup.py').findings;
    expect(found.map((f) => f.messageId)).toEqual(['eol']);
  });
});

describe('python-eol-data', () => {
  it('is identical to python-eol.json', () => {
    const json: unknown = JSON.parse(readFileSync(new URL('../../src/rules/interpreter/python-eol.json', import.meta.url), 'utf8'));
    expect(PYTHON_EOL).toEqual(json);
  });

  it.each([
    ['>=3.6', '3.6'],
    ['>= 3.8.1', '3.8'],
    ['>3.6', '3.6'],
    ['~=3.7.2', '3.7'],
    ['==3.8.*', '3.8'],
    ['==3.9', '3.9'],
    ['>=2.7, !=3.0.*, !=3.1.*', '2.7'],
    ['>=3.6, <4', '3.6'],
    ['>=3.6,>=3.9', '3.9'],
    ['>=3', '3.0'],
    ['<4', null],
    ['!=3.0.*', null],
    ['', null],
    ['3.6', null],
    ['>=banana', null],
  ])('lowerBound(%j) is %j', (spec, expected) => {
    const b = lowerBound(spec);
    expect(b ? `${b.major}.${b.minor}` : null).toBe(expected);
  });

  it('judges end of life against the given date', () => {
    expect(eolStatus({ major: 3, minor: 9 }, new Date('2025-10-31T23:00:00Z'))).toEqual({ kind: 'supported', endOfLife: '2025-10-31' });
    expect(eolStatus({ major: 3, minor: 9 }, new Date('2025-11-01T00:00:00Z'))).toEqual({ kind: 'eol', endOfLife: '2025-10-31' });
    expect(eolStatus({ major: 2, minor: 7 }, NOW)).toEqual({ kind: 'eol', endOfLife: '2020-01-01' });
    expect(eolStatus({ major: 1, minor: 5 }, NOW)).toEqual({ kind: 'ancient' });
    expect(eolStatus({ major: 3, minor: 99 }, NOW)).toEqual({ kind: 'unknown' });
  });

  it('finds the oldest supported release, skipping unreleased ones', () => {
    expect(oldestSupported(NOW)).toEqual({ major: 3, minor: 10 });
    expect(oldestSupported(new Date('2026-10-02T00:00:00Z'))).toEqual({ major: 3, minor: 11 });
    expect(oldestSupported(new Date('2009-01-01T00:00:00Z'))).toEqual({ major: 3, minor: 0 });
    expect(oldestSupported(new Date('2040-01-01T00:00:00Z'))).toBeNull();
  });
});
