import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { extractSetupCfg, extractSetupPy } from '../../src/deps/setuptools/extract.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/deps/setuptools/${name}`, import.meta.url), 'utf8');

describe('extractSetupCfg', () => {
  const m = extractSetupCfg('setup.cfg', fixture('setup.cfg'));
  it('reads install_requires, extras_require and python_requires with lines', () => {
    expect(m.manager).toBe('setuptools');
    expect(m.problems).toEqual([]);
    expect(m.pythonRequires).toEqual({ specifier: '>=3.7', line: 7 });
    expect(m.dependencies.map((d) => [d.name, d.specifier, d.version, d.group, d.line, d.marker])).toEqual([
      ['requests', '>=2.25', undefined, undefined, 9, undefined],
      ['pyyaml', '==5.3.1', '5.3.1', undefined, 11, undefined],
      ['importlib-metadata', '', undefined, undefined, 12, 'python_version < "3.8"'],
      ['click', '', undefined, undefined, 14, undefined],
      ['pytest', '==7.4.0', '7.4.0', 'dev', 19, undefined],
      ['black', '', undefined, 'dev', 20, undefined],
      ['cryptography', '>=3.4', undefined, 'crypto', 21, undefined],
      ['pynacl', '', undefined, 'crypto', 21, undefined],
    ]);
    expect(m.dependencies.every((d) => d.manager === undefined && !d.skipReason)).toBe(true);
  });
  it.each([
    ['[options]\ninstall_requires = file: requirements.txt\n', 0, 1],
    ['[options]\ninstall_requires =\n    not valid [[\n', 1, 0],
    ['', 0, 0],
    ['no section = here\n[options\n', 0, 0],
  ])('odd file %j', (text, deps, problems) => {
    const r = extractSetupCfg('setup.cfg', text);
    expect(r.dependencies).toHaveLength(deps);
    expect(r.problems).toHaveLength(problems);
    if (deps) expect(r.dependencies[0]?.skipReason).toMatch(/not a valid/);
  });
});

describe('extractSetupPy', () => {
  const m = extractSetupPy('setup.py', fixture('setup.py'));
  it('reads literal install_requires/extras_require/python_requires', () => {
    expect(m.pythonRequires).toEqual({ specifier: '>=3.6', line: 16 });
    expect(m.dependencies.map((d) => [d.name, d.specifier, d.group, d.line])).toEqual([
      ['pytest', '>=7', 'test', 8],
      ['responses', '==0.23.1', 'test', 9],
      ['requests', '>=2.20,<3', undefined, 18],
      ['urllib3', '==1.26.4', undefined, 19],
      ['idna', '>=2.5', undefined, 20],
      ['six', '', undefined, 22],
      ['pysocks', '>=1.5.6,!=1.5.7', 'socks', 26],
      ['sphinx', '==4.0.2', 'docs', 28],
      ['furo', '', 'docs', 29],
      ['pyyaml', '>=5.4', 'yaml', 31],
    ]);
    expect(m.dependencies.find((d) => d.name === 'urllib3')?.version).toBe('1.26.4');
  });
  it('reports what it did not understand on its line', () => {
    expect(m.problems.map((p) => [p.line, p.message.replace(/ \(.*\)/, '')])).toEqual([
      [21, 'an item of install_requires is not a literal: not understood'],
      [32, 'an entry of extras_require is not a literal: not understood'],
    ]);
  });
  it('reports dynamic values as problems, never guessing', () => {
    const d = extractSetupPy('setup.py', fixture('setup-dynamic.py'));
    expect(d.dependencies).toEqual([]);
    expect(d.problems.map((p) => [p.line, p.message.split(' (')[0]])).toEqual([
      [11, 'install_requires is not a literal'],
      [12, 'extras_require is not a literal'],
      [13, 'python_requires is not a literal'],
      [15, 'setup() arguments passed through **kwargs: not understood'],
    ]);
  });
  it.each([
    ['import setuptools\nsetuptools.setup(install_requires=("a==1",))\n', 1, 0],
    ['from distutils.core import setup\nsetup(install_requires="a\\nb>=2")\n', 2, 0],
    ['print("no setup here")\n', 0, 1],
    ['setup(install_requires=[\n', 0, 1],
    ['', 0, 1],
    ['REQ = ["x"]\nREQ += ["y"]\nsetup(install_requires=REQ)\n', 0, 1],
    ['def f():\n    REQ = ["x"]\nREQ = ["y"]\nsetup(install_requires=REQ)\n', 0, 1],
  ])('%j', (text, deps, problems) => {
    const r = extractSetupPy('setup.py', text);
    expect(r.dependencies).toHaveLength(deps);
    expect(r.dependencies.every((d) => !d.skipReason)).toBe(true);
    expect(r.problems).toHaveLength(problems);
  });
});
