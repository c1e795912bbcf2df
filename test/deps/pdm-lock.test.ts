import { describe, expect, test } from '@jest/globals';
import { extractPdmLock } from '../../src/deps/pdm-lock/extract.js';
import { dep, fixture, lineText } from './lock-helpers.js';

describe('pdm.lock, lock_version 4.x', () => {
  const text = fixture('pdm-lock', 'pdm-4.lock');
  const m = extractPdmLock('pdm.lock', text);

  test('no problems; every entry locked on its name line; pythonRequires from [[metadata.targets]]', () => {
    expect(m.problems).toEqual([]);
    expect(m.dependencies).toHaveLength(6);
    for (const d of m.dependencies) {
      expect(d.locked).toBe(true);
      expect(lineText(text, d.line)).toBe(`name = "${d.rawName}"`);
    }
    expect(m.pythonRequires).toEqual({ specifier: '>=3.9', line: 11 });
  });

  test.each([
    // name, version, group, hashes, extras, marker, source
    ['certifi', '2024.2.2', 'default', 2, undefined, undefined, undefined],
    ['pytest', '8.0.2', 'test', 1, undefined, 'python_version >= "3.9"', undefined],
    ['toolkit', '0.3.0', 'default', 0, undefined, undefined, { kind: 'vcs', url: 'git+https://github.com/example/toolkit.git@0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d' }],
    ['localpkg', '0.0.1', 'default', 0, undefined, undefined, { kind: 'path', url: './libs/localpkg' }],
  ])('%s %s', (name, version, group, hashCount, extras, marker, source) => {
    const d = dep(m, name, version);
    expect(d.specifier).toBe(`==${version}`);
    expect(d.group).toBe(group);
    expect(d.hashes?.length ?? 0).toBe(hashCount);
    expect(d.extras).toEqual(extras);
    expect(d.marker).toBe(marker);
    expect(d.source).toEqual(source);
  });

  test('one entry per extras combination, each on its own line', () => {
    const requests = m.dependencies.filter((d) => d.name === 'requests');
    expect(requests.map((d) => [d.line, d.extras])).toEqual([
      [25, undefined],
      [38, ['socks']],
    ]);
  });

  test('editable path entries', () => {
    expect(dep(m, 'localpkg').editable).toBe(true);
  });
});

describe('pdm.lock, lock_version 3.x ([metadata.files] keyed "name version")', () => {
  const m = extractPdmLock('pdm.lock', fixture('pdm-lock', 'pdm-3.lock'));
  test.each([
    ['django', '3.2.10', 5, 2],
    ['pytz', '2021.3', 16, 1],
  ])('%s %s', (name, version, line, hashCount) => {
    const d = dep(m, name, version);
    expect(d.line).toBe(line);
    expect(d.hashes).toHaveLength(hashCount);
    expect(d.group).toBeUndefined();
  });
  test('no problems, no pythonRequires', () => {
    expect(m.problems).toEqual([]);
    expect(m.pythonRequires).toBeUndefined();
  });
});

describe('pdm.lock, odd and broken files', () => {
  test.each([
    ['invalid TOML', '[metadata\nlock_version = "4"\n', /not valid TOML/, 0],
    ['no [metadata]', '[[package]]\nname = "a"\nversion = "1"\n', /no \[metadata\]/, 1],
    ['package is not an array', '[metadata]\npackage = 1\n', undefined, 0],
  ])('%s', (_l, text, message, count) => {
    const m = extractPdmLock('pdm.lock', text);
    if (message) expect(m.problems[0]?.message).toMatch(message);
    expect(m.dependencies).toHaveLength(count);
  });

  test('PDM 1.x `sections` and [metadata] requires_python', () => {
    const m = extractPdmLock('pdm.lock', '[[package]]\nname = "a"\nversion = "1.0"\nsections = ["dev"]\n\n[metadata]\nlock_version = "2"\nrequires_python = ">=3.7"\n');
    expect(m.dependencies[0]).toMatchObject({ name: 'a', group: 'dev', line: 2 });
    expect(m.pythonRequires).toEqual({ specifier: '>=3.7', line: 8 });
  });
});
