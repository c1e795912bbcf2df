import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { extractRequirements } from '../../src/deps/pip/extract.js';
import { parsePep508 } from '../../src/deps/pip/pep508.js';
import type { Dependency } from '../../src/deps/types.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/deps/pip/${name}`, import.meta.url), 'utf8');
const byName = (deps: Dependency[], name: string): Dependency | undefined => deps.find((d) => d.name === name);

describe('parsePep508', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['requests', { name: 'requests', specifier: '' }],
    ['Django>=4.2,<5', { name: 'django', rawName: 'Django', specifier: '>=4.2,<5' }],
    ['foo (>= 1.0, != 1.5)', { name: 'foo', specifier: '>=1.0,!=1.5' }],
    ['Foo_Bar.Baz==1.2.3', { name: 'foo-bar-baz', specifier: '==1.2.3', version: '1.2.3' }],
    ['foo==1.2.*', { specifier: '==1.2.*', version: undefined }],
    ['foo===1.0-custom', { specifier: '===1.0-custom', version: '1.0-custom' }],
    ['foo>=1,===2 ; python_version < "3.8"', { specifier: '>=1,===2', version: '2', marker: 'python_version < "3.8"' }],
    ['foo~=1.4.2', { specifier: '~=1.4.2', version: undefined }],
    ['requests[security, socks]>=2 ; os_name == "nt" and python_version >= "3.8"', { extras: ['security', 'socks'], marker: 'os_name == "nt" and python_version >= "3.8"' }],
    ['pkg @ https://example.com/pkg-1.0.tar.gz', { name: 'pkg', source: { kind: 'url', url: 'https://example.com/pkg-1.0.tar.gz' } }],
    ['pkg @ https://example.com/pkg.zip ; sys_platform == "linux"', { marker: 'sys_platform == "linux"', source: { kind: 'url', url: 'https://example.com/pkg.zip' } }],
    ['pkg[x] @ git+https://github.com/a/b.git@v1', { extras: ['x'], source: { kind: 'vcs', url: 'git+https://github.com/a/b.git@v1' } }],
    ['pkg @ file:///tmp/pkg', { source: { kind: 'path', url: 'file:///tmp/pkg' } }],
  ];
  it.each(cases)('%s', (input, expected) => {
    const r = parsePep508(input);
    expect(r.ok).toBe(true);
    if (r.ok) for (const [k, v] of Object.entries(expected)) expect(r.requirement[k as keyof typeof r.requirement]).toEqual(v);
  });
  it.each(['', 'foo==${VER}', '>=1.0', 'foo bar', 'foo==1.0 --hash=sha256:abc'])('rejects %j with a message', (input) => {
    const r = parsePep508(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).not.toBe('');
  });
});

describe('extractRequirements: pip-compile output with hashes', () => {
  const m = extractRequirements('requirements.txt', fixture('pip-compile-hashes.txt'));
  it('reads every pinned package on its first physical line, with its hashes', () => {
    expect(m.manager).toBe('pip');
    expect(m.problems).toEqual([]);
    expect(m.dependencies.map((d) => [d.name, d.version, d.line, d.hashes?.length])).toEqual([
      ['asgiref', '3.7.2', 11, 2],
      ['django', '4.2.7', 15, 2],
      ['sqlparse', '0.4.4', 19, 1],
      ['typing-extensions', '4.8.0', 22, 1],
    ]);
    expect(byName(m.dependencies, 'asgiref')?.hashes?.[0]).toBe('sha256:89b2ef2247e3b562a16eef663bc0e2e703ec6468e2fa8a5cd61cd449786d4f6e');
    expect(byName(m.dependencies, 'typing-extensions')?.marker).toBe('python_version < "3.11"');
    expect(byName(m.dependencies, 'django')?.text).toBe('django==4.2.7');
  });
  it('does not read "# via -r requirements.in" as an include', () => {
    expect(m.includes).toEqual([]);
  });
  it('reads index options', () => {
    expect(m.indexes).toEqual([
      { kind: 'index-url', value: 'https://pypi.org/simple', line: 7 },
      { kind: 'extra-index-url', value: 'https://internal.example.com/simple', line: 8 },
      { kind: 'trusted-host', value: 'internal.example.com', line: 9 },
    ]);
  });
});

describe('extractRequirements: .in file', () => {
  const m = extractRequirements('requirements.in', fixture('requirements.in'));
  it('reads ranges, extras, wildcards and constraints includes', () => {
    expect(m.includes).toEqual([{ kind: 'constraints', path: 'constraints.txt', line: 2 }]);
    expect(m.dependencies.map((d) => [d.name, d.specifier, d.version, d.line, d.extras])).toEqual([
      ['django', '>=4.2,<5', undefined, 3, undefined],
      ['requests', '~=2.31', undefined, 4, ['security', 'socks']],
      ['celery', '==5.3.*', undefined, 5, undefined],
    ]);
    expect(m.dependencies[0]?.text).toBe('django>=4.2,<5');
  });
});

