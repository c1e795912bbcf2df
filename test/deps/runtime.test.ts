import { describe, expect, test } from '@jest/globals';
import { runtimeStatus } from '../../src/deps/runtime/eol.js';
import { extractPythonRuntimes, extractRuntimeFile, runtimeSourceOf } from '../../src/deps/runtime/extract.js';
import { braceExpand, toxFactorVersion } from '../../src/deps/runtime/tox.js';
import { dockerTagVersion, parseRuntimeVersion } from '../../src/deps/runtime/version.js';
import { fixture } from './lock-helpers.js';

const pins = (path: string, text: string) => extractPythonRuntimes(path, text).map((p) => [p.line, p.version]);

describe('runtimeSourceOf', () => {
  test.each([
    ['Dockerfile', 'dockerfile'],
    ['docker/Dockerfile.prod', 'dockerfile'],
    ['build/api.dockerfile', 'dockerfile'],
    ['Containerfile', 'dockerfile'],
    ['.python-version', 'python-version'],
    ['svc/runtime.txt', 'runtime.txt'],
    ['tox.ini', 'tox'],
    ['.github/workflows/ci.yml', 'github-actions'],
    ['.github/workflows/release.yaml', 'github-actions'],
    ['.github\\workflows\\win.yml', 'github-actions'],
    ['Pipfile', 'pipfile'],
    ['environment.yml', 'conda'],
    ['envs/environment-dev.yaml', 'conda'],
    ['Pipfile.lock', undefined],
    ['docs/ci.yml', undefined],
    ['.github/workflows/sub/x.yml', undefined],
    ['requirements.txt', undefined],
  ])('%s → %s', (path, source) => {
    expect(runtimeSourceOf(path)).toBe(source);
  });

  test('a file that is not a runtime file gives nothing', () => {
    expect(extractRuntimeFile('README.md', 'FROM python:2.7')).toEqual({ pins: [], problems: [] });
  });
});

describe('version readers', () => {
  test.each([
    ['3.8', '3.8'],
    ['3.8.10', '3.8.10'],
    ['2.7', '2.7'],
    ['3.13t', '3.13'],
    ['3.12-dev', '3.12'],
    ['3.13.0-alpha.1', '3.13.0'],
    ['3.11.0rc1', '3.11.0rc1'],
    ['pypy3.9-7.3.11', '3.9'],
    ['pypy-3.10', '3.10'],
    ['cpython-3.12.1-linux-x86_64-gnu', '3.12.1'],
    ['3', undefined],
    ['3.x', undefined],
    ['system', undefined],
    ['miniconda3-4.7.12', undefined],
    ['anaconda3-2020.11', undefined],
    ['>=3.9', undefined],
    ['${{ matrix.python-version }}', undefined],
  ])('parseRuntimeVersion(%j) = %j', (token, version) => {
    expect(parseRuntimeVersion(token)).toBe(version);
  });

  test.each([
    ['3.8-slim', '3.8'],
    ['3.9.18-alpine3.18', '3.9.18'],
    ['3.13.0rc2-bookworm', '3.13.0rc2'],
    ['3.12', '3.12'],
    ['3-slim', undefined],
    ['latest', undefined],
    ['slim-bookworm', undefined],
  ])('dockerTagVersion(%j) = %j', (tag, version) => {
    expect(dockerTagVersion(tag)).toBe(version);
  });
});

describe('Dockerfile', () => {
  test('the fixture: ARG defaults, flags, digests, mirrors, stages, continuations', () => {
    const text = fixture('runtime', 'Dockerfile');
    const result = extractPythonRuntimes('Dockerfile', text);
    expect(result.map((p) => [p.line, p.version, p.text])).toEqual([
      [2, '3.8', 'ARG PYTHON_VERSION=3.8'],
      [9, '3.9', expect.stringContaining('FROM docker.io/library/python:3.9@sha256:')],
      [14, '3.7.17', 'FROM public.ecr.aws/docker/library/python:3.7.17-alpine3.18 AS mirror'],
      [18, '3.6', 'FROM python:${PY:-3.6}-alpine'],
    ]);
    expect(result.every((p) => p.source === 'dockerfile' && p.path === 'Dockerfile')).toBe(true);
  });

  test.each([
    ['plain', 'FROM python:3.8-slim\n', [[1, '3.8']]],
    ['lower-case keyword', 'from python:3.10\n', [[1, '3.10']]],
    ['platform flag and AS', 'FROM --platform=linux/amd64 python:3.7 AS build\n', [[1, '3.7']]],
    ['quoted ARG default, $VAR form', 'ARG V="3.9"\nFROM python:$V\n', [[1, '3.9']]],
    ['ARG with several declarations', 'ARG A=1 PY=2.7\nFROM python:${PY}\n', [[1, '2.7']]],
    ['whole image from an ARG', 'ARG BASE=python:3.6-slim\nFROM ${BASE}\n', [[1, '3.6']]],
    ['ARG inside a stage does not reach FROM', 'FROM alpine\nARG PY=3.5\nFROM python:${PY}\n', []],
    ['ARG without default', 'ARG PY\nFROM python:${PY}-slim\n', []],
    ['no tag', 'FROM python\n', []],
    ['digest only', 'FROM python@sha256:abcdef\n', []],
    ['another image named like python', 'FROM ghcr.io/acme/python:3.6\nFROM pypy:3.9\n', []],
    ['backtick escape directive', '# escape=`\nFROM `\n  python:3.8\n', [[2, '3.8']]],
    ['comment inside a continuation', 'FROM \\\n# a comment\n  python:3.9\n', [[1, '3.9']]],
  ])('%s', (_l, text, expected) => {
    expect(pins('Dockerfile', text)).toEqual(expected);
  });

  test('FROM without an image is a problem, not a throw', () => {
    expect(extractRuntimeFile('Dockerfile', 'FROM --platform=linux/amd64\n').problems).toEqual([{ line: 1, message: 'FROM without an image' }]);
  });
});

