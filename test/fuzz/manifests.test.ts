/**
 * Fuzzing the dependency extractors and `analyzeManifests` (issue 6): generated and mutated
 * requirements files, pyproject/Pipfile/lock TOML, environment.yml, Dockerfiles and interpreter
 * pins. Extractors and analyzeManifests must never throw, must answer within 2 s per input,
 * and must give findings with sane positions and 32-hex fingerprints.
 * Sizes and seeds: see test/fuzz/runs.ts (PYSEC_FUZZ_RUNS, PYSEC_FUZZ_SEED).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { params, TIMEOUT, timed, timedAsync } from './runs.js';
import { manifestKind } from '../../src/deps/registry.js';
import { extractRuntimeFile } from '../../src/deps/runtime/extract.js';
import { analyzeManifests } from '../../src/deps/analyze.js';
import { defaultConfig } from '../../src/config/schema.js';
import type { Finding } from '../../src/core/types.js';

/**
 * Lines, counting a lone CR as a break too: the requirements extractor splits like Python's
 * `splitlines()` (as pip does), while the tree-sitter engine counts only LF. Both are accepted.
 */
function lineCount(text: string): number {
  return text.split(/\r\n|\r|\n/).length;
}

function checkFinding(f: Finding, text: string): void {
  const lines = lineCount(text);
  const { start, end } = f.range;
  const where = `${f.ruleId} ${f.path} ${JSON.stringify(f.range)} in ${lines} lines`;
  if (!Number.isInteger(start.line) || start.line < 1 || start.line > lines) throw new Error(`bad start line: ${where}`);
  if (!Number.isInteger(end.line) || end.line < 1 || end.line > lines) throw new Error(`bad end line: ${where}`);
  if (!(start.column >= 1) || !(end.column >= 1)) throw new Error(`bad column: ${where}`);
  if (start.line > end.line || (start.line === end.line && start.column > end.column)) throw new Error(`start after end: ${where}`);
  if (!/^[0-9a-f]{32}$/.test(f.fingerprint)) throw new Error(`bad fingerprint: ${f.ruleId} ${f.fingerprint}`);
}

// ---------------------------------------------------------------------------------------------
// Generators

const PKGS = ['requests', 'Django', 'flask', 'PyYAML', 'urllib3', 'jinja2', 'pillow', 'numpy', 'my_pkg.sub', 'a', 'x-y_z', 'ünï'];
const OPS = ['==', '>=', '<=', '~=', '!=', '===', '>', '<', '==', ''];
const VERSIONS = fc.oneof(
  fc.constantFrom('1.0', '2.31.0', '0.0.1a1', '1!2.0', '3.2.*', '1.0.post1.dev2', '4.0rc1', '1.0+local.7', 'latest', '', '*', '..', '1..2', '99999999999999999999'),
  fc.array(fc.nat(40), { minLength: 1, maxLength: 4 }).map((a) => a.join('.')),
);
const spec = fc.tuple(fc.constantFrom(...OPS), VERSIONS, fc.option(fc.tuple(fc.constantFrom(...OPS), VERSIONS), { nil: undefined })).map(
  ([op, v, more]) => `${op}${v}${more ? `,${more[0]}${more[1]}` : ''}`,
);
const MARKERS = fc.constantFrom(
  '', '; python_version < "3.8"', "; sys_platform == 'win32'", '; extra == "dev"', '; python_version >= "3.6" and os_name != "nt"', '; (', ';',
);
const EXTRAS = fc.constantFrom('', '[security]', '[a,b]', '[', '[]');
const HASH = fc.tuple(fc.constantFrom('sha256', 'md5', 'sha512', ''), fc.stringMatching(/^[0-9a-f]{0,64}$/)).map(([a, h]) => `--hash=${a}:${h}`);
const garbage = fc.oneof(fc.string({ maxLength: 20 }), fc.string({ unit: 'grapheme', maxLength: 10 }), fc.string({ unit: 'binary', maxLength: 10 }));

