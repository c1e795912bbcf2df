import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { extractPyproject } from '../../src/deps/pyproject/extract.js';
import type { Dependency, ManifestFile } from '../../src/deps/types.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/deps/pyproject/${name}`, import.meta.url), 'utf8');
const pick = (m: ManifestFile, name: string, group?: string): Dependency[] =>
  m.dependencies.filter((d) => d.name === name && d.group === group);

describe('pyproject.toml: PEP 621 + PEP 735 + uv', () => {
  const m = extractPyproject('pyproject.toml', fixture('pep621-uv.toml'));
  it('is a pyproject manifest with no problems', () => {
    expect(m.manager).toBe('pyproject');
    expect(m.problems).toEqual([]);
    expect(m.pythonRequires).toEqual({ specifier: '>=3.9', line: 5 });
  });
  const table: [string, string | undefined, Partial<Dependency>][] = [
    ['fastapi', undefined, { line: 7, specifier: '>=0.110', manager: 'pyproject', text: 'fastapi>=0.110' }],
    ['uvicorn', undefined, { line: 8, specifier: '==0.29.0', version: '0.29.0', extras: ['standard'] }],
    ['pydantic-settings', undefined, { line: 9, specifier: '~=2.2' }],
    ['internal-lib', undefined, { line: 10, source: { kind: 'index', url: 'https://pypi.acme.internal/simple' } }],
    ['shared-models', undefined, { line: 11, source: { kind: 'vcs', url: 'git+https://github.com/acme/shared-models@v1.2.0' } }],
    ['tomli', undefined, { line: 12, marker: 'python_version < "3.11"' }],
    ['psycopg', 'postgres', { line: 16, extras: ['binary'] }],
    ['pytest', 'dev', { line: 17, specifier: '>=8' }],
    ['requests', 'dev', { line: 17, specifier: '' }],
    ['pytest', 'test', { line: 21 }],
    ['requests', 'test', { line: 22, version: '2.31.0' }],
    ['ruff', 'lint', { line: 24, version: '0.4.1' }],
    ['ipython', 'dev', { line: 28 }],
    ['mypy', 'dev', { line: 32, editable: true, source: { kind: 'path', url: '../mypy' } }],
  ];
  it.each(table)('%s (group %s)', (name, group, expected) => {
    const found = pick(m, name, group);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject(expected);
    if (group === undefined) expect(found[0]?.group).toBeUndefined();
  });
  it('skips {include-group} entries without a trace', () => {
    expect(m.dependencies).toHaveLength(table.length);
  });
  it('reads uv indexes (default → index-url, others → extra-index-url)', () => {
    expect(m.indexes).toEqual([
      { kind: 'extra-index-url', value: 'https://pypi.acme.internal/simple', line: 41 },
      { kind: 'index-url', value: 'http://mirror.acme.internal/simple', line: 46 },
    ]);
  });
});

describe('pyproject.toml: Poetry 1.x', () => {
  const m = extractPyproject('pyproject.toml', fixture('poetry1.toml'));
  it('is a poetry manifest; python becomes pythonRequires', () => {
    expect(m.manager).toBe('poetry');
    expect(m.pythonRequires).toEqual({ specifier: '>=3.8,<4.0', line: 8 });
    expect(m.problems).toEqual([]);
  });
  const table: [string, string | undefined, Partial<Dependency>][] = [
    ['django', undefined, { rawName: 'Django', line: 9, specifier: '>=3.2.10,<4.0.0', manager: 'poetry', text: 'Django = "^3.2.10"' }],
    ['requests', undefined, { line: 10, specifier: '>=2.28,<3.0', extras: ['socks'] }],
    ['pillow', undefined, { line: 11, specifier: '==9.5.0', version: '9.5.0' }],
    ['celery', 'queue', { line: 12, specifier: '>=5.2,<5.3' }],
    ['redis', 'queue', { line: 13, specifier: '>=4.0,<5.0', marker: "sys_platform == 'linux'" }],
    ['mylib', undefined, { line: 18, specifier: '', source: { kind: 'vcs', url: 'git+https://github.com/acme/mylib.git@main' } }],
    ['localpkg', undefined, { line: 19, editable: true, source: { kind: 'path', url: '../localpkg' } }],
    ['wheelpkg', undefined, { line: 20, source: { kind: 'url', url: 'https://example.com/wheelpkg-1.0-py3-none-any.whl' } }],
    ['private', undefined, { line: 21, specifier: '>=1.0,<2.0', source: { kind: 'index', url: 'https://pypi.acme.test/simple/' } }],
    ['weird', undefined, { line: 22, specifier: '^1.0 || ^2.0' }],
    ['anything', undefined, { line: 23, specifier: '' }],
    ['pytest', 'dev', { line: 29, specifier: '>=7.0,<8.0' }],
    ['requests', 'dev', { line: 30, specifier: '>=2.31,<3.0' }],
    ['sphinx', 'docs', { line: 33, specifier: '>=7.1.2,<7.2.0' }],
  ];
  it.each(table)('%s (group %s)', (name, group, expected) => {
    const found = pick(m, name, group);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject(expected);
  });
  it('keeps a union with a skip reason', () => {
    expect(pick(m, 'weird')[0]?.skipReason).toMatch(/union/);
    expect(m.dependencies.filter((d) => d.skipReason).map((d) => d.name)).toEqual(['weird']);
  });
  it('emits each alternative of a multiple-constraints dependency on its own line with its marker', () => {
    expect(m.dependencies.filter((d) => d.name === 'numpy').map((d) => [d.line, d.specifier, d.marker])).toEqual([
      [15, '<=1.24', 'python_version >= "3.8" and python_version < "3.9"'],
      [16, '>=1.25,<2.0', 'python_version >= "3.9"'],
    ]);
  });
  it('reads Poetry sources by priority', () => {
    expect(m.indexes).toEqual([
      { kind: 'extra-index-url', value: 'https://pypi.acme.test/simple/', line: 40 },
      { kind: 'index-url', value: 'https://mirror.acme.test/simple/', line: 45 },
    ]);
  });
});