describe('.python-version and runtime.txt', () => {
  test('.python-version: several per line, pypy mapped, system skipped', () => {
    const result = extractPythonRuntimes('.python-version', fixture('runtime', '.python-version'));
    expect(result.map((p) => [p.line, p.version, p.text])).toEqual([
      [2, '3.8.10', '3.8.10'],
      [2, '3.9.18', '3.9.18'],
      [3, '3.9', 'pypy3.9-7.3.11'],
      [5, '3.12', '3.12'],
    ]);
    expect(result[0]?.source).toBe('python-version');
  });

  test.each([
    ['python-3.8.10\n', [[1, '3.8.10']]],
    ['python-3.12', [[1, '3.12']]],
    ['\n  python-2.7.18  \n', [[2, '2.7.18']]],
    ['ruby-3.2.0\n', []],
    ['', []],
  ])('runtime.txt %j', (text, expected) => {
    expect(pins('runtime.txt', text)).toEqual(expected);
  });

  test('runtime.txt fixture', () => {
    expect(extractPythonRuntimes('runtime.txt', fixture('runtime', 'runtime.txt'))).toEqual([
      { path: 'runtime.txt', line: 1, version: '3.8.10', source: 'runtime.txt', text: 'python-3.8.10' },
    ]);
  });
});

describe('tox.ini', () => {
  test.each([
    ['py{39,310}-django{32,42}', ['py39-django32', 'py39-django42', 'py310-django32', 'py310-django42']],
    ['py3{8-11}', ['py38', 'py39', 'py310', 'py311']],
    ['lint', ['lint']],
    ['{py37,pypy3}-{a,b}', ['py37-a', 'py37-b', 'pypy3-a', 'pypy3-b']],
  ])('braceExpand(%j)', (s, expected) => {
    expect(braceExpand(s)).toEqual(expected);
  });

  test.each([
    ['py37', '3.7'],
    ['py310', '3.10'],
    ['py3.12', '3.12'],
    ['py27', '2.7'],
    ['pypy39', '3.9'],
    ['py3', undefined],
    ['pypy3', undefined],
    ['py', undefined],
    ['django32', undefined],
  ])('toxFactorVersion(%j)', (f, v) => {
    expect(toxFactorVersion(f)).toBe(v);
  });

  test('the fixture: envlist with continuation lines, testenv sections, basepython', () => {
    expect(pins('tox.ini', fixture('runtime', 'tox.ini'))).toEqual([
      [2, '3.7'],
      [2, '3.8'],
      [2, '3.9'],
      [2, '3.10'],
      [11, '3.6'],
      [12, '3.6'],
      [15, '3.11'],
    ]);
  });

  test.each([
    ['tox 4 env_list', '[tox]\nenv_list =\n    py311\n    py312\n', [[3, '3.11'], [4, '3.12']]],
    ['envlist outside [tox] is ignored', '[other]\nenvlist = py27\n', []],
    ['a testenv section the envlist names is not repeated', '[tox]\nenvlist = py38\n[testenv:py38]\ncommands = x\n', [[2, '3.8']]],
    ['inline comment', '[tox]\nenvlist = py38 # , py27\n', [[2, '3.8']]],
    ['not really ini', 'garbage [[[ =\n', []],
  ])('%s', (_l, text, expected) => {
    expect(pins('tox.ini', text)).toEqual(expected);
  });
});

