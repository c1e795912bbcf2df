import { describe, expect, test } from '@jest/globals';
import { extractPylock } from '../../src/deps/pylock/extract.js';
import { dep, fixture, lineText } from './lock-helpers.js';

describe('pylock.toml (PEP 751)', () => {
  const text = fixture('pylock', 'pylock.toml');
  const m = extractPylock('pylock.toml', text);

  test('the project itself (directory ".") is not a dependency; the rest are on their name lines', () => {
    expect(m.problems).toEqual([]);
    expect(m.dependencies.map((d) => d.name)).toEqual(['attrs', 'private-sdk', 'tool', 'legacy-archive']);
    for (const d of m.dependencies) {
      expect(d.locked).toBe(true);
      expect(lineText(text, d.line)).toBe(`name = "${d.rawName}"`);
    }
    expect(m.pythonRequires).toEqual({ specifier: '>=3.10', line: 2 });
  });

  test.each([
    // name, version, hashes, source, skip
    ['attrs', '25.1.0', 2, undefined, undefined],
    ['private-sdk', '2.0.0', 0, { kind: 'index', url: 'https://pkgs.internal.example.com/simple' }, undefined],
    ['tool', undefined, 0, { kind: 'vcs', url: 'git+https://github.com/example/tool.git@0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d' }, 'no version: locked to a vcs source'],
    ['legacy-archive', '0.5', 1, { kind: 'url', url: 'https://example.com/legacy-archive-0.5.tar.gz' }, undefined],
  ])('%s', (name, version, hashCount, source, skip) => {
    const d = dep(m, name);
    expect(d.version).toBe(version);
    expect(d.specifier).toBe(version ? `==${version}` : '');
    expect(d.hashes?.length ?? 0).toBe(hashCount);
    expect(d.source).toEqual(source);
    expect(d.skipReason).toBe(skip);
  });

  test('hashes are written algo:value; markers kept; raw name kept', () => {
    expect(dep(m, 'attrs').hashes).toEqual([
      'sha256:1c97078a80c814273a76b2a298a932eb681c87415c11dee0a6921de7f1b02c3e',
      'sha256:c75a69e28a550a7e93789579c22aa26b0f5b83b75dc4e08fe092980051e1090a',
    ]);
    expect(dep(m, 'private-sdk')).toMatchObject({ rawName: 'Private_SDK', marker: "python_version >= '3.11'" });
  });
});

describe('pylock.toml, odd and broken files', () => {
  test.each([
    ['invalid TOML', 'lock-version = "1.0"\n[[packages]]\nname = \n', /not valid TOML/, 0],
    ['no lock-version', '[[packages]]\nname = "a"\nversion = "1"\n', /no `lock-version`/, 1],
    ['unsupported lock-version', 'lock-version = "2.0"\n[[packages]]\nname = "a"\nversion = "1"\n', /not supported/, 1],
    ['packages is not an array', 'lock-version = "1.0"\npackages = "x"\n', /not an array/, 0],
    ['an entry without a name', 'lock-version = "1.0"\n[[packages]]\nversion = "1"\n', /has no name/, 0],
  ])('%s', (_l, text, message, count) => {
    const m = extractPylock('pylock.toml', text);
    expect(m.problems[0]?.message).toMatch(message);
    expect(m.dependencies).toHaveLength(count);
  });
});