describe('pyproject.toml: Poetry 2.x ([project] + [tool.poetry] enrichment)', () => {
  const m = extractPyproject('pyproject.toml', fixture('poetry2.toml'));
  it('reads [project] dependencies and lets [tool.poetry.dependencies] add the source', () => {
    expect(m.manager).toBe('poetry');
    expect(m.pythonRequires).toEqual({ specifier: '>=3.10,<4.0', line: 4 });
    expect(m.dependencies.map((d) => [d.name, d.line, d.specifier, d.group, d.manager])).toEqual([
      ['httpx', 6, '>=0.27,<0.28', undefined, 'pyproject'],
      ['mylib', 7, '>=1.0', undefined, 'pyproject'],
      ['click', 11, '>=8.1', 'cli', 'pyproject'],
      ['pytest', 20, '>=8.0,<9.0', 'dev', 'poetry'],
    ]);
    expect(pick(m, 'mylib')[0]?.source).toEqual({ kind: 'vcs', url: 'git+https://github.com/acme/mylib.git@v1.0.3' });
  });
});

describe('pyproject.toml: PDM', () => {
  const m = extractPyproject('pyproject.toml', fixture('pdm.toml'));
  it('reads dev-dependency groups, editable entries and sources', () => {
    expect(m.dependencies.map((d) => [d.name, d.group, d.line])).toEqual([
      ['flask', undefined, 4],
      ['pytest', 'test', 7],
      ['helper', 'test', 7],
      ['flake8', 'lint', 8],
      ['not', 'lint', 8],
    ]);
    expect(pick(m, 'helper', 'test')[0]).toMatchObject({ editable: true, source: { kind: 'path', url: 'file:///${PROJECT_ROOT}/packages/helper#egg=helper' } });
    expect(pick(m, 'not', 'lint')[0]?.skipReason).toMatch(/not a valid PEP 508 requirement/);
    expect(m.indexes).toEqual([
      { kind: 'index-url', value: 'https://pypi.org/simple', line: 12 },
      { kind: 'extra-index-url', value: 'https://private.test/simple', line: 17 },
      { kind: 'trusted-host', value: 'private.test', line: 18 },
    ]);
  });
});

describe('pyproject.toml: broken and odd files', () => {
  it('invalid TOML → one problem with the parser message and line, no throw', () => {
    const m = extractPyproject('pyproject.toml', fixture('broken.toml'));
    expect(m.dependencies).toEqual([]);
    expect(m.problems).toHaveLength(1);
    expect(m.problems[0]?.message).toMatch(/^invalid TOML: /);
    expect(m.problems[0]?.line).toBe(6);
  });
  const odd: [string, string, number, number][] = [
    ['empty file', '', 0, 0],
    ['no dependency tables', '[build-system]\nrequires = ["setuptools"]\n', 0, 0],
    ['dependencies is a string', '[project]\ndependencies = "requests"\n', 0, 1],
    ['a non-string item', '[project]\ndependencies = ["a", 1]\n', 1, 1],
    ['python union in Poetry', '[tool.poetry.dependencies]\npython = "~2.7 || ^3.6"\n', 0, 1],
    ['dependency-groups with a bad item', '[dependency-groups]\ndev = [{include-group = "x"}, {foo = 1}]\n', 0, 1],
    ['poetry dependency with a number', '[tool.poetry.dependencies]\nfoo = 1\n', 1, 0],
  ];
  it.each(odd)('%s', (_t, text, deps, problems) => {
    const m = extractPyproject('pyproject.toml', text);
    expect(m.dependencies).toHaveLength(deps);
    expect(m.problems).toHaveLength(problems);
    for (const p of m.problems) expect(p.line).toBeGreaterThan(0);
  });
  it('duplicate names in different tables land on their own table line', () => {
    const text = '[project]\ndependencies = ["requests"]\n[project.optional-dependencies]\nx = ["requests"]\n[dependency-groups]\ndev = [\n  "requests",\n]\n';
    const m = extractPyproject('pyproject.toml', text);
    expect(m.dependencies.map((d) => [d.group, d.line])).toEqual([[undefined, 2], ['x', 4], ['dev', 7]]);
  });
});