describe('extractRequirements: kitchen sink (pip documentation example, extended)', () => {
  const m = extractRequirements('requirements.txt', fixture('kitchen-sink.txt'));
  const line = (n: number): Dependency[] => m.dependencies.filter((d) => d.line === n);
  const table: [number, Partial<Dependency>][] = [
    [2, { name: 'nose', specifier: '' }],
    [3, { name: 'nose-cov', specifier: '' }],
    [7, { name: 'docopt', specifier: '==0.6.1', version: '0.6.1', text: 'docopt == 0.6.1' }],
    [8, { name: 'keyring', specifier: '>=4.1.1' }],
    [9, { name: 'coverage', specifier: '!=3.5' }],
    [10, { name: 'mopidy-dirble', rawName: 'Mopidy-Dirble', specifier: '~=1.1' }],
    [17, { name: 'numpy', version: '1.9.2', source: { kind: 'path', url: './downloads/numpy-1.9.2-cp34-none-win32.whl' } }],
    [18, { name: 'wxpython-phoenix', version: '3.0.3.dev1820+49a8884' }],
    [19, { name: '', skipReason: 'direct URL or path without a package name (#egg=name or a wheel/sdist file name)' }],
    [24, { name: 'flask', rawName: 'Flask', editable: true, source: { kind: 'vcs', url: 'git+https://github.com/pallets/flask.git@2.3.x#egg=Flask' } }],
    [25, { name: '', editable: true, extras: ['extra1'], source: { kind: 'path', url: './libs/shared' } }],
    [26, { name: '', editable: true, source: { kind: 'path', url: '.' } }],
    [27, { name: 'someproject', marker: 'sys_platform == "linux"', source: { kind: 'vcs', url: 'git+https://git.example.com/SomeProject.git@v1.0' } }],
    [28, { name: 'legacy', specifier: '===1.0-custom', version: '1.0-custom' }],
    [29, { name: 'pywin32', specifier: '>=1.0', marker: 'platform_system == "Windows"' }],
    [30, { name: 'zope-interface', version: '6.0' }],
    [36, { name: 'private-lib', text: 'private-lib==${PRIVATE_VERSION}' }],
    [37, { name: 'foo' }],
  ];
  it.each(table)('line %i', (n, expected) => {
    expect(line(n)).toHaveLength(1);
    expect(line(n)[0]).toMatchObject(expected);
  });
  it('keeps every entry it cannot understand, with a reason', () => {
    expect(line(25)[0]?.skipReason).toMatch(/editable/);
    expect(line(36)[0]?.skipReason).toMatch(/\$\{PRIVATE_VERSION\}/);
    expect(line(37)[0]?.skipReason).toMatch(/not a valid requirement/);
    expect(m.dependencies.filter((d) => !d.name).every((d) => d.skipReason)).toBe(true);
  });
  it('records includes, find-links, and reports unknown options', () => {
    expect(m.includes).toEqual([
      { kind: 'requirements', path: 'other-requirements.txt', line: 13 },
      { kind: 'requirements', path: 'base.txt', line: 14 },
    ]);
    expect(m.indexes).toEqual([{ kind: 'find-links', value: './wheelhouse', line: 31 }]);
    expect(m.problems).toEqual([{ line: 38, message: "unknown option '--frobnicate'" }]);
  });
});

describe('extractRequirements: line handling', () => {
  const cases: [string, string, Partial<Dependency>[], { problems?: number; includes?: number; indexes?: number }?][] = [
    ['CRLF and BOM', '\uFEFFflask==2.0\r\nclick==8.0\r\n', [{ name: 'flask', line: 1 }, { name: 'click', line: 2 }]],
    ['continuation of the requirement itself', 'foo\\\n>=1.0,\\\n<2\n', [{ name: 'foo', specifier: '>=1.0,<2', line: 1 }]],
    ['comment ends a continuation', 'foo==1 \\\n  # via bar\nbaz==2\n', [{ name: 'foo', line: 1 }, { name: 'baz', line: 3 }]],
    ['hash on the same line and separated by a space', 'foo==1 --hash sha256:aa --hash=sha256:bb\n', [{ name: 'foo', hashes: ['sha256:aa', 'sha256:bb'] }]],
    ['# without whitespace is not a comment', 'pkg @ https://x.test/p.zip#sha256=00\n', [{ name: 'pkg', source: { kind: 'url', url: 'https://x.test/p.zip#sha256=00' } }]],
    ['indented requirement keeps its column', '   foo==1\n', [{ name: 'foo', column: 4 }]],
    ['short options with attached values', '-rbase.txt\n-cconstraints.txt\n-ihttp://mirror.test/simple\n', [], { includes: 2, indexes: 1 }],
    ['option without value', '--index-url\n', [], { problems: 1 }],
    ['only comments', '# nothing\n\n   # still nothing\n', []],
    ['empty file', '', []],
    ['env var in an index url is kept as written', '--extra-index-url https://${TOKEN}@pypi.test/simple\n', [], { indexes: 1 }],
  ];
  it.each(cases)('%s', (_title, text, deps, counts = {}) => {
    const m = extractRequirements('r.txt', text);
    expect(m.dependencies).toHaveLength(deps.length);
    deps.forEach((d, i) => expect(m.dependencies[i]).toMatchObject(d));
    expect(m.problems).toHaveLength(counts.problems ?? 0);
    expect(m.includes).toHaveLength(counts.includes ?? 0);
    expect(m.indexes).toHaveLength(counts.indexes ?? 0);
  });
  it('keeps env vars as written', () => {
    const m = extractRequirements('r.txt', '--extra-index-url https://${TOKEN}@pypi.test/simple\n');
    expect(m.indexes[0]?.value).toBe('https://${TOKEN}@pypi.test/simple');
  });
  it('never throws on garbage', () => {
    for (const text of ['\0\0\0', '-', '--', '\\', '[[[', '-e', 'foo @', '@@@ ; ;', 'a'.repeat(10000)]) {
      expect(() => extractRequirements('r.txt', text)).not.toThrow();
    }
  });
});