const reqLine = fc.oneof(
  fc.tuple(fc.constantFrom(...PKGS), EXTRAS, spec, MARKERS, fc.array(HASH, { maxLength: 2 }), fc.boolean()).map(
    ([n, e, s, m, hs, cont]) => `${n}${e}${s}${m}${hs.map((h) => (cont ? ` \\\n    ${h}` : ` ${h}`)).join('')}`,
  ),
  fc.constantFrom(
    '-r other.txt', '-c constraints.txt', '--requirement ../base.txt', '-e .', '-e git+https://github.com/a/b.git#egg=b', '--index-url http://pypi.internal/simple',
    '-i https://user:pw@example.com/simple', '--extra-index-url https://x/simple', '--trusted-host pypi.internal', '--find-links ./wheels', '--no-index',
    '--pre', '--require-hashes', 'https://example.com/pkg-1.0.tar.gz', 'pkg @ https://example.com/pkg.whl', './local/path', 'file:///tmp/x.whl',
    '# comment', '   ', '\\', 'requests \\', '--hash', '-', '--', '@', 'requests==1.0 # pysec: ignore[unpinned-dependency]', 'requests>=1 # nosec',
    '${VAR}==1.0', 'name==${VERSION}',
  ),
  garbage,
);
const requirements = fc.array(reqLine, { maxLength: 12 }).chain((ls) => fc.constantFrom('\n', '\r\n').map((eol) => ls.join(eol)));

const tomlValue: fc.Arbitrary<string> = fc.oneof(
  spec.map((s) => JSON.stringify(s)),
  fc.tuple(spec, MARKERS).map(([s, m]) => `{ version = ${JSON.stringify(s)}, markers = ${JSON.stringify(m.replace(/^; /, ''))} }`),
  fc.constantFrom('"*"', '{ git = "https://github.com/a/b.git", rev = "main" }', '{ path = "../x", develop = true }', '[{ version = "1" }, { version = "2" }]', '1', 'true', '{', '"', '{ version = 3 }', '[]', '{}'),
);
const pyproject = fc
  .tuple(
    fc.array(fc.tuple(fc.constantFrom(...PKGS), EXTRAS, spec, MARKERS).map(([n, e, s, m]) => JSON.stringify(`${n}${e}${s}${m}`)), { maxLength: 4 }),
    fc.array(fc.tuple(fc.constantFrom(...PKGS, 'python'), tomlValue), { maxLength: 4 }),
    fc.option(spec, { nil: undefined }),
    fc.array(garbage, { maxLength: 2 }),
  )
  .map(
    ([deps, poetry, rp, junk]) =>
      `[project]\nname = "x"\n${rp !== undefined ? `requires-python = ${JSON.stringify(rp)}\n` : ''}dependencies = [${deps.join(', ')}]\n\n` +
      `[project.optional-dependencies]\ndev = [${deps.slice(0, 1).join(', ')}]\n\n` +
      `[tool.poetry.dependencies]\n${poetry.map(([k, v]) => `${JSON.stringify(k)} = ${v}`).join('\n')}\n` +
      `[[tool.poetry.source]]\nname = "internal"\nurl = "http://pypi.internal/simple"\n${junk.join('\n')}\n`,
  );
const pipfile = fc
  .tuple(fc.array(fc.tuple(fc.constantFrom(...PKGS), tomlValue), { maxLength: 5 }), fc.option(VERSIONS, { nil: undefined }), fc.array(garbage, { maxLength: 2 }))
  .map(
    ([pkgs, py, junk]) =>
      `[[source]]\nurl = "http://pypi.org/simple"\nverify_ssl = false\nname = "pypi"\n\n[packages]\n${pkgs.map(([k, v]) => `${JSON.stringify(k)} = ${v}`).join('\n')}\n\n` +
      `[dev-packages]\n\n[requires]\n${py !== undefined ? `python_version = ${JSON.stringify(py)}\n` : ''}${junk.join('\n')}`,
  );
