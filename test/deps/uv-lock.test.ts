import { describe, expect, test } from '@jest/globals';
import { extractUvLock } from '../../src/deps/uv-lock/extract.js';
import { dep, fixture, lineText } from './lock-helpers.js';

describe('uv.lock', () => {
  const text = fixture('uv-lock', 'uv.lock');
  const m = extractUvLock('uv.lock', text);

  test('the project and workspace members (editable / virtual) are not dependencies', () => {
    expect(m.problems).toEqual([]);
    expect(m.dependencies.map((d) => d.name)).not.toContain('acme-app');
    expect(m.dependencies.map((d) => d.name)).not.toContain('acme-core');
    expect(m.dependencies).toHaveLength(8);
  });

  test('every entry is locked, on its name line', () => {
    for (const d of m.dependencies) {
      expect(d.locked).toBe(true);
      expect(lineText(text, d.line)).toBe(`name = "${d.rawName}"`);
    }
  });

  test.each([
    // name, version, hashes, source
    ['flask', '2.0.1', 2, undefined],
    ['click', '8.1.8', 1, undefined],
    ['numpy', '2.0.2', 1, undefined],
    ['numpy', '2.2.6', 1, undefined],
    ['private-sdk', '3.1.0', 1, { kind: 'index', url: 'https://pkgs.internal.example.com/simple' }],
    ['httpx', '0.28.1', 0, { kind: 'vcs', url: 'git+https://github.com/encode/httpx@4b23574cf83307ce27d3b14b4a425dc58c57d28d' }],
    ['vendored', '1.2.0', 0, { kind: 'path', url: 'vendor/vendored' }],
    ['wheelonly', '0.9', 1, { kind: 'url', url: 'https://example.com/wheelonly-0.9-py3-none-any.whl' }],
  ])('%s %s', (name, version, hashCount, source) => {
    const d = dep(m, name, version);
    expect(d.specifier).toBe(`==${version}`);
    expect(d.hashes?.length ?? 0).toBe(hashCount);
    expect(d.source).toEqual(source);
    expect(d.skipReason).toBeUndefined();
  });

  test('duplicate names in different versions land on their own blocks', () => {
    expect(dep(m, 'numpy', '2.0.2').line).toBe(57);
    expect(dep(m, 'numpy', '2.2.6').line).toBe(66);
  });

  test('raw names and hashes', () => {
    expect(dep(m, 'flask').rawName).toBe('Flask');
    expect(dep(m, 'flask').hashes).toEqual([
      'sha256:1c4c257b1892aec1398784c63791cbaa43062f1f7aeb555c4da961b20ee68f55',
      'sha256:a6209ca15eb63fc9385f38e452704113d679511d9574d09b2cf9183ae7d20dc9',
    ]);
  });

  test('requires-python becomes pythonRequires with its line', () => {
    expect(m.pythonRequires).toEqual({ specifier: '>=3.9', line: 3 });
  });
});

describe('uv.lock, older and odd files', () => {
  test('uv 0.2 `[[distribution]]` tables', () => {
    const text = fixture('uv-lock', 'uv-0.2-distribution.lock');
    const m = extractUvLock('uv.lock', text);
    expect(m.problems).toEqual([]);
    expect(m.dependencies).toMatchObject([{ name: 'anyio', version: '3.7.0', line: 5, locked: true }]);
  });

  test.each([
    ['invalid TOML', 'version = 1\n[[package]\nname = "x"\n', /not valid TOML/, 0],
    ['a newer lock version is read with a warning', 'version = 2\n\n[[package]]\nname = "a"\nversion = "1.0"\nsource = { registry = "https://pypi.org/simple" }\n', /newer than the supported/, 1],
    ['no version: not a uv lock?', '[[package]]\nname = "a"\nversion = "1.0"\n', /no `version`/, 1],
    ['package is not an array', 'version = 1\npackage = 3\n', /not an array/, 0],
  ])('%s', (_l, text, message, count) => {
    const m = extractUvLock('uv.lock', text);
    expect(m.problems[0]?.message).toMatch(message);
    expect(m.dependencies).toHaveLength(count);
  });

  test('a git source without a version is kept with a skip reason', () => {
    const m = extractUvLock('uv.lock', 'version = 1\n\n[[package]]\nname = "tool"\nsource = { git = "https://github.com/o/tool?tag=v1#abc" }\n');
    expect(m.dependencies[0]).toMatchObject({ name: 'tool', line: 4, specifier: '', source: { kind: 'vcs', url: 'git+https://github.com/o/tool@abc' } });
    expect(m.dependencies[0]?.skipReason).toMatch(/no version/);
  });
});