describe('GitHub Actions workflows', () => {
  const text = fixture('runtime', 'ci.yml');
  const result = extractRuntimeFile('.github/workflows/ci.yml', text);

  test('matrix lists (3.10 read from the source, not as 3.1), include, setup-python, containers; not exclude', () => {
    expect(result.problems).toEqual([]);
    expect(result.pins.map((p) => [p.line, p.version])).toEqual([
      [9, '3.7'],
      [9, '3.8'],
      [9, '3.9'],
      [9, '3.10'],
      [12, '3.6'],
      [23, '3.11'],
      [28, '3.12'],
      [29, '3.13'],
      [32, '3.10'],
      [37, '2.7'],
      [37, '3.5'],
    ]);
    expect(result.pins[0]).toMatchObject({ source: 'github-actions', text: 'python-version: ["3.7", "3.8", 3.9, 3.10, "pypy-3.9", "3.x"]' });
  });

  test.each([
    ['container as a map', 'jobs:\n  a:\n    container:\n      image: python:3.8\n', [[4, '3.8']]],
    ['setup-python with a single float', 'jobs:\n  a:\n    steps:\n      - uses: actions/setup-python@v5\n        with:\n          python-version: 3.10\n', [[6, '3.10']]],
    ['another action with python-version is ignored', 'jobs:\n  a:\n    steps:\n      - uses: other/action@v1\n        with:\n          python-version: 3.6\n', []],
    ['a matrix from an expression', 'jobs:\n  a:\n    strategy:\n      matrix: ${{ fromJson(needs.x.outputs.m) }}\n', []],
    ['no jobs', 'name: x\non: push\n', []],
    ['empty file', '', []],
  ])('%s', (_l, yaml, expected) => {
    expect(pins('.github/workflows/x.yml', yaml)).toEqual(expected);
  });

  test('broken YAML: a problem with a line, no throw', () => {
    const r = extractRuntimeFile('.github/workflows/x.yml', 'jobs:\n  a:\n    strategy: [\n');
    expect(r.problems[0]?.message).toMatch(/not valid YAML/);
    expect(r.problems[0]?.line).toBeGreaterThan(0);
  });
});

describe('Pipfile and conda', () => {
  test('Pipfile [requires] python_version', () => {
    expect(extractPythonRuntimes('Pipfile', fixture('runtime', 'Pipfile'))).toEqual([
      { path: 'Pipfile', line: 10, version: '3.7', source: 'pipfile', text: 'python_version = "3.7"' },
    ]);
  });

  test.each([
    ['full version wins', '[requires]\npython_version = "3.8"\npython_full_version = "3.8.10"\n', [[3, '3.8.10']]],
    ['no [requires]', '[packages]\nx = "*"\n', []],
    ['a range is not a pin', '[requires]\npython_version = "*"\n', []],
  ])('Pipfile: %s', (_l, text, expected) => {
    expect(pins('Pipfile', text)).toEqual(expected);
  });

  test('broken Pipfile: a problem', () => {
    const r = extractRuntimeFile('Pipfile', '[requires\npython_version = "3.7"\n');
    expect(r.pins).toEqual([]);
    expect(r.problems[0]?.message).toMatch(/not valid TOML/);
  });

  test.each([
    ['python=3.8', [[3, '3.8']]],
    ['python==3.8.10', [[3, '3.8.10']]],
    ['python 3.9', [[3, '3.9']]],
    ['python=3.10.*', [[3, '3.10']]],
    ['python>=3.8', []],
    ['python', []],
  ])('conda %s', (spec, expected) => {
    const r = extractPythonRuntimes('environment.yml', `name: x\ndependencies:\n  - ${spec}\n  - numpy\n`);
    expect(r.map((p) => [p.line, p.version])).toEqual(expected);
    if (r[0]) expect(r[0]).toMatchObject({ source: 'conda', text: spec });
  });
});

describe('runtimeStatus (fixed dates, never the clock)', () => {
  const on = (iso: string) => new Date(`${iso}T12:00:00Z`);
  test.each([
    // version, now, warnDays, status, eolDate
    ['3.8', '2025-01-01', 180, 'eol', '2024-10-07'],
    ['3.8.10', '2024-10-07', 180, 'eol-soon', '2024-10-07'], // the EOL day itself is the last supported day
    ['3.8', '2024-10-08', 180, 'eol', '2024-10-07'],
    ['3.9', '2025-06-01', 180, 'eol-soon', '2025-10-31'],
    ['3.9', '2025-06-01', 90, 'supported', '2025-10-31'],
    ['3.9', '2025-06-01', 0, 'supported', '2025-10-31'],
    ['3.12', '2025-06-01', 180, 'supported', '2028-10-01'],
    ['2.7', '2025-06-01', 180, 'eol', '2020-01-01'],
    ['2.7', '2019-12-01', 60, 'eol-soon', '2020-01-01'],
    ['3.13.0rc1', '2025-06-01', 180, 'supported', '2029-10-01'],
    ['2.5', '2025-06-01', 180, 'eol', undefined],
    ['3.99', '2025-06-01', 180, 'unknown', undefined],
    ['4.0', '2025-06-01', 180, 'unknown', undefined],
    ['garbage', '2025-06-01', 180, 'unknown', undefined],
  ])('%s on %s (warn %d days) → %s', (version, now, warnDays, status, eolDate) => {
    const r = runtimeStatus(version, on(now), warnDays);
    expect(r.status).toBe(status);
    expect(r.eolDate).toBe(eolDate);
  });

  test('an invalid date gives unknown', () => {
    expect(runtimeStatus('3.8', new Date('nope'), 30)).toEqual({ status: 'unknown' });
  });
});
