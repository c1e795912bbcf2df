import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliIO } from '../../src/cli/main.js';
import { runCli, type CliRun } from '../helpers/cli.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const example = join(repo, 'examples/vulnerable-flask');
const OSV_DB = resolve(repo, '../shared/data/osv');


async function pysec(args: string[], cwd = repo, extra: Partial<CliIO> = {}): Promise<CliRun> {
  // Dependency checks use the offline OSV records beside the repository: tests never reach the network.
  return runCli(args, { cwd, env: { PYSEC_OSV_DB: OSV_DB }, ...extra });
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'pysec-cli-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function project(name: string, files: Record<string, string | Buffer>): string {
  const dir = join(tmp, name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

describe('pysec scan', () => {
  it('reports the example app in text with a summary and exits 0 without --fail-on', async () => {
    const r = await pysec(['scan', 'examples/vulnerable-flask']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/examples\/vulnerable-flask\/app\.py:\d+:\d+ +critical +sql-injection/);
    expect(r.stdout).toMatch(/\d+ findings \(/);
    expect(r.stdout).not.toMatch(/\u001b\[/); // no colour when not a TTY
  });

  it('uses colour on a TTY unless NO_COLOR is set', async () => {
    expect((await pysec(['scan', 'examples/vulnerable-flask'], repo, { stdoutIsTTY: true })).stdout).toMatch(/\u001b\[/);
    expect((await pysec(['scan', 'examples/vulnerable-flask'], repo, { stdoutIsTTY: true, env: { NO_COLOR: '1', PYSEC_OSV_DB: OSV_DB } })).stdout).not.toMatch(/\u001b\[/);
    expect((await pysec(['scan', 'examples/vulnerable-flask', '--no-color'], repo, { stdoutIsTTY: true })).stdout).not.toMatch(/\u001b\[/);
  });

  it.each([
    ['critical', 1],
    ['low', 1],
    ['never', 0],
  ])('--fail-on %s exits %i on the example', async (sev, code) => {
    expect((await pysec(['scan', example, '--fail-on', sev])).code).toBe(code);
  });

  it('exits 0 with --fail-on when nothing reaches the threshold', async () => {
    const dir = project('clean', { 'app.py': 'import hashlib\nprint(hashlib.sha256(b"x").hexdigest())\n' });
    const r = await pysec(['scan', '.', '--fail-on', 'low'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No findings');
  });

  it('emits every format for the example', async () => {
    const json = JSON.parse((await pysec(['scan', example, '-f', 'json'])).stdout) as { version: number; findings: { ruleId: string }[] };
    expect(json.version).toBe(1);
    expect(json.findings.length).toBeGreaterThan(10);
    const sarif = JSON.parse((await pysec(['scan', 'examples/vulnerable-flask', '--format', 'sarif'])).stdout) as {
      version: string;
      runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
    };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]?.results[0]?.locations[0]?.physicalLocation.artifactLocation.uri).toMatch(/^examples\/vulnerable-flask\//);
    const md = (await pysec(['scan', example, '--format', 'markdown'])).stdout;
    expect(md).toMatch(/^#+ /m);
    expect(md).toContain('sql-injection');
  });

  it('writes --output files', async () => {
    const out = join(tmp, 'report.sarif');
    const r = await pysec(['scan', example, '-f', 'sarif', '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8')).version).toBe('2.1.0');
  });

  it('--rule restricts the rules; unknown rules are usage errors', async () => {
    const r = await pysec(['scan', example, '-f', 'json', '--rule', 'code-injection']);
    const ids = new Set((JSON.parse(r.stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId));
    expect([...ids]).toEqual(['code-injection']);
    const bad = await pysec(['scan', example, '--rule', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown rule "nope"');
  });

  it('usage errors exit 2 with a message', async () => {
    const badFormat = await pysec(['scan', '--format', 'xml']);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toMatch(/xml/);
    const missing = await pysec(['scan', 'no/such/dir']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file or directory: no/such/dir');
    expect((await pysec(['frobnicate'])).code).toBe(2);
    expect((await pysec(['scan', '--fail-on', 'severe'])).code).toBe(2);
  });

  it('reads .github/pysec.yml and reports config errors by key (exit 2)', async () => {
    const dir = project('configured', {
      'app.py': 'eval(x)\nimport tempfile\ntempfile.mktemp()\n',
      '.github/pysec.yml': 'rules:\n  disable: [dynamic-code-execution]\nfailOn: medium\n',
    });
    const r = await pysec(['scan', '-f', 'json'], dir);
    const ids = (JSON.parse(r.stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId);
    expect(ids).toEqual(['insecure-temp-file']);
    expect(r.code).toBe(1); // failOn: medium from the file
    writeFileSync(join(dir, 'broken.yml'), 'rules:\n  disabel: [x]\n');
    const broken = await pysec(['scan', '--config', 'broken.yml'], dir);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('broken.yml: rules: unknown key "disabel"');
    expect((await pysec(['scan', '--config', 'absent.yml'], dir)).stderr).toContain('file not found');
  });

  it('walks folders honouring .gitignore and default excludes, but scans named files', async () => {
    const dir = project('walk', {
      'src/app.py': 'eval(a)\n',
      'src/generated/gen.py': 'eval(b)\n',
      '.gitignore': 'generated/\n',
      '.venv/lib/x.py': 'eval(c)\n',
      'node_modules/pkg/y.py': 'eval(d)\n',
      'myenv/pyvenv.cfg': 'home = /usr/bin\n',
      'myenv/lib/python3.11/site.py': 'eval(e)\n',
      'scripts/tool': '#!/usr/bin/env python\neval(f)\n',
    });
    const r = await pysec(['scan', '-f', 'json'], dir);
    const paths = (JSON.parse(r.stdout) as { findings: { path: string }[] }).findings.map((f) => f.path);
    expect(paths).toEqual(['src/app.py']);
    const named = await pysec(['scan', 'scripts/tool', '-f', 'json'], dir);
    expect((JSON.parse(named.stdout) as { findings: unknown[] }).findings).toHaveLength(1);
  });

  it('reports skipped and unparsable files without failing', async () => {
    const dir = project('bad-input', {
      'bin.py': Buffer.from([0, 1, 2, 3, 255]),
      'latin.py': Buffer.from([0x78, 0x3d, 0x22, 0xe9, 0x22, 0x0a]),
      'broken.py': 'def f(:\n    eval(x)\n',
      'empty.py': '',
    });
    const r = await pysec(['scan'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/bin\.py.*binary/);
    expect(r.stdout).toMatch(/latin\.py.*UTF-8/);
    expect(r.stdout).toMatch(/broken\.py/);
  });

  it('shows progress on stderr only when stderr is a terminal (and not in CI)', async () => {
    const files = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`m${i}.py`, 'x = 1\n']));
    const dir = project('progress', files);
    const tty = await pysec(['scan'], dir, { stderrIsTTY: true });
    expect(tty.stderr).toMatch(/scanning \d+\/60/);
    expect((await pysec(['scan'], dir)).stderr).toBe('');
    expect((await pysec(['scan'], dir, { stderrIsTTY: true, env: { CI: 'true', PYSEC_OSV_DB: OSV_DB } })).stderr).toBe('');
  });

  it('--list-rules, rules and explain', async () => {
    const list = await pysec(['--list-rules']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^RULE +AREA/);
    expect(list.stdout).toContain('sql-string-built');
    expect((await pysec(['rules'])).stdout).toEqual(list.stdout);
    const explain = await pysec(['explain', 'sql-string-built']);
    expect(explain.stdout).toContain('## Why is this bad?');
    expect((await pysec(['explain', 'nope'])).code).toBe(2);
  });
});

describe('pysec scan: dependencies', () => {
  it('flags django==3.2.10 with the version that fixes it, from the offline OSV database', async () => {
    const dir = project('deps', { 'requirements.txt': 'requests>=2.32.2\ndjango==3.2.10\n', 'app.py': 'x = 1\n' });
    const r = await pysec(['scan', '.', '-f', 'json', '--osv-db', OSV_DB], dir, { env: {} });
    const report = JSON.parse(r.stdout) as {
      findings: { ruleId: string; path: string; range: { start: { line: number } }; message: string; fix?: { edits: { text: string }[] } }[];
      dependencies: { advisories: string };
    };
    const vuln = report.findings.filter((f) => f.ruleId === 'vulnerable-dependency');
    expect(vuln.map((f) => `${f.path}:${f.range.start.line}`)).toEqual(['requirements.txt:2']);
    expect(vuln[0]?.message).toContain('3.2.24');
    expect(vuln[0]?.fix?.edits[0]?.text).toBe('3.2.24');
    expect(report.dependencies.advisories).toBe('checked');
    expect((await pysec(['scan', '.', '--osv-db', OSV_DB, '--fail-on', 'high'], dir, { env: {} })).code).toBe(1);
  });

  it('--offline skips vulnerability lookups and says so; other dependency checks still run', async () => {
    const dir = project('deps-offline', { 'requirements.txt': 'django==3.2.10\n--trusted-host pypi.example\n' });
    const r = await pysec(['scan', '.', '-f', 'json', '--offline'], dir, { env: {} });
    const report = JSON.parse(r.stdout) as { findings: { ruleId: string }[]; dependencies: { advisories: string } };
    expect(report.findings.map((f) => f.ruleId)).toEqual(['insecure-package-index']);
    expect(report.dependencies.advisories).toBe('off');
  });

  it('an unreadable --osv-db is a usage error', async () => {
    const r = await pysec(['scan', '.', '--osv-db', join(tmp, 'no-such-db')], tmp, { env: {} });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--osv-db/);
  });
});

describe('pysec scan --base', () => {
  const git = (cwd: string, ...args: string[]): string =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, encoding: 'utf8' });

  it('reports only findings on lines changed since the merge base, plus untracked files', async () => {
    const dir = project('gitrepo', { 'app.py': 'import os\nos.system(cmd)\n', 'old.py': 'eval(x)\n' });
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'base');
    git(dir, 'checkout', '-qb', 'feature');
    writeFileSync(join(dir, 'app.py'), 'import os\nos.system(cmd)\n\nexec(code)\n');
    git(dir, 'commit', '-qam', 'change');
    writeFileSync(join(dir, 'new.py'), 'eval(y)\n');
    const r = await pysec(['scan', '--base', 'main', '-f', 'json'], dir);
    const found = (JSON.parse(r.stdout) as { findings: { path: string; range: { start: { line: number } } }[] }).findings.map(
      (f) => `${f.path}:${f.range.start.line}`,
    );
    expect(found).toEqual(['app.py:4', 'new.py:1']);
  });

  it('fails clearly on an unknown ref or outside a repository', async () => {
    const dir = project('norepo', { 'a.py': 'eval(x)\n' });
    const r = await pysec(['scan', '--base', 'main'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown git ref "main"/);
  });
});

describe('the pysec binary', () => {
  const bin = join(repo, 'bin/pysec.js');
  const built = existsSync(join(repo, 'dist/cli/index.js'));
  (built ? it : it.skip)('runs the built CLI with real exit codes', () => {
    const r = spawnSync(process.execPath, [bin, 'scan', 'examples/vulnerable-flask', '--fail-on', 'high'], {
      cwd: repo,
      encoding: 'utf8',
      env: { ...process.env, PYSEC_OSV_DB: OSV_DB },
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('sql-injection');
    const v = spawnSync(process.execPath, [bin, '--version'], { cwd: repo, encoding: 'utf8' });
    expect(v.status).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
