import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { extractPipfile, pipfileSpecifier } from '../../src/deps/pipenv/extract.js';
import type { Dependency } from '../../src/deps/types.js';

const text = readFileSync(new URL('../fixtures/deps/pipenv/Pipfile', import.meta.url), 'utf8');

describe('pipfileSpecifier', () => {
  it.each([
    ['*', ''],
    ['', ''],
    ['==1.2', '==1.2'],
    ['1.2', '==1.2'],
    ['>= 2.0, <3', '>=2.0,<3'],
    ['~=5.2', '~=5.2'],
    ['!=1.0', '!=1.0'],
  ])('%j → %j', (input, out) => expect(pipfileSpecifier(input)).toBe(out));
});

describe('extractPipfile', () => {
  const m = extractPipfile('Pipfile', text);
  it('reads sources, requires and has no problems', () => {
    expect(m.manager).toBe('pipenv');
    expect(m.problems).toEqual([]);
    expect(m.pythonRequires).toEqual({ specifier: '==3.8.*', line: 31 });
    expect(m.indexes).toEqual([
      { kind: 'index-url', value: 'https://pypi.org/simple', line: 2 },
      { kind: 'extra-index-url', value: 'http://pypi.internal.test/simple', line: 7 },
      { kind: 'trusted-host', value: 'pypi.internal.test', line: 8 },
    ]);
  });
  const table: [string, string | undefined, Partial<Dependency>][] = [
    ['requests', undefined, { line: 12, specifier: '', text: 'requests = "*"' }],
    ['django', undefined, { line: 13, specifier: '==3.2.10', version: '3.2.10' }],
    ['flask', undefined, { line: 14, specifier: '>=2.0,<3' }],
    ['jinja2', undefined, { line: 15, rawName: 'Jinja2', specifier: '==2.11.3', version: '2.11.3' }],
    ['celery', undefined, { line: 16, specifier: '~=5.2', extras: ['redis'] }],
    ['internal-tool', undefined, { line: 17, source: { kind: 'index', url: 'http://pypi.internal.test/simple' } }],
    ['mylib', undefined, { line: 18, source: { kind: 'vcs', url: 'git+https://github.com/acme/mylib.git@v1.0' } }],
    ['localpkg', undefined, { line: 19, editable: true, source: { kind: 'path', url: './localpkg' } }],
    ['pywin32', undefined, { line: 20, marker: "sys_platform == 'win32'" }],
    ['broken', undefined, { line: 21, skipReason: 'not a version string or a table: not understood' }],
    ['pytest', 'dev', { line: 24, specifier: '>=7' }],
    ['django', 'dev', { line: 25, specifier: '' }],
    ['sphinx', 'docs', { line: 28, version: '7.2.6' }],
  ];
  it.each(table)('%s (group %s)', (name, group, expected) => {
    const found = m.dependencies.filter((d) => d.name === name && d.group === group);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject(expected);
  });
  it('has nothing else (scripts are not packages)', () => expect(m.dependencies).toHaveLength(table.length));
  it('python_full_version wins over python_version', () => {
    expect(extractPipfile('Pipfile', '[requires]\npython_version = "3.9"\npython_full_version = "3.9.18"\n').pythonRequires).toEqual({ specifier: '==3.9.18', line: 3 });
  });
  it.each([
    ['[packages\nrequests = "*"\n', 1],
    ['[packages]\nrequests = \n', 2],
    ['[packages]\nrequests = "*"\nrequests = "==1"\n', 3],
  ])('invalid TOML %j → one problem on line %i', (bad, line) => {
    const r = extractPipfile('Pipfile', bad);
    expect(r.dependencies).toEqual([]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]?.message).toMatch(/^invalid TOML/);
    expect(r.problems[0]?.line).toBe(line);
  });
  it('empty Pipfile', () => expect(extractPipfile('Pipfile', '')).toMatchObject({ dependencies: [], problems: [] }));
});
