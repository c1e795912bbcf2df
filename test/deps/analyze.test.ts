import { describe, expect, it } from '@jest/globals';
import { applyFixes } from '../../src/core/fix.js';
import { AdvisoryUnavailable, type AdvisorySource } from '../../src/deps/advisories/index.js';
import { analyzeManifests, describeAdvisories, lowestAdmitted, redactUrl } from '../../src/deps/analyze.js';
import { NOW, analyze, at, config, osvDb } from '../helpers/deps.js';

const DJANGO = 'django==3.2.10\n';

describe('vulnerable-dependency', () => {
  it('flags django==3.2.10 once, on the version, with every advisory and the fix to 3.2.24', async () => {
    const text = '# web app\nrequests==2.32.3\n  django==3.2.10  # LTS\n';
    const r = await analyze({ 'requirements.txt': text });
    const vulns = r.findings.filter((f) => f.ruleId === 'vulnerable-dependency');
    expect(vulns).toHaveLength(1);
    const f = vulns[0]!;
    expect(f.range).toEqual({ start: { line: 3, column: 11 }, end: { line: 3, column: 17 } });
    expect(f.statementLines).toEqual({ start: 3, end: 3 });
    expect(f.snippet).toBe('django==3.2.10');
    expect(f.area).toBe('dependencies');
    expect(f.cwe).toEqual(['CWE-1395']);
    expect(f.owasp).toEqual(['A06:2021']);
    expect(f.severity).toBe('high'); // PYSEC records rate nothing: high by default
    expect(f.confidence).toBe('high');
    expect(f.messageId).toBe('fix');
    expect(f.message).toMatch(/^django 3\.2\.10 has 3 known vulnerabilities: /);
    for (const id of ['PYSEC-2023-61', 'CVE-2023-31047', 'PYSEC-2023-222', 'PYSEC-2024-28']) expect(f.message).toContain(id);
    expect(f.message).toMatch(/Upgrade to 3\.2\.24, the smallest version that fixes all of them\.$/);
    expect(f.fix?.description).toBe('Upgrade django to 3.2.24');
    expect(applyFixes(text, [f])).toBe('# web app\nrequests==2.32.3\n  django==3.2.24  # LTS\n');
    expect(f.fix?.edits[0]?.range).toEqual(f.range);
    expect(r.advisories).toBe('checked');
    expect(r.manifests).toBe(1);
    expect(r.dependencies).toBe(2);
  });

  it('merges aliases across databases and takes the highest rated severity', async () => {
    const r = await analyze({ 'requirements.txt': 'urllib3==1.26.4\n' });
    const [f] = r.findings;
    expect(f?.ruleId).toBe('vulnerable-dependency');
    // PYSEC-2023-192 and GHSA-v845-jxx5-vc9f are one advisory (CVE-2023-43804).
    expect(f?.message).toContain('GHSA-v845-jxx5-vc9f (PYSEC-2023-192, CVE-2023-43804), high: `Cookie` HTTP header');
    expect(f?.message.match(/CVE-2023-43804/g)).toHaveLength(1);
    expect(f?.severity).toBe('high');
    expect(f?.message).toContain('Upgrade to 1.26.18');
  });

  it('says when no fixed version exists, and offers no fix', async () => {
    const r = await analyze({ 'requirements.txt': 'py==1.11.0\n' });
    const [f] = r.findings;
    expect(f?.messageId).toBe('noFix');
    expect(f?.message).toContain('No fixed version is known (PYSEC-2022-42969: last affected version is 1.11.0; no fixed version is published)');
    expect(f?.fix).toBeUndefined();
  });

  it('says when the fix is a new major version', async () => {
    const r = await analyze({ 'requirements.txt': 'jinja2==2.10\n' });
    const [f] = r.findings;
    expect(f?.message).toContain('Upgrade to 3.1.4, the smallest version that fixes all of them (a new major version: check the changelog for breaking changes).');
    expect(f?.fix?.edits[0]?.text).toBe('3.1.4');
  });

  it('does not flag a fixed version, a withdrawn advisory or an unknown package', async () => {
    const r = await analyze({ 'requirements.txt': 'django==3.2.24\naiohttp==3.8.0\nnot-in-the-db==0.1\n' });
    expect(at(r, 'vulnerable-dependency')).toEqual([]);
  });

  it('lock files: a finding on the entry, no edit, and the lock tool in the message', async () => {
    const lock = '[[package]]\nname = "django"\nversion = "3.2.10"\ndescription = ""\noptional = false\npython-versions = ">=3.6"\nfiles = []\n\n[metadata]\nlock-version = "2.0"\npython-versions = "^3.8"\ncontent-hash = "x"\n';
    const r = await analyze({ 'poetry.lock': lock });
    const [f] = r.findings;
    expect(f?.ruleId).toBe('vulnerable-dependency');
    expect(f?.range.start).toEqual({ line: 2, column: 1 });
    expect(f?.fix).toBeUndefined();
    expect(f?.message).toContain('Upgrade to 3.2.24, the smallest version that fixes all of them; this is a lock file: update the lock with your tool (`poetry update django`).');
  });

  it('pins with --hash are not rewritten (the hashes belong to the old version)', async () => {
    const r = await analyze({ 'requirements.txt': 'django==3.2.10 \\\n    --hash=sha256:0123\n' });
    const [f] = r.findings;
    expect(f?.fix).toBeUndefined();
    expect(f?.message).toContain('replace its --hash values too');
  });

  it.each([
    ['pyproject.toml', '[project]\nname = "app"\ndependencies = [\n    "django==3.2.10",\n]\n', 4, '[project]\nname = "app"\ndependencies = [\n    "django==3.2.24",\n]\n'],
    ['pyproject.toml', '[tool.poetry]\nname = "app"\n\n[tool.poetry.dependencies]\npython = "^3.11"\nDjango = "3.2.10"\n', 6, '[tool.poetry]\nname = "app"\n\n[tool.poetry.dependencies]\npython = "^3.11"\nDjango = "3.2.24"\n'],
    ['Pipfile', '[packages]\ndjango = "==3.2.10"\n', 2, '[packages]\ndjango = "==3.2.24"\n'],
    ['setup.cfg', '[options]\ninstall_requires =\n    django==3.2.10\n', 3, '[options]\ninstall_requires =\n    django==3.2.24\n'],
    ['setup.py', 'from setuptools import setup\nsetup(install_requires=["django==3.2.10"])\n', 2, 'from setuptools import setup\nsetup(install_requires=["django==3.2.24"])\n'],
    ['environment.yml', 'dependencies:\n  - pip:\n    - django==3.2.10\n', 3, 'dependencies:\n  - pip:\n    - django==3.2.24\n'],
  ])('%s: a one-line pin bump', async (path, text, line, output) => {
    const r = await analyze({ [path]: text });
    const f = r.findings.find((x) => x.ruleId === 'vulnerable-dependency');
    expect(f?.range.start.line).toBe(line);
    expect(applyFixes(text, f ? [f] : [])).toBe(output);
  });

  it('follows -r includes within the given files', async () => {
    const r = await analyze({
      'requirements/prod.txt': '-r base.txt\n-r missing.txt\ngunicorn==22.0.0\n',
      'requirements/base.txt': DJANGO,
    });
    expect(at(r, 'vulnerable-dependency')).toEqual(['requirements/base.txt:1:9']);
    expect(r.diagnostics).toEqual([
      { path: 'requirements/prod.txt', kind: 'manifest', line: 2, message: expect.stringContaining('missing.txt') as unknown as string },
    ]);
    expect(r.manifests).toBe(2);
  });

  it('reads an included file that matches no manifest pattern', async () => {
    const r = await analyze({ 'requirements.txt': '-r common.pip\n', 'common.pip': DJANGO });
    expect(at(r, 'vulnerable-dependency')).toEqual(['common.pip:1:9']);
  });

  it('fingerprints do not depend on the line', async () => {
    const a = await analyze({ 'requirements.txt': DJANGO });
    const b = await analyze({ 'requirements.txt': `# comment\nflask==3.0.3\n${DJANGO}` });
    expect(a.findings[0]?.fingerprint).toBe(b.findings.find((f) => f.ruleId === 'vulnerable-dependency')?.fingerprint);
    expect(a.findings[0]?.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('vulnerable-version-range', () => {
  it('flask>=0.10: raise the lower bound to the fix', async () => {
    const text = 'flask>=0.10\n';
    const r = await analyze({ 'requirements.in': text, 'requirements.txt': 'flask==3.0.3\n' });
    const f = r.findings.find((x) => x.ruleId === 'vulnerable-version-range');
    expect(f?.path).toBe('requirements.in');
    expect(f?.range).toEqual({ start: { line: 1, column: 8 }, end: { line: 1, column: 12 } });
    expect(f?.severity).toBe('medium');
    expect(f?.message).toContain('`flask>=0.10` admits flask 0.10, which has 1 known vulnerability: GHSA-m2qf-hxjv-5gpq (PYSEC-2023-62, CVE-2023-30861)');
    expect(f?.message).toContain('Raise the lower bound to 2.2.5, the smallest version that fixes it (a new major version');
    expect(applyFixes(text, f ? [f] : [])).toBe('flask>=2.2.5\n');
  });

  it('an upper bound that excludes the fix: explained, no edit', async () => {
    const r = await analyze({ 'requirements.in': 'flask>=0.10,<1.0\n', 'requirements.txt': '' });
    const f = r.findings.find((x) => x.ruleId === 'vulnerable-version-range');
    expect(f?.messageId).toBe('rangeNoFix');
    expect(f?.message).toContain('2.2.5 is the smallest version that fixes it, and the range excludes it');
    expect(f?.fix).toBeUndefined();
  });

  it('~= ranges are reported but not rewritten; safe lower bounds and bare names are not reported', async () => {
    const r = await analyze({ 'requirements.in': 'jinja2~=2.10\nflask>=2.3.2\nrequests\nurllib3<2\n', 'requirements.txt': '' });
    expect(at(r, 'vulnerable-version-range')).toEqual(['requirements.in:1:9']);
    expect(r.findings[0]?.fix).toBeUndefined();
  });

  it.each([
    ['>=0.10', { version: '0.10', op: '>=' }],
    ['>=1.0,<2', { version: '1.0', op: '>=' }],
    ['>=1.0,>=1.4', { version: '1.4', op: '>=' }],
    ['~=2.10', { version: '2.10', op: '~=' }],
    ['==3.2.*', { version: '3.2', op: '==.*' }],
    ['<2', null],
    ['', null],
    ['==1.0', null],
    ['>=1.0,!=1.0', null],
  ])('lowestAdmitted(%j)', (spec, expected) => {
    expect(lowestAdmitted(spec)).toEqual(expected);
  });
});

describe('unpinned-dependency', () => {
  const REQS = 'requests\nclick>=7.0\ndjango==4.2.16\n-e ./lib\nmylib @ https://example.com/mylib-1.0.tar.gz\n';

  it('flags loose and missing pins in an application requirements file', async () => {
    const r = await analyze({ 'requirements.txt': REQS });
    const found = r.findings.filter((f) => f.ruleId === 'unpinned-dependency');
    expect(found.map((f) => [f.range.start.line, f.range.start.column, f.messageId, f.severity])).toEqual([
      [1, 1, 'missing', 'low'],
      [2, 1, 'loose', 'low'],
    ]);
    expect(found[0]?.message).toBe(
      '`requests` pins no version: every install takes whatever requests release is newest that day. Pin it (`requests==X.Y.Z`) or install from a lock file (pip-compile, uv, Poetry, Pipenv).',
    );
  });

  it.each([
    ['a poetry.lock in the same folder', { 'poetry.lock': '' }],
    ['a Pipfile.lock in the same folder', { 'Pipfile.lock': '{}' }],
    ['a compiled requirements.txt next to requirements.in', {}],
  ])('none with %s', async (_name, extra) => {
    const main = Object.keys(extra).length === 0 ? 'requirements.in' : 'requirements.txt';
    const files: Record<string, string> = { [main]: REQS, ...extra };
    if (main === 'requirements.in') files['requirements.txt'] = 'requests==2.32.3\n';
    const r = await analyze(files);
    expect(at(r, 'unpinned-dependency')).toEqual([]);
  });

  it('a lock file in another folder does not count', async () => {
    const r = await analyze({ 'svc/requirements.txt': 'requests\n', 'other/uv.lock': 'version = 1\n' });
    expect(at(r, 'unpinned-dependency')).toEqual(['svc/requirements.txt:1:1']);
  });

  it('Pipfile without Pipfile.lock', async () => {
    const r = await analyze({ Pipfile: '[packages]\nrequests = "*"\nflask = ">=2.3.2"\n' });
    expect(at(r, 'unpinned-dependency')).toEqual(['Pipfile:2:1', 'Pipfile:3:1']);
  });

  it('constraints files and libraries are not applications; `always` and `never`', async () => {
    const files = {
      'requirements.txt': '-c constraints.txt\nrequests\n',
      'constraints.txt': 'urllib3<3\n',
      'pyproject.toml': '[project]\nname = "x"\ndependencies = ["attrs>=22"]\n',
    };
    expect(at(await analyze(files), 'unpinned-dependency')).toEqual(['requirements.txt:2:1']);
    expect(at(await analyze(files, { configInput: { dependencies: { unpinned: 'always' } } }), 'unpinned-dependency')).toEqual([
      'pyproject.toml:3:18',
      'requirements.txt:2:1',
    ]);
    expect(at(await analyze(files, { configInput: { dependencies: { unpinned: 'never' } } }), 'unpinned-dependency')).toEqual([]);
  });

  it('a range already reported as vulnerable is not reported again as loose', async () => {
    const r = await analyze({ 'requirements.txt': 'flask>=0.10\n' });
    expect(r.findings.map((f) => f.ruleId)).toEqual(['vulnerable-version-range']);
  });
});

describe('insecure-package-index', () => {
  it('http index (high), trusted host and extra index (medium), credentials redacted', async () => {
    const text = [
      '--index-url http://pypi.internal.example/simple',
      '--trusted-host pypi.internal.example',
      '--extra-index-url https://deploy:s3cr3t@pkgs.example.com/simple',
      '--find-links http://localhost:8080/wheels',
      'mycompany-utils==1.4.0',
      '',
    ].join('\n');
    const r = await analyze({ 'requirements.txt': text });
    const found = r.findings.filter((f) => f.ruleId === 'insecure-package-index');
    expect(found.map((f) => [f.range.start.line, f.range.start.column, f.messageId, f.severity])).toEqual([
      [1, 13, 'http', 'high'],
      [2, 16, 'trustedHost', 'medium'],
      [3, 19, 'extraIndex', 'medium'],
    ]);
    expect(found[0]?.message).toBe(
      'Packages are downloaded over plain HTTP from http://pypi.internal.example/simple: anyone on the network path can replace them with their own code. Use an https:// URL.',
    );
    expect(found[2]?.message).toContain('`--extra-index-url https://***@pkgs.example.com/simple`');
    expect(found[2]?.snippet).toBe('--extra-index-url https://***@pkgs.example.com/simple');
    for (const f of r.findings) expect(JSON.stringify(f)).not.toContain('s3cr3t');
    expect(found[0]?.cwe).toEqual(['CWE-494', 'CWE-829']);
    expect(found[0]?.owasp).toEqual(['A08:2021']);
  });

  it('Pipfile sources: http url and verify_ssl = false', async () => {
    const r = await analyze({ Pipfile: '[[source]]\nurl = "http://mirror.example/simple"\nverify_ssl = false\nname = "mirror"\n\n[packages]\nrequests = "==2.32.3"\n' });
    expect(r.findings.filter((f) => f.ruleId === 'insecure-package-index').map((f) => [f.range.start.line, f.messageId])).toEqual([
      [2, 'http'],
      [3, 'trustedHost'],
    ]);
  });

  it('extra indexes of tools that do not merge indexes (uv, Poetry) are not dependency confusion', async () => {
    const r = await analyze({ 'pyproject.toml': '[project]\nname = "x"\n\n[[tool.uv.index]]\nname = "internal"\nurl = "https://pkgs.example.com/simple"\n' });
    expect(at(r, 'insecure-package-index')).toEqual([]);
  });

  it('per-package http sources in a lock file are reported once', async () => {
    const lock = [
      'version = 1',
      'requires-python = ">=3.12"',
      '',
      '[[package]]',
      'name = "a"',
      'version = "1.0"',
      'source = { registry = "http://mirror.example/simple" }',
      '',
      '[[package]]',
      'name = "b"',
      'version = "1.0"',
      'source = { registry = "http://mirror.example/simple" }',
      '',
    ].join('\n');
    const r = await analyze({ 'uv.lock': lock });
    expect(at(r, 'insecure-package-index')).toEqual(['uv.lock:5:1']);
  });

  it('redactUrl', () => {
    expect(redactUrl('https://user:pw@host/x and git+https://tok@github.com/o/r')).toBe('https://***@host/x and git+https://***@github.com/o/r');
  });
});

describe('missing-package-hash', () => {
  const hashed = (name: string): string => `${name} \\\n    --hash=sha256:00${name.length}\n`;

  it('flags each requirement without hashes when others have them', async () => {
    const text = `${hashed('django==4.2.16')}${hashed('sqlparse==0.5.1')}requests==2.32.3\n`;
    const r = await analyze({ 'requirements.txt': text });
    const found = r.findings.filter((f) => f.ruleId === 'missing-package-hash');
    expect(found.map((f) => [f.range.start.line, f.range.start.column])).toEqual([[5, 1]]);
    expect(found[0]?.message).toMatch(/^`requests==2\.32\.3` has no --hash while 2 other requirements in this file have hashes: /);
  });

  it.each([
    ['every line hashed', `${hashed('django==4.2.16')}${hashed('requests==2.32.3')}`],
    ['no line hashed', 'django==4.2.16\nrequests==2.32.3\n'],
  ])('none when %s', async (_name, text) => {
    const r = await analyze({ 'requirements.txt': text });
    expect(at(r, 'missing-package-hash')).toEqual([]);
  });
});

describe('eol-python-runtime', () => {
  it('Dockerfile FROM python:3.8', async () => {
    const r = await analyze({ 'docker/Dockerfile': 'FROM python:3.8-slim AS build\nRUN pip install -r requirements.txt\n' });
    const [f] = r.findings;
    expect(f?.ruleId).toBe('eol-python-runtime');
    expect(f?.area).toBe('interpreter');
    expect(f?.range).toEqual({ start: { line: 1, column: 13 }, end: { line: 1, column: 16 } });
    expect(f?.severity).toBe('high');
    expect(f?.message).toBe(
      'This Docker image pins Python 3.8, which reached end of life on 2024-10-07 and gets no security fixes; move to Python 3.10 or newer.',
    );
    expect(f?.fix).toBeUndefined();
  });

  it('.python-version and runtime.txt', async () => {
    const r = await analyze({ '.python-version': '3.7.17\n', 'runtime.txt': 'python-3.6.15\n' });
    expect(r.findings.map((f) => [f.path, f.range.start.column, f.range.end.column, f.messageId])).toEqual([
      ['.python-version', 1, 7, 'eol'],
      ['runtime.txt', 8, 14, 'eol'],
    ]);
  });

  it('a workflow matrix: one finding per end-of-life version, each on its column', async () => {
    const wf = [
      'on: push',
      'jobs:',
      '  test:',
      '    runs-on: ubuntu-latest',
      '    strategy:',
      '      matrix:',
      '        python-version: ["3.8", "3.9", "3.12"]',
      '    steps:',
      '      - uses: actions/setup-python@v5',
      '        with:',
      '          python-version: ${{ matrix.python-version }}',
      '',
    ].join('\n');
    const r = await analyze({ '.github/workflows/ci.yml': wf });
    expect(r.findings.map((f) => [f.range.start.line, f.range.start.column, f.messageId])).toEqual([
      [7, 27, 'eol'],
      [7, 34, 'eol'],
    ]);
    expect(new Set(r.findings.map((f) => f.fingerprint)).size).toBe(2);
  });

  it('tox envlist factors, brace expansion included', async () => {
    const r = await analyze({ 'tox.ini': '[tox]\nenvlist = py37, py312\n' });
    expect(r.findings.map((f) => [f.range.start.line, f.range.start.column, f.range.end.column])).toEqual([[2, 11, 15]]);
    const braces = await analyze({ 'tox.ini': '[tox]\nenvlist = py{38,39,310}-django{32,42}\n' });
    expect(braces.findings.map((f) => [f.range.start.column, f.range.end.column, f.messageId])).toEqual([
      [14, 16, 'eol'],
      [17, 19, 'eol'],
      [20, 23, 'eolSoon'],
    ]);
  });

  it('within the warning window: low, with the days left; off with eolWarningDays: 0', async () => {
    const r = await analyze({ '.python-version': '3.10\n' });
    const [f] = r.findings;
    expect(f?.messageId).toBe('eolSoon');
    expect(f?.severity).toBe('low');
    expect(f?.message).toBe('`.python-version` pins Python 3.10, which reaches end of life on 2026-10-01 (in 122 days); plan the move to Python 3.10 or newer.');
    const off = await analyze({ '.python-version': '3.10\n' }, { configInput: { dependencies: { eolWarningDays: 0 } } });
    expect(off.findings).toEqual([]);
    const narrow = await analyze({ '.python-version': '3.10\n' }, { configInput: { dependencies: { eolWarningDays: 30 } } });
    expect(narrow.findings).toEqual([]);
  });

  it('Pipfile [requires] and conda python= are runtime pins (not eol-python-requires)', async () => {
    const r = await analyze({
      Pipfile: '[packages]\n\n[requires]\npython_version = "3.8"\n',
      'Pipfile.lock': '{}',
      'environment.yml': 'dependencies:\n  - python=3.7\n',
    });
    expect(r.findings.map((f) => `${f.ruleId} ${f.path}:${f.range.start.line}:${f.range.start.column}`)).toEqual([
      'eol-python-runtime Pipfile:4:19',
      'eol-python-runtime environment.yml:2:12',
    ]);
  });
});

describe('eol-python-requires (manifests)', () => {
  it('pyproject requires-python: reported with a fix', async () => {
    const text = '[project]\nname = "x"\nrequires-python = ">=3.7"\n';
    const r = await analyze({ 'pyproject.toml': text });
    const [f] = r.findings;
    expect(f?.ruleId).toBe('eol-python-requires');
    expect(f?.severity).toBe('low');
    expect(f?.range).toEqual({ start: { line: 3, column: 20 }, end: { line: 3, column: 25 } });
    expect(f?.message).toBe('`requires-python` admits Python 3.7, which reached end of life on 2023-06-27 and gets no security fixes; require 3.10 or newer.');
    expect(applyFixes(text, [f!])).toBe('[project]\nname = "x"\nrequires-python = ">=3.10"\n');
  });

  it('setup.cfg python_requires and Poetry python (not rewritten)', async () => {
    const r = await analyze({
      'setup.cfg': '[options]\npython_requires = >=3.6\n',
      'pyproject.toml': '[tool.poetry]\nname = "x"\n\n[tool.poetry.dependencies]\npython = "^3.8"\n',
    });
    expect(r.findings.map((f) => [f.path, f.range.start.line, f.message.slice(0, 44), f.fix !== undefined])).toEqual([
      ['pyproject.toml', 5, '`python` admits Python 3.8, which reached en', false],
      ['setup.cfg', 2, '`python_requires` admits Python 3.6, which r', true],
    ]);
    expect(applyFixes('[options]\npython_requires = >=3.6\n', r.findings.filter((f) => f.path === 'setup.cfg'))).toBe('[options]\npython_requires = >=3.10\n');
  });

  it('setup.py is left to the tree-sitter rule; supported versions are not reported', async () => {
    const r = await analyze({
      'setup.py': 'from setuptools import setup\nsetup(python_requires=">=3.6")\n',
      'pyproject.toml': '[project]\nname = "x"\nrequires-python = ">=3.11"\n',
    });
    expect(r.findings).toEqual([]);
  });
});

describe('advisory source unavailable', () => {
  const down: AdvisorySource = {
    description: 'OSV API at https://api.osv.dev',
    advisoriesFor() {
      return Promise.reject(new AdvisoryUnavailable('timeout', 'no answer from https://api.osv.dev/v1/querybatch within 10 s (3 attempts)'));
    },
    problems: () => [],
  };

  it('no vulnerability findings, a note, the other checks still run', async () => {
    const r = await analyze(
      { 'requirements.txt': '--trusted-host pypi.internal\ndjango==3.2.10\nrequests\n', Dockerfile: 'FROM python:3.8\n' },
      { advisories: down },
    );
    expect(r.advisories).toBe('skipped');
    expect(r.notes).toEqual([
      'Dependency vulnerability checks were skipped: no answer from https://api.osv.dev/v1/querybatch within 10 s (3 attempts). The other dependency checks ran.',
    ]);
    expect(r.findings.map((f) => f.ruleId).sort()).toEqual(['eol-python-runtime', 'insecure-package-index', 'unpinned-dependency']);
  });

  it('any other error from the source is treated the same way', async () => {
    const broken: AdvisorySource = { description: 'test source', advisoriesFor: () => Promise.reject(new Error('boom')), problems: () => [] };
    const r = await analyze({ 'requirements.txt': DJANGO }, { advisories: broken });
    expect(r.advisories).toBe('skipped');
    expect(r.notes[0]).toContain('(boom)');
  });

  it('unreadable records are mentioned', async () => {
    const partial: AdvisorySource = {
      description: 'test',
      advisoriesFor: (qs) => Promise.resolve(new Map(qs.map((q) => [q.name, []]))),
      problems: () => [{ where: 'bad.json', message: 'invalid JSON' }],
    };
    const r = await analyze({ 'requirements.txt': DJANGO }, { advisories: partial });
    expect(r.advisories).toBe('checked');
    expect(r.notes).toEqual(['1 advisory record could not be read and was ignored (first: bad.json: invalid JSON).']);
  });

  it('without a source, vulnerability checks are off', async () => {
    const r = await analyze({ 'requirements.txt': DJANGO }, { advisories: undefined });
    expect(r.advisories).toBe('off');
    expect(r.findings).toEqual([]);
    expect(r.notes).toEqual([]);
  });

  it('queries each (name, version) once, in one call', async () => {
    const calls: unknown[] = [];
    const db = await osvDb();
    const spy: AdvisorySource = {
      description: 'spy',
      advisoriesFor: (qs) => {
        calls.push(qs.map((q) => `${q.name}@${q.version ?? ''}`).sort());
        return db.advisoriesFor(qs);
      },
      problems: () => [],
    };
    await analyze({ 'a/requirements.txt': 'Django==3.2.10\nflask>=0.10\n', 'b/requirements.txt': DJANGO }, { advisories: spy });
    expect(calls).toEqual([['django@3.2.10', 'flask@0.10']]);
  });
});

describe('suppressions and configuration', () => {
  it.each([
    ['# pysec: ignore[vulnerable-dependency]', true],
    ['# pysec: ignore', true],
    ['# nosec', true],
    ['# pysec: ignore[unpinned-dependency]', false],
  ])('django==3.2.10  %s → suppressed: %s', async (comment, suppressed) => {
    const r = await analyze({ 'requirements.txt': `django==3.2.10  ${comment}\n` });
    expect(at(r, 'vulnerable-dependency')).toHaveLength(suppressed ? 0 : 1);
    expect(r.suppressed.map((s) => s.finding.ruleId)).toEqual(suppressed ? ['vulnerable-dependency'] : []);
  });

  it('a suppression in a Dockerfile', async () => {
    const r = await analyze({ Dockerfile: 'FROM python:3.8  # pysec: ignore[eol-python-runtime] legacy image, removed in Q3\n' });
    expect(r.findings).toEqual([]);
    expect(r.suppressed).toHaveLength(1);
  });

  it('rules.disable, rules.enable, --rule, rules.severity, minSeverity, minConfidence', async () => {
    const files = { 'requirements.txt': '--trusted-host h\ndjango==3.2.10\nrequests\n' };
    const ids = async (configInput: Parameters<typeof config>[0], onlyRules?: string[]) =>
      (await analyze(files, { configInput, ...(onlyRules ? { onlyRules } : {}) })).findings.map((f) => `${f.ruleId}:${f.severity}`);
    expect(await ids({})).toEqual(['insecure-package-index:medium', 'vulnerable-dependency:high', 'unpinned-dependency:low']);
    expect(await ids({ rules: { disable: ['vulnerable-dependency'] } })).toEqual(['insecure-package-index:medium', 'unpinned-dependency:low']);
    expect(await ids({ rules: { enable: ['unpinned-dependency'] } })).toEqual(['unpinned-dependency:low']);
    expect(await ids({}, ['insecure-package-index'])).toEqual(['insecure-package-index:medium']);
    expect(await ids({ rules: { severity: { 'vulnerable-dependency': 'critical', 'unpinned-dependency': 'medium' } } })).toEqual([
      'insecure-package-index:medium',
      'vulnerable-dependency:critical',
      'unpinned-dependency:medium',
    ]);
    expect(await ids({ minSeverity: 'high' })).toEqual(['vulnerable-dependency:high']);
    expect(await ids({ minConfidence: 'high', rules: { enable: ['vulnerable-version-range'] } })).toEqual([]);
  });

  it('a disabled vulnerability check does not query the source', async () => {
    let asked = false;
    const spy: AdvisorySource = { description: 's', advisoriesFor: () => ((asked = true), Promise.resolve(new Map())), problems: () => [] };
    const r = await analyze({ 'requirements.txt': DJANGO }, { advisories: spy, configInput: { rules: { disable: ['vulnerable-dependency', 'vulnerable-version-range'] } } });
    expect(asked).toBe(false);
    expect(r.advisories).toBe('off');
  });

  it('dependencies.enabled: false → nothing at all', async () => {
    const r = await analyze({ 'requirements.txt': DJANGO, Dockerfile: 'FROM python:2.7\n' }, { configInput: { dependencies: { enabled: false } } });
    expect(r).toEqual({ findings: [], suppressed: [], diagnostics: [], notes: [], manifests: 0, dependencies: 0, advisories: 'off' });
  });
});

describe('broken and unrelated input', () => {
  it('invalid TOML → a manifest diagnostic with its line, never a throw; other files still checked', async () => {
    const r = await analyze({
      'pyproject.toml': '[project]\nname = "x"\ndependencies = ["django==3.2.10"\n[tool.x]\n',
      'requirements.txt': DJANGO,
    });
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ path: 'pyproject.toml', kind: 'manifest' });
    expect(r.diagnostics[0]?.line).toBeGreaterThan(0);
    expect(at(r, 'vulnerable-dependency')).toEqual(['requirements.txt:1:9']);
  });

  it('broken Pipfile: one diagnostic even though it is read twice (packages and [requires])', async () => {
    const r = await analyze({ Pipfile: '[packages\nrequests = "*"\n' });
    expect(r.diagnostics).toHaveLength(1);
  });

  it.each([
    ['Pipfile.lock', '{ "default": '],
    ['environment.yml', 'dependencies:\n  - [unclosed\n'],
    ['poetry.lock', '[[package]\nname = 1\n'],
    ['.github/workflows/ci.yml', 'jobs: [\n'],
    ['setup.py', 'setup(install_requires=[\n'],
  ])('%s: no throw', async (path, text) => {
    const r = await analyze({ [path]: text });
    expect(r.findings).toEqual([]);
  });

  it('files that are not manifests are ignored', async () => {
    const r = await analyze({ 'app.py': 'import os\n', 'README.md': 'django==3.2.10\n' });
    expect(r).toMatchObject({ findings: [], manifests: 0, dependencies: 0 });
  });

  it('CRLF line endings: positions and fixes stay right', async () => {
    const text = 'flask==3.0.3\r\ndjango==3.2.10\r\n';
    const r = await analyze({ 'requirements.txt': text });
    const [f] = r.findings;
    expect(f?.range.start).toEqual({ line: 2, column: 9 });
    expect(applyFixes(text, [f!])).toBe('flask==3.0.3\r\ndjango==3.2.24\r\n');
  });

  it('describeAdvisories lists five and counts the rest', () => {
    const g = (id: string) => ({ id, ids: [id], records: [], summary: 'x', modified: '' });
    expect(describeAdvisories(['A', 'B', 'C', 'D', 'E', 'F', 'G'].map(g))).toBe(
      'A, severity not rated: x; B, severity not rated: x; C, severity not rated: x; D, severity not rated: x; E, severity not rated: x; and 2 more (F, G)',
    );
  });

  it('analyzeManifests with an explicit now', async () => {
    const r = await analyzeManifests([{ path: '.python-version', text: '3.9\n' }], { config: config(), now: new Date('2025-06-01T00:00:00Z') });
    expect(r.findings.map((f) => f.messageId)).toEqual(['eolSoon']);
    expect(NOW.getUTCFullYear()).toBe(2026);
  });
});

describe('entries the readers could not understand', () => {
  it('are shown as "not checked" diagnostics on their line, never dropped silently', async () => {
    const r = await analyzeManifests([{ path: 'requirements.txt', text: 'flask==2.3.3\n-e .\n' }], { config: config(), now: NOW });
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ path: 'requirements.txt', kind: 'manifest', line: 2, message: expect.stringMatching(/^not checked: `-e \.`/) }),
    ]);
  });
});

describe('paths outside the current directory', () => {
  it('reads requirements files (and their includes) under a ../ prefix', async () => {
    const r = await analyzeManifests(
      [
        { path: '../proj/requirements.txt', text: '-r base.txt\nflask==2.3.3\n' },
        { path: '../proj/base.txt', text: '--trusted-host pypi.example\n' },
      ],
      { config: config(), now: NOW },
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.findings.map((f) => [f.ruleId, f.path, f.range.start.line])).toEqual([['insecure-package-index', '../proj/base.txt', 1]]);
  });
});