const environmentYml = fc
  .tuple(fc.array(fc.oneof(fc.tuple(fc.constantFrom(...PKGS, 'python'), fc.constantFrom('=', '==', '>=', ' ', ''), VERSIONS).map(([n, o, v]) => `  - ${n}${o}${v}`), fc.constantFrom('  - pip:', '    - requests==1.0', '  - conda-forge::numpy', '  -', '- {a: b}', '  - [1]')), { maxLength: 6 }), garbage)
  .map(([ds, junk]) => `name: env\nchannels:\n  - defaults\ndependencies:\n${ds.join('\n')}\n${junk}`);
const dockerfile = fc
  .array(
    fc.oneof(
      fc.tuple(fc.constantFrom('python', 'docker.io/library/python', 'pypy', 'ubuntu', 'python@sha256'), fc.constantFrom(':', ':', '@', ''), VERSIONS, fc.constantFrom('', '-slim', '-alpine3.19', '-slim-bookworm', ' AS build')).map(
        ([img, sep, v, sfx]) => `FROM ${img}${sep}${v}${sfx}`,
      ),
      fc.constantFrom('ARG PYTHON_VERSION=3.7', 'FROM python:${PYTHON_VERSION}-slim', 'ENV PYTHON_VERSION 3.6.1', 'RUN pip install -r requirements.txt \\', '  && true', 'FROM --platform=$BUILDPLATFORM python:3.12', 'FROM', '# syntax=docker/dockerfile:1', 'RUN apt-get install python3.8'),
      garbage,
    ),
    { maxLength: 6 },
  )
  .map((ls) => ls.join('\n'));
const pythonVersion = fc.oneof(VERSIONS, fc.constantFrom('3.7\n3.12', 'pypy3.9-7.3', 'system', '3.11.4 # comment', 'python-3.6.2'), garbage);

// Real files for mutation: every fixture, keyed by the name its extractor expects.
const ROOT = join(import.meta.dirname, '..', '..');
const FIX = join(ROOT, 'test', 'fixtures', 'deps');
function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}
function targetName(file: string): string {
  const rel = file.slice(FIX.length + 1);
  const [dir, base] = [rel.slice(0, rel.indexOf('/')), rel.slice(rel.lastIndexOf('/') + 1)];
  switch (dir) {
    case 'pip':
      return 'requirements.txt';
    case 'pyproject':
      return 'pyproject.toml';
    case 'poetry-lock':
      return 'poetry.lock';
    case 'uv-lock':
      return 'uv.lock';
    case 'pdm-lock':
      return 'pdm.lock';
    case 'conda':
      return 'environment.yml';
    case 'setuptools':
      return base.endsWith('.py') ? 'setup.py' : 'setup.cfg';
    case 'runtime':
      return base === 'ci.yml' ? '.github/workflows/ci.yml' : base;
    default:
      return base;
  }
}
const REAL = walk(FIX)
  .map((f) => ({ path: targetName(f), text: readFileSync(f, 'utf8') }))
  .concat(
    ['requirements.txt', 'Dockerfile', 'setup.py'].map((n) => ({ path: n, text: readFileSync(join(ROOT, 'examples', 'vulnerable-flask', n), 'utf8') })),
  );

