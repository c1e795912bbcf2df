import { describe, expect, test } from '@jest/globals';
import { extractPoetryLock } from '../../src/deps/poetry-lock/extract.js';
import { arrayTableBlocks, BlockLocator, tableKeyLine } from '../../src/deps/lock-common.js';
import { dep, fixture, lineText } from './lock-helpers.js';

describe('poetry.lock, Poetry 1.1 format ([metadata.files], category)', () => {
  const text = fixture('poetry-lock', 'poetry-1.1.lock');
  const m = extractPoetryLock('poetry.lock', text);

  test('no problems, every entry locked with its name line', () => {
    expect(m.problems).toEqual([]);
    expect(m.manager).toBe('poetry-lock');
    expect(m.dependencies).toHaveLength(7);
    for (const d of m.dependencies) {
      expect(d.locked).toBe(true);
      expect(lineText(text, d.line)).toBe(`name = "${d.rawName}"`);
      expect(d.text).toBe(`name = "${d.rawName}"`);
    }
  });

  test.each([
    // name, version, line, group, hash count, source
    ['certifi', '2021.10.8', 2, 'main', 2, undefined],
    ['django', '3.2.10', 10, 'main', 2, undefined],
    ['internal-lib', '0.4.0', 27, 'main', 0, { kind: 'index', url: 'https://pypi.internal.example.com/simple' }],
    ['mylib', '1.0.0', 40, 'main', 0, { kind: 'vcs', url: 'git+https://github.com/example/mylib.git@4f2c7d1a9e0b3c5d7f9a1b3c5d7e9f1a3b5c7d9e' }],
    ['numpy', '1.21.6', 55, 'main', 2, undefined],
    ['numpy', '1.24.4', 64, 'main', 2, undefined],
    ['pytest', '6.2.5', 73, 'dev', 2, undefined],
  ])('%s %s', (name, version, line, group, hashCount, source) => {
    const d = dep(m, name, version);
    expect(d.line).toBe(line);
    expect(d.specifier).toBe(`==${version}`);
    expect(d.group).toBe(group);
    expect(d.hashes?.length ?? 0).toBe(hashCount);
    expect(d.source).toEqual(source);
    expect(d.skipReason).toBeUndefined();
  });

  test('duplicate names in different versions keep their own files and markers', () => {
    expect(dep(m, 'numpy', '1.21.6').hashes).toEqual([
      'sha256:1dbe1c91269f880e364526649a52eff93ac30035507ae980d2fed33aaee633ac',
      'sha256:ecb55251139706669fdec2ff073c98ef8e9a84473e51e716211b41aa0f18e656',
    ]);
    expect(dep(m, 'numpy', '1.24.4').marker).toBe('python_version >= "3.10"');
  });

  test('names are normalised, raw names kept', () => {
    expect(dep(m, 'django').rawName).toBe('django');
  });
});

describe('poetry.lock, Poetry 2.x format (files inline, groups)', () => {
  const text = fixture('poetry-lock', 'poetry-2.lock');
  const m = extractPoetryLock('poetry.lock', text);

  test.each([
    ['certifi', '2025.4.26', 4, 'main', undefined],
    ['colorama', '0.4.6', 16, 'dev', 'sys_platform == "win32"'],
    ['jinja2', '2.11.3', 29, 'main', 'python_version < "3.12"'],
    ['shared-utils', '0.1.0', 48, 'main', undefined],
  ])('%s %s', (name, version, line, group, marker) => {
    const d = dep(m, name, version);
    expect(d.line).toBe(line);
    expect(d.group).toBe(group);
    expect(d.marker).toBe(marker);
  });

  test('hashes from `files`, raw name kept, directory source editable', () => {
    expect(m.problems).toEqual([]);
    expect(dep(m, 'jinja2').rawName).toBe('Jinja2');
    expect(dep(m, 'certifi').hashes).toHaveLength(2);
    expect(dep(m, 'shared-utils').source).toEqual({ kind: 'path', url: '../shared-utils' });
    expect(dep(m, 'shared-utils').editable).toBe(true);
    expect(dep(m, 'shared-utils').hashes).toBeUndefined();
  });
});

