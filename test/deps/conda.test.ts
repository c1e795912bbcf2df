import { describe, expect, test } from '@jest/globals';
import { extractConda } from '../../src/deps/conda/extract.js';
import { parseMatchSpec } from '../../src/deps/conda/match-spec.js';
import { parsePipLine } from '../../src/deps/conda/pip-line.js';
import { dep, fixture, lineText } from './lock-helpers.js';

describe('conda MatchSpec → PEP 440', () => {
  test.each([
    // spec, name, specifier, version, channel, skip?
    ['numpy', 'numpy', '', undefined, undefined],
    ['python=3.8', 'python', '==3.8.*', undefined, undefined],
    ['numpy=1.20.*', 'numpy', '==1.20.*', undefined, undefined],
    ['numpy=1.20*', 'numpy', '==1.20.*', undefined, undefined],
    ['numpy==1.20', 'numpy', '==1.20', '1.20', undefined],
    ['numpy 1.20', 'numpy', '==1.20', '1.20', undefined],
    ['numpy >=1.20', 'numpy', '>=1.20', undefined, undefined],
    ['numpy >= 1.20', 'numpy', '>=1.20', undefined, undefined],
    ['numpy>=1.20,<2', 'numpy', '>=1.20,<2', undefined, undefined],
    ['numpy!=1.21.0', 'numpy', '!=1.21.0', undefined, undefined],
    ['numpy=1.20=py39h06a4308_0', 'numpy', '==1.20', '1.20', undefined],
    ['numpy==1.20.3=py39h06a4308_0', 'numpy', '==1.20.3', '1.20.3', undefined],
    ['numpy 1.20.3 py39_0', 'numpy', '==1.20.3', '1.20.3', undefined],
    ['pkgs/main::flask=2.0.*', 'flask', '==2.0.*', undefined, 'pkgs/main'],
    ['conda-forge::requests', 'requests', '', undefined, 'conda-forge'],
    ['conda-forge/linux-64::numpy==1.26.4', 'numpy', '==1.26.4', '1.26.4', 'conda-forge/linux-64'],
    ["numpy[version='>=1.20,<2']", 'numpy', '>=1.20,<2', undefined, undefined],
    ["numpy[version='1.20.*', build=py39*]", 'numpy', '==1.20.*', undefined, undefined],
    ['numpy=*', 'numpy', '', undefined, undefined],
    ['_libgcc_mutex=0.1=conda_forge', '_libgcc_mutex', '==0.1', '0.1', undefined],
    ['r-base>=4.1', 'r-base', '>=4.1', undefined, undefined],
  ])('%s', (spec, name, specifier, version, channel) => {
    const r = parseMatchSpec(spec);
    expect('error' in r).toBe(false);
    if ('error' in r) return;
    expect(r.rawName).toBe(name);
    expect(r.specifier).toBe(specifier);
    expect(r.version).toBe(version);
    expect(r.channel).toBe(channel);
    expect(r.skipReason).toBeUndefined();
  });

  test.each([
    ['numpy=1.20|1.21', /"or" version spec/],
    ['numpy>=1.8,<2|1.9', /"or" version spec/],
    ['openssl=1.1.1k', /no PEP 440 equivalent/],
  ])('%s is kept with a skip reason', (spec, reason) => {
    const r = parseMatchSpec(spec);
    expect('error' in r ? r.error : r.skipReason).toMatch(reason);
  });

  test.each(['', '>=1.2', '::'])('%j is not a spec', (spec) => {
    expect(parseMatchSpec(spec)).toHaveProperty('error');
  });
});