type Mutation = { op: 'delete' | 'duplicate' | 'truncate'; a: number; b: number } | { op: 'insert'; a: number; text: string };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constantFrom('delete', 'duplicate', 'truncate') as fc.Arbitrary<'delete' | 'duplicate' | 'truncate'>, a: fc.nat(), b: fc.nat(120) }),
  fc.record({ op: fc.constant('insert' as const), a: fc.nat(), text: fc.oneof(garbage, fc.constantFrom('"', '[', ']', '{', '}', '=', '\n', '\\\n', '"""', '\uFEFF', '\0', '# nosec')) }),
);
function mutate(text: string, ms: readonly Mutation[]): string {
  let t = text;
  for (const m of ms) {
    const a = t.length === 0 ? 0 : m.a % (t.length + 1);
    if (m.op === 'insert') t = t.slice(0, a) + m.text + t.slice(a);
    else if (m.op === 'truncate') t = t.slice(0, a);
    else {
      const b = Math.min(t.length, a + m.b);
      t = m.op === 'delete' ? t.slice(0, a) + t.slice(b) : t.slice(0, b) + t.slice(a, b) + t.slice(b);
    }
  }
  return t;
}

/** A manifest: (path, text), generated or a mutated real file. */
const manifest: fc.Arbitrary<{ path: string; text: string }> = fc.oneof(
  fc.tuple(fc.constantFrom('requirements.txt', 'requirements/dev.in', 'requirements-dev.txt', 'requirements/base.txt'), requirements).map(([path, text]) => ({ path, text })),
  pyproject.map((text) => ({ path: 'pyproject.toml', text })),
  pipfile.map((text) => ({ path: 'Pipfile', text })),
  environmentYml.map((text) => ({ path: 'environment.yml', text })),
  fc.tuple(fc.constantFrom('Dockerfile', 'docker/Dockerfile.prod', 'Containerfile'), dockerfile).map(([path, text]) => ({ path, text })),
  fc.tuple(fc.constantFrom('.python-version', 'runtime.txt'), pythonVersion).map(([path, text]) => ({ path, text })),
  fc.tuple(fc.constantFrom(...REAL), fc.array(mutation, { minLength: 1, maxLength: 5 })).map(([f, ms]) => ({ path: f.path, text: mutate(f.text, ms) })),
  fc.tuple(fc.constantFrom(...REAL), garbage).map(([f, g]) => ({ path: f.path, text: g })),
);

// ---------------------------------------------------------------------------------------------

describe('fuzz: dependency manifests', () => {
  it('every fixture is read by some extractor', () => {
    expect(REAL.length).toBeGreaterThan(20);
    for (const f of REAL) expect([f.path, manifestKind(f.path) !== undefined]).toEqual([f.path, true]);
  });

  it(
    'extractors never throw and answer in < 2 s',
    () => {
      fc.assert(
        fc.property(manifest, ({ path, text }) => {
          const kind = manifestKind(path);
          if (!kind) throw new Error(`no extractor for ${path}`);
          timed(`extract ${path}`, () => {
            if (kind.manager !== undefined) {
              const m = kind.extract(path, text);
              for (const d of m.dependencies) if (typeof d.name !== 'string') throw new Error('dependency without a name');
            }
            if (kind.runtime) extractRuntimeFile(path, text);
          });
        }),
        params(800, 0.15),
      );
    },
    TIMEOUT,
  );

  it(
    'analyzeManifests (no advisory source) never throws and gives sane findings',
    async () => {
      const config = defaultConfig();
      const now = new Date('2026-01-01T00:00:00Z');
      await fc.assert(
        fc.asyncProperty(fc.uniqueArray(manifest, { minLength: 1, maxLength: 4, selector: (m) => m.path }), fc.boolean(), async (files, partial) => {
          const r = await timedAsync('analyzeManifests', () => analyzeManifests(files, { config, now, partial }));
          const texts = new Map(files.map((f) => [f.path, f.text]));
          if (r.diagnostics.some((d) => d.kind === 'rule-error')) throw new Error(`rule errors: ${JSON.stringify(r.diagnostics)}`);
          for (const f of [...r.findings, ...r.suppressed.map((s) => s.finding)]) {
            const text = texts.get(f.path);
            if (text === undefined) throw new Error(`finding for unknown path ${f.path}`);
            checkFinding(f, text);
          }
        }),
        params(400, 0.1),
      );
    },
    TIMEOUT,
  );
});
