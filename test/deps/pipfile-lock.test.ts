import { describe, expect, test } from '@jest/globals';
import { extractPipfileLock } from '../../src/deps/pipfile-lock/extract.js';
import { JsonKeyLines, jsonErrorLine } from '../../src/deps/pipfile-lock/json-lines.js';
import { dep, fixture, lineText } from './lock-helpers.js';

describe('Pipfile.lock', () => {
  const text = fixture('pipfile-lock', 'Pipfile.lock');
  const m = extractPipfileLock('Pipfile.lock', text);

  test('every package is on the line of its key', () => {
    expect(m.problems).toEqual([]);
    expect(m.dependencies).toHaveLength(8);
    for (const d of m.dependencies) {
      expect(d.locked).toBe(true);
      expect(lineText(text, d.line).trim()).toBe(`"${d.rawName}": {`);
      expect(d.text).toBe(`"${d.rawName}": {`);
    }
  });

  test.each([
    // name, group, version, line, hashes, source
    ['certifi', undefined, '2021.10.8', 24, 2, undefined],
    ['django', undefined, '3.2.10', 31, 1, undefined],
    ['private-sdk', undefined, '1.4.0', 39, 0, { kind: 'index', url: 'http://pypi.internal.example.com/simple' }],
    ['requests', undefined, '2.26.0', 44, 1, undefined],
    ['certifi', 'dev', '2021.10.8', 63, 1, undefined],
    ['pytest', 'dev', '6.2.5', 69, 1, undefined],
  ])('%s (%s)', (name, group, version, line, hashCount, source) => {
    const d = m.dependencies.find((x) => x.name === name && x.group === group);
    expect(d).toBeDefined();
    expect(d?.version).toBe(version);
    expect(d?.specifier).toBe(`==${version}`);
    expect(d?.line).toBe(line);
    expect(d?.hashes?.length ?? 0).toBe(hashCount);
    expect(d?.source).toEqual(source);
    expect(d?.skipReason).toBeUndefined();
  });

  test('markers, extras, git sources and non-exact versions', () => {
    expect(dep(m, 'django').marker).toBe("python_version >= '3.6'");
    expect(dep(m, 'requests').extras).toEqual(['socks']);
    expect(dep(m, 'mylib')).toMatchObject({
      editable: true,
      specifier: '',
      source: { kind: 'vcs', url: 'git+https://github.com/example/mylib.git@4f2c7d1a9e0b3c5d7f9a1b3c5d7e9f1a3b5c7d9e' },
      skipReason: 'no version: locked to a vcs source',
    });
    expect(dep(m, 'version-key-test').skipReason).toMatch(/not an exact pin/);
  });

  test('sources become index settings (verify_ssl false → trusted-host); python_version → pythonRequires', () => {
    expect(m.indexes).toEqual([
      { kind: 'index-url', value: 'https://pypi.org/simple', line: 13 },
      { kind: 'extra-index-url', value: 'http://pypi.internal.example.com/simple', line: 18 },
      { kind: 'trusted-host', value: 'pypi.internal.example.com', line: 19 },
    ]);
    expect(m.pythonRequires).toEqual({ specifier: '==3.8.*', line: 8 });
  });
});

describe('Pipfile.lock, broken files', () => {
  test.each([
    ['truncated JSON', '{\n  "default": {\n    "a": {"version": "==1"\n', /not valid JSON/],
    ['not an object', '[1, 2]', /not a JSON object/],
    ['default is not an object', '{"_meta": {}, "default": []}', /`default` is not an object/],
  ])('%s', (_l, text, message) => {
    const m = extractPipfileLock('Pipfile.lock', text);
    expect(m.problems[0]?.message).toMatch(message);
    expect(m.dependencies).toEqual([]);
  });

  test('an entry that is not an object is kept with a skip reason', () => {
    const m = extractPipfileLock('Pipfile.lock', '{\n "_meta": {},\n "default": {\n  "weird": "==1.0"\n }\n}');
    expect(m.dependencies[0]).toMatchObject({ name: 'weird', line: 4, skipReason: 'the lock entry is not an object' });
  });

  test('a JSON syntax error carries a line', () => {
    const m = extractPipfileLock('Pipfile.lock', '{\n  "default": {\n    "a": {"version": "==1",,}\n  }\n}\n');
    expect(m.problems[0]?.line).toBe(3);
  });
});

describe('JSON key line scanner', () => {
  test.each([
    ['nested keys', '{\n "a": {\n  "b": 1,\n  "c": {"d": 2}\n }\n}', ['a', 'c', 'd'], 4],
    ['array indices', '{"s": [\n {"u": 1},\n {"u": 2}\n]}', ['s', 1, 'u'], 3],
    ['same key under different parents', '{"x": {"k": 1},\n "y": {\n "k": 2}}', ['y', 'k'], 3],
    ['escaped quotes and braces in strings', '{"a": "he said \\"{\\" ok",\n "b\\"q": 1}', ['b"q'], 2],
    ['missing key', '{"a": 1}', ['b'], undefined],
  ])('%s', (_l, text, path, line) => {
    expect(new JsonKeyLines(text).lineOf(path)).toBe(line);
  });

  test('values are not keys', () => {
    expect(new JsonKeyLines('{"a": "b"}').lineOf(['b'])).toBeUndefined();
  });

  test.each([
    ['position', 'ab\ncd\nef', 'Unexpected token in JSON at position 4', 2],
    ['line/column', 'x', "Expected ',' (line 7 column 3)", 7],
    ['neither', 'x', 'Unexpected end of JSON input', undefined],
  ])('jsonErrorLine: %s', (_l, text, message, line) => {
    expect(jsonErrorLine(text, message)).toBe(line);
  });
});