describe('pip lines of environment.yml', () => {
  test.each([
    ['django==3.2.10', { name: 'django', specifier: '==3.2.10', version: '3.2.10' }],
    ['Django>=3.2,<4', { name: 'django', rawName: 'Django', specifier: '>=3.2,<4' }],
    ['requests[socks]>=2.25 ; python_version < "3.10"', { name: 'requests', extras: ['socks'], marker: 'python_version < "3.10"' }],
    ['pkg===1.0.post1', { name: 'pkg', specifier: '===1.0.post1', version: '1.0.post1' }],
    ['mylib @ https://example.com/mylib-1.0.tar.gz ; os_name == "nt"', { name: 'mylib', source: { kind: 'url', url: 'https://example.com/mylib-1.0.tar.gz' }, marker: 'os_name == "nt"' }],
    ['-e git+https://github.com/o/tool.git@v1#egg=tool', { name: 'tool', editable: true, source: { kind: 'vcs', url: 'git+https://github.com/o/tool.git@v1#egg=tool' } }],
    ['-e ./libs/local', { editable: true, source: { kind: 'path', url: './libs/local' }, skipReason: expect.stringMatching(/without #egg=name/) }],
    ['flask==2.0.1 --hash=sha256:abc --hash=sha256:def', { name: 'flask', version: '2.0.1', hashes: ['sha256:abc', 'sha256:def'] }],
  ])('%s', (line, expected) => {
    const r = parsePipLine(line, 7, 5);
    expect(r.kind).toBe('dependency');
    if (r.kind === 'dependency') expect(r.dependency).toMatchObject({ line: 7, column: 5, locked: false, group: 'pip', ...expected });
  });

  test.each([
    ['--index-url http://x/simple', { kind: 'index', setting: { kind: 'index-url', value: 'http://x/simple', line: 3 } }],
    ['-i https://x/simple', { kind: 'index', setting: { kind: 'index-url', value: 'https://x/simple', line: 3 } }],
    ['--extra-index-url=https://y/simple', { kind: 'index', setting: { kind: 'extra-index-url', value: 'https://y/simple', line: 3 } }],
    ['--trusted-host y', { kind: 'index', setting: { kind: 'trusted-host', value: 'y', line: 3 } }],
    ['-f ./wheels', { kind: 'index', setting: { kind: 'find-links', value: './wheels', line: 3 } }],
    ['-r base.txt', { kind: 'include', include: { kind: 'requirements', path: 'base.txt', line: 3 } }],
    ['--constraint c.txt', { kind: 'include', include: { kind: 'constraints', path: 'c.txt', line: 3 } }],
    ['   ', { kind: 'empty' }],
    ['--pre', { kind: 'problem', message: 'unsupported pip option line: --pre' }],
  ])('%s', (line, expected) => {
    expect(parsePipLine(line, 3)).toEqual(expected);
  });

  test('an unparsable requirement is kept with a skip reason', () => {
    const r = parsePipLine('foo >= = 1', 2);
    expect(r.kind).toBe('dependency');
    if (r.kind === 'dependency') expect(r.dependency).toMatchObject({ name: 'foo', skipReason: expect.stringMatching(/not a valid requirement/) });
  });
});

describe('environment.yml', () => {
  const text = fixture('conda', 'environment.yml');
  const m = extractConda('environment.yml', text);

  test('python is pythonRequires, not a dependency', () => {
    expect(m.pythonRequires).toEqual({ specifier: '==3.8.*', line: 7 });
    expect(m.dependencies.map((d) => d.name)).not.toContain('python');
  });

  test('every dependency keeps its line and text', () => {
    for (const d of m.dependencies) {
      expect(lineText(text, d.line)).toContain(d.text);
      expect(d.locked).toBe(false);
    }
  });

  test.each([
    // name, group, line, specifier, version
    ['numpy', 'conda', 8, '>=1.20,<2', undefined],
    ['flask', 'conda', 9, '==2.0.*', undefined],
    ['requests', 'conda', 10, '', undefined],
    ['scipy', 'conda', 11, '==1.7.*', undefined],
    ['pandas', 'conda', 12, '==1.3.5', '1.3.5'],
    ['libgcc-ng', 'conda', 14, '==11.2.0', '11.2.0'],
    ['pip', 'conda', 16, '', undefined],
    ['django', 'pip', 18, '==3.2.10', '3.2.10'],
    ['requests', 'pip', 19, '>=2.25', undefined],
    ['tool', 'pip', 22, '', undefined],
    ['mylib', 'pip', 24, '', undefined],
  ])('%s (%s)', (name, group, line, specifier, version) => {
    const d = m.dependencies.find((x) => x.name === name && x.group === group);
    expect(d).toMatchObject({ line, specifier });
    expect(d?.version).toBe(version);
  });

  test('untranslatable specs are kept with a skip reason', () => {
    expect(dep(m, 'openssl').skipReason).toMatch(/no PEP 440 equivalent/);
    expect(dep(m, 'scikit-learn').skipReason).toMatch(/"or"/);
    expect(m.dependencies.find((d) => d.text === 'git+https://github.com/example/other.git')?.skipReason).toMatch(/#egg=/);
    expect(m.dependencies.find((d) => d.line === 25)?.skipReason).toMatch(/not a valid requirement/);
  });

  test('URL channels and pip options become index settings; -r an include', () => {
    expect(m.indexes).toEqual([
      { kind: 'index-url', value: 'http://conda.internal.example.com/channel', line: 5 },
      { kind: 'extra-index-url', value: 'http://pypi.internal.example.com/simple', line: 20 },
    ]);
    expect(m.includes).toEqual([{ kind: 'requirements', path: 'requirements-extra.txt', line: 21 }]);
    expect(m.problems).toEqual([]);
  });

  test('columns point at the spec', () => {
    expect(dep(m, 'numpy').column).toBe(5);
  });
});

describe('environment.yml, broken and odd files', () => {
  test('invalid YAML: problems with lines, what was readable is kept, no throw', () => {
    const m = extractConda('environment.yml', fixture('conda', 'broken.yml'));
    expect(m.problems.length).toBeGreaterThan(0);
    expect(m.problems[0]?.message).toMatch(/not valid YAML/);
    expect(m.problems[0]?.line).toBeGreaterThan(1);
  });

  test.each([
    ['empty file', '', 0],
    ['no dependencies', 'name: x\nchannels: [defaults]\n', 0],
    ['a scalar document', 'just text', 1],
    ['dependencies not a list', 'dependencies: numpy\n', 1],
    ['pip not a list', 'dependencies:\n  - pip: django\n', 1],
    ['an unknown mapping entry', 'dependencies:\n  - foo: bar\n', 1],
    ['a nested list entry', 'dependencies:\n  - [a, b]\n', 1],
  ])('%s', (_l, text, problems) => {
    const m = extractConda('environment.yml', text);
    expect(m.problems).toHaveLength(problems);
    expect(m.dependencies).toEqual([]);
  });
});