describe('poetry.lock, broken and odd files', () => {
  test.each([
    ['truncated TOML', fixture('poetry-lock', 'broken.lock'), /not valid TOML/],
    ['not a lock file', 'title = "x"\n', /not a Poetry lock file/],
    ['package is not an array', 'package = "x"\n[metadata]\n', /not an array/],
  ])('%s: a problem, no throw', (_label, text, message) => {
    const m = extractPoetryLock('poetry.lock', text);
    expect(m.dependencies).toEqual([]);
    expect(m.problems).toHaveLength(1);
    expect(m.problems[0]?.message).toMatch(message);
  });

  test('a TOML error carries its line', () => {
    const m = extractPoetryLock('poetry.lock', fixture('poetry-lock', 'broken.lock'));
    expect(m.problems[0]?.line).toBeGreaterThan(1);
  });

  test('an entry without a name is a problem; one without a version is kept with a skip reason', () => {
    const text = '[[package]]\nversion = "1.0"\n\n[[package]]\nname = "foo"\n\n[metadata]\nlock-version = "2.0"\n';
    const m = extractPoetryLock('poetry.lock', text);
    expect(m.problems).toEqual([{ line: 1, message: 'poetry.lock: a [[package]] entry has no name' }]);
    expect(m.dependencies).toHaveLength(1);
    expect(m.dependencies[0]).toMatchObject({ name: 'foo', line: 5, locked: true, specifier: '', skipReason: 'the lock entry has no version' });
  });

  test('an empty lock (`package = []`) has no dependencies and no problems', () => {
    const m = extractPoetryLock('poetry.lock', 'package = []\n\n[metadata]\nlock-version = "2.0"\n');
    expect(m).toMatchObject({ dependencies: [], problems: [] });
  });
});

describe('TOML block scanner', () => {
  test('duplicate names: the n-th header goes with the n-th entry', () => {
    const text = ['[[package]]', 'name = "a"', 'version = "1"', '', '[package.extras]', 'x = ["name = \\"z\\""]', '', '[[package]]', 'name = "a"', 'version = "2"'].join('\n');
    const blocks = arrayTableBlocks(text, 'package');
    expect(blocks.map((b) => [b.headerLine, b.nameLine, b.name])).toEqual([
      [1, 2, 'a'],
      [8, 9, 'a'],
    ]);
  });

  test('headers inside multi-line strings and sub-tables are ignored', () => {
    const text = ['[[package]]', 'description = """', '[[package]]', 'name = "fake"', '"""', 'name = "real"', '[[package.wheels]]', 'name = "wheel"'].join('\n');
    expect(arrayTableBlocks(text, 'package').map((b) => [b.headerLine, b.name])).toEqual([[1, 'real']]);
  });

  test('a name key in a sub-table is not the entry name', () => {
    const text = ['[[package]]', 'version = "1"', '[package.source]', 'name = "nope"'].join('\n');
    expect(arrayTableBlocks(text, 'package')[0]?.nameLine).toBeUndefined();
  });

  test('when counts disagree the locator matches by name, in order', () => {
    const blocks = arrayTableBlocks('[[package]]\nname = "a"\n[[package]]\nname = "b"\n[[package]]\nname = "a"\n', 'package');
    const loc = new BlockLocator(blocks, 2);
    expect(loc.locate(0, 'b').line).toBe(4);
    expect(loc.locate(1, 'A').line).toBe(6);
    expect(loc.locate(2, 'missing').line).toBe(1);
  });

  test.each([
    ['top-level key', 'a = 1\nrequires-python = ">=3.8"\n[x]\nrequires-python = "no"\n', undefined, 'requires-python', 2],
    ['key in a table', 'a = 1\n[metadata]\nlock_version = "4"\nrequires_python = ">=3.9"\n', 'metadata', 'requires_python', 4],
    ['missing key → header line', 'a = 1\n[metadata]\nx = 1\n', 'metadata', 'requires_python', 2],
    ['missing table → 1', 'a = 1\n', 'metadata', 'requires_python', 1],
  ])('tableKeyLine: %s', (_l, text, table, key, line) => {
    expect(tableKeyLine(text, table, key)).toBe(line);
  });
});
