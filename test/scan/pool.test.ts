/**
 * The worker-thread pool gives exactly scan()'s result. Workers run the compiled
 * dist/scan/worker.js (built by `npm ci`/`npm run build`): keep dist current when editing src.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { scan, type ScanOptions, type ScanResult, type SourceFile } from '../../src/scan/index.js';
import { collectFiles } from '../../src/cli/files.js';
import { v8Flags, createScanPool, runTask, scanInPool, workerEntry, type ScanPool } from '../../src/scan/pool.js';
import { defaultConfig } from '../../src/config/schema.js';
import type { PysecConfig } from '../../src/config/schema.js';

const NOW = new Date('2025-06-01T00:00:00Z');
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Snippets with findings, suppressions, syntax errors: each generated file mixes some. */
const SNIPPETS = [
  'import subprocess\ndef run(cmd):\n    subprocess.run(cmd, shell=True)\n',
  'import hashlib as h\ndigest = h.md5(b"x").hexdigest()\n',
  'def f(x):\n    return eval(x)  # pysec: ignore[dynamic-code-execution]\n',
  'import pickle\ndef load(b):\n    return pickle.loads(b)  # nosec\n',
  'import yaml\ncfg = yaml.load(open("c.yml"))\n',
  'x = 1  # pysec: ignore[weak-hash]\n',
  'def broken(:\n    pass\nimport os\nos.system("ls " + input())\n',
  'import requests\nrequests.get("https://example.invalid", verify=False)\n',
  'PASSWORD = "hunter2hunter2"\napi_key = "AKIAABCDEFGHIJKLMNOP"\n',
  'from flask import Flask\napp = Flask(__name__)\napp.run(debug=True)\n',
];

function pythonFiles(): SourceFile[] {
  const files: SourceFile[] = [];
  for (let i = 0; i < 24; i++) {
    // Sizes vary so largest-first dispatch reorders them.
    const body = Array.from({ length: 1 + (i % 5) }, (_, k) => SNIPPETS[(i + k) % SNIPPETS.length]).join('\n');
    const padding = '# filler\n'.repeat((i * 7) % 23);
    const path = `pkg/mod_${String(i).padStart(2, '0')}.py`;
    // Mix the CLI's lazy readers with in-memory contents (the App).
    if (i % 3 === 0) files.push({ path, content: `${padding}${body}` });
    else {
      const bytes = enc(`${body}${padding}`);
      files.push({ path, size: bytes.length, read: async () => bytes });
    }
  }
  return files;
}

function fixtureFiles(): SourceFile[] {
  const example = 'examples/vulnerable-flask';
  const fromExample = readdirSync(example).map((name) => {
    const bytes = new Uint8Array(readFileSync(join(example, name)));
    return { path: `${example}/${name}`, size: bytes.length, read: async () => bytes } satisfies SourceFile;
  });
  return [
    ...pythonFiles(),
    ...fromExample,
    { path: 'setup.py', content: 'from setuptools import setup\nimport pickle, sys\npickle.loads(sys.stdin.buffer.read())\nsetup(name="x", python_requires=">=3.6", install_requires=["flask", "requests==2.19.0"])  # pysec: ignore[nothing-here]\n' },
    { path: 'requirements.txt', content: '-r requirements-dev.txt\nflask\nrequests==2.19.0\n' },
    { path: 'requirements-dev.txt', content: 'pytest\n' },
    { path: 'bin/tool.py', content: new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1]) },
    { path: 'latin.py', content: new Uint8Array([...enc('x = "'), 0xe9, ...enc('"\n')]) },
    { path: 'huge.py', size: 50 * 1024 * 1024, read: async () => new Uint8Array() },
    { path: 'gone.py', read: async () => Promise.reject(new Error('ENOENT: vanished')) },
    { path: 'vendor/skip.py', content: 'eval(input())\n' },
    { path: 'pkg/__init__.py', content: '' },
  ];
}

const config = (over: Partial<PysecConfig> = {}): PysecConfig => {
  const base = defaultConfig();
  return { ...base, paths: { include: [], exclude: ['vendor'] }, ...over };
};

/** What must be equal: everything but the wall time (and rules compared by id). */
function comparable(r: ScanResult): unknown {
  return { ...r, rules: r.rules.map((x) => x.meta.id), stats: { ...r.stats, durationMs: 0 } };
}

/** src files newer than their compiled copy: the workers would run old code. */
function staleDist(dir = 'src'): string[] {
  const stale: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) stale.push(...staleDist(path));
    else if (entry.name.endsWith('.ts')) {
      const built = join('dist', path.slice('src/'.length).replace(/\.ts$/, '.js'));
      let builtAt = 0;
      try {
        builtAt = statSync(built).mtimeMs;
      } catch {
        // missing
      }
      if (builtAt < statSync(path).mtimeMs) stale.push(path);
    }
  }
  return stale;
}

let pool: ScanPool;
beforeAll(() => {
  const stale = staleDist();
  if (stale.length > 0) {
    throw new Error(`dist/ is older than ${stale.slice(0, 3).join(', ')}${stale.length > 3 ? ', ...' : ''}: run \`npm run build\` (pool workers run dist/)`);
  }
  pool = createScanPool({ size: 3 });
});
afterAll(async () => {
  await pool.close();
});

describe('scan pool', () => {
  it('resolves the compiled worker entry', () => {
    expect(workerEntry().pathname).toMatch(/\/dist\/scan\/worker\.js$/);
  });

  const variants: [string, () => ScanOptions][] = [
    ['default options', () => ({ config: config(), now: NOW })],
    [
      'severity overrides, unused suppressions, minimum severity',
      () => ({
        config: config({ reportUnusedSuppressions: true, minSeverity: 'medium', rules: { disable: ['weak-hash'], severity: { 'shell-injection': 'low' } } as PysecConfig['rules'] }),
        now: NOW,
      }),
    ],
    ['only some rules', () => ({ config: config(), onlyRules: ['dynamic-code-execution', 'unpinned-dependency'], now: NOW })],
    [
      'changed lines (a pull request)',
      () => ({
        config: config(),
        now: NOW,
        partial: true,
        changedLines: new Map<string, ReadonlySet<number> | 'all'>([
          ['pkg/mod_01.py', new Set([2, 3])],
          ['pkg/mod_04.py', 'all'],
          ['pkg/mod_05.py', 'all'],
          ['pkg/mod_06.py', 'all'],
          ['pkg/mod_07.py', 'all'],
          ['pkg/mod_08.py', new Set([1])],
          ['pkg/mod_09.py', 'all'],
          ['pkg/mod_10.py', 'all'],
          ['pkg/mod_11.py', 'all'],
          ['setup.py', 'all'],
          ['requirements.txt', new Set([2])],
        ]),
      }),
    ],
  ];
  for (const [name, options] of variants) {
    it(`gives scan()'s result: ${name}`, async () => {
      const expected = await scan(fixtureFiles(), options());
      const got = await pool.scan(fixtureFiles(), options());
      expect(comparable(got)).toEqual(comparable(expected));
      expect(pool.threads).toBeGreaterThan(0);
    });
  }

  it('covers what it claims to: findings, suppressions, skips, syntax errors, dependencies', async () => {
    const r = await pool.scan(fixtureFiles(), { config: config({ reportUnusedSuppressions: true }), now: NOW });
    expect(r.findings.length).toBeGreaterThan(20);
    expect(r.suppressed.length).toBeGreaterThan(0);
    expect(r.syntaxErrors.length).toBeGreaterThan(0);
    expect(r.findings.some((f) => f.path === 'setup.py' && f.area !== 'dependencies' && f.area !== 'interpreter')).toBe(true);
    expect(r.findings.some((f) => f.path === 'setup.py' && f.area === 'interpreter')).toBe(true);
    expect(r.skipped.map((s) => s.path).sort()).toEqual(['bin/tool.py', 'gone.py', 'huge.py', 'latin.py']);
    expect(r.dependencies.manifests).toBeGreaterThan(1);
    expect(r.findings.some((f) => f.path.startsWith('vendor/'))).toBe(false);
  });

  it('is deterministic whatever the number of threads', async () => {
    const one = createScanPool({ size: 1 });
    try {
      const a = await one.scan(fixtureFiles(), { config: config(), now: NOW });
      const b = await pool.scan(fixtureFiles(), { config: config(), now: NOW });
      expect(comparable(a)).toEqual(comparable(b));
    } finally {
      await one.close();
    }
  });

  it('replaces a worker after recycleAfter files (tree-sitter leaks native memory per parse) without changing results', async () => {
    const recycling = createScanPool({ size: 1, recycleAfter: 3, minFiles: 1 });
    try {
      const files = fixtureFiles();
      const a = await recycling.scan(files, { config: config(), now: NOW });
      expect(comparable(a)).toEqual(comparable(await scan(fixtureFiles(), { config: config(), now: NOW })));
      expect(recycling.spawned).toBeGreaterThanOrEqual(Math.ceil(a.stats.filesScanned / 3));
      expect(recycling.threads).toBeLessThanOrEqual(1);
    } finally {
      await recycling.close();
    }
  });

  it('serves concurrent scans and reports progress for every file', async () => {
    const seen: number[] = [];
    const files = fixtureFiles();
    const [a, b] = await Promise.all([
      pool.scan(files, { config: config(), now: NOW, onProgress: (done, total) => seen.push(done - total) }),
      pool.scan(pythonFiles(), { config: config(), now: NOW }),
    ]);
    expect(comparable(a)).toEqual(comparable(await scan(fixtureFiles(), { config: config(), now: NOW })));
    expect(comparable(b)).toEqual(comparable(await scan(pythonFiles(), { config: config(), now: NOW })));
    expect(seen).toHaveLength(files.length);
    expect(Math.max(...seen)).toBe(0);
  });

  it('runs small inputs in-process without starting threads', async () => {
    const fresh = createScanPool({ size: 2 });
    try {
      const files = pythonFiles().slice(0, 7);
      const r = await fresh.scan(files, { config: config(), now: NOW });
      expect(fresh.threads).toBe(0);
      expect(comparable(r)).toEqual(comparable(await scan(pythonFiles().slice(0, 7), { config: config(), now: NOW })));
    } finally {
      await fresh.close();
    }
  });

  it('warm() starts every thread before any scan; scans then start none', async () => {
    const warm = createScanPool({ size: 2, minFiles: 1 });
    try {
      expect(warm.threads).toBe(0);
      await warm.warm();
      expect([warm.threads, warm.spawned]).toEqual([2, 2]);
      const files = pythonFiles().slice(0, 3);
      const r = await warm.scan(files, { config: config(), now: NOW });
      expect(warm.spawned).toBe(2);
      expect(comparable(r)).toEqual(comparable(await scan(pythonFiles().slice(0, 3), { config: config(), now: NOW })));
      await warm.warm(); // already warm: nothing to do
      expect(warm.spawned).toBe(2);
    } finally {
      await warm.close();
    }
  });

  it('scanInPool: a one-off pool, or in-process with jobs 1', async () => {
    const expected = comparable(await scan(fixtureFiles(), { config: config(), now: NOW }));
    expect(comparable(await scanInPool(fixtureFiles(), { config: config(), now: NOW, jobs: 2 }))).toEqual(expected);
    expect(comparable(await scanInPool(fixtureFiles(), { config: config(), now: NOW, jobs: 1 }))).toEqual(expected);
    expect(comparable(await scanInPool(fixtureFiles(), { config: config(), now: NOW, pool }))).toEqual(expected);
  });

  it('files on disk are read from localPath, in workers for Python files: read() is never called', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pysec-pool-local-'));
    for (const [i, snippet] of SNIPPETS.entries()) writeFileSync(join(dir, `m${i}.py`), snippet);
    writeFileSync(join(dir, 'setup.py'), 'from setuptools import setup\nimport pickle, sys\npickle.loads(sys.stdin.buffer.read())\nsetup(name="x", install_requires=["flask"])\n');
    writeFileSync(join(dir, 'requirements.txt'), 'requests==2.19.0\n');
    writeFileSync(join(dir, 'gone.py'), 'eval(input())\n');
    const { files } = await collectFiles(dir, ['.']);
    rmSync(join(dir, 'gone.py'));
    expect(files.every((f) => f.localPath?.startsWith(dir))).toBe(true);
    const readOnMain: string[] = [];
    const spied = (): SourceFile[] =>
      files.map((f) => ({
        ...f,
        read: () => {
          readOnMain.push(f.path);
          return f.read!();
        },
      }));
    const expected = await scan(spied(), { config: config(), now: NOW });
    expect(readOnMain).toEqual([]);
    const got = await pool.scan(spied(), { config: config(), now: NOW });
    expect(comparable(got)).toEqual(comparable(expected));
    // The vanished file is reported as scan() reports it, and the Python findings came through.
    expect(got.diagnostics.some((d) => d.path === 'gone.py' && /ENOENT/.test(d.message))).toBe(true);
    expect(got.findings.filter((f) => f.path === 'm0.py').map((f) => f.ruleId)).toEqual(['shell-command-built']);
    expect(readOnMain).toEqual([]);
  });

  it('runTask keeps only the Python part of a Python manifest', async () => {
    const file = {
      path: 'setup.py',
      content: 'from setuptools import setup\nimport pickle, sys\npickle.loads(sys.stdin.buffer.read())\nsetup(name="x", install_requires=["flask"])\n',
    };
    const cfg = config();
    const options = { config: { ...cfg, dependencies: { ...cfg.dependencies, unpinned: 'always' as const } }, now: NOW };
    const whole = await scan([file], options);
    const part = await runTask({ mode: 'python-manifest', file, options });
    expect(whole.findings.map((f) => f.ruleId)).toEqual(['unsafe-deserialization', 'unpinned-dependency']);
    expect(part.findings.map((f) => f.ruleId)).toEqual(['unsafe-deserialization']);
    expect(part.filesScanned).toBe(1);
  });
});

describe('v8Flags', () => {
  const BUDGET = '--interrupt-budget=393216';
  const GROWING = '--heap-growing-percent=100';
  it.each([
    [[], [BUDGET, GROWING]],
    [['--max-old-space-size=512', '--enable-source-maps'], [BUDGET, GROWING]],
    [['--interrupt-budget=1000'], [GROWING]],
    [['--expose-gc', '--interrupt_budget=5'], [GROWING]],
    [['--heap-growing-percent=50'], [BUDGET]],
    [['--heap_growing_percent=50', '--interrupt-budget=7'], []],
  ] as [string[], string[]][])('a long-lived pool, execArgv %j -> %j', (argv, expected) => {
    expect(v8Flags(argv)).toEqual(expected);
  });

  it.each([
    [[], [BUDGET, GROWING, '--no-turbo-inlining']],
    [['--turbo-inlining'], [BUDGET, GROWING]],
    [['--no-turbo-inlining'], [BUDGET, GROWING]],
    [['--no_turbo_inlining', '--interrupt-budget=7', '--heap-growing-percent=0'], []],
  ] as [string[], string[]][])('a one-off pool, execArgv %j -> %j', (argv, expected) => {
    expect(v8Flags(argv, true)).toEqual(expected);
  });
});

describe('scan pool: failing workers', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pysec-pool-'));
    // A worker that dies on some files, then behaves like the real one.
    writeFileSync(
      join(dir, 'crashing-worker.mjs'),
      // The real worker handles its files one after another: a file's turn comes when the
      // previous one's reply is posted.
      `import { parentPort } from 'node:worker_threads';
const queued = [];
const turn = (m) => {
  if (!m) return;
  if (m.file.path.includes('CRASH_THROW')) setImmediate(() => { throw new Error('boom'); });
  if (m.file.path.includes('CRASH_EXIT')) process.exit(7);
  if (m.file.path.includes('HANG')) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
};
const post = parentPort.postMessage.bind(parentPort);
parentPort.postMessage = (msg) => {
  post(msg);
  if (msg.type === 'result' || msg.type === 'failed') {
    queued.shift();
    turn(queued[0]);
  }
};
parentPort.on('message', (m) => {
  if (m.type !== 'task') return;
  queued.push(m);
  if (queued.length === 1) turn(m);
});
await import(${JSON.stringify(workerEntry().href)});
`,
    );
    writeFileSync(join(dir, 'broken-worker.mjs'), 'throw new Error("cannot load");\n');
  });
  const crashUrl = (): URL => pathToFileURL(join(dir, 'crashing-worker.mjs'));

  it('reports a file that kills its worker as skipped, replaces the worker, checks the rest', async () => {
    const p = createScanPool({ size: 2, workerUrl: crashUrl() });
    try {
      const bad = [
        { path: 'pkg/CRASH_THROW.py', content: 'x = 1\n' },
        { path: 'pkg/CRASH_EXIT.py', content: 'y = 2\n' },
      ];
      const files = [...pythonFiles(), ...bad];
      const r = await p.scan(files, { config: config(), now: NOW });
      const rest = await scan(pythonFiles(), { config: config(), now: NOW });
      expect(r.findings).toEqual(rest.findings);
      expect(r.skipped).toEqual([
        { path: 'pkg/CRASH_THROW.py', reason: expect.stringContaining('boom'), error: true },
        { path: 'pkg/CRASH_EXIT.py', reason: expect.stringContaining('code 7'), error: true },
      ]);
      expect(r.diagnostics.filter((d) => d.kind === 'skipped').map((d) => d.path)).toEqual(['pkg/CRASH_THROW.py', 'pkg/CRASH_EXIT.py']);
      expect(r.stats.filesScanned).toBe(rest.stats.filesScanned);
      // Still usable afterwards.
      const again = await p.scan(pythonFiles(), { config: config(), now: NOW });
      expect(again.findings).toEqual(rest.findings);
    } finally {
      await p.close();
    }
  });

  it('close() ends workers between files, and terminates one stuck on a file after the grace period', async () => {
    const p = createScanPool({ size: 1, workerUrl: crashUrl(), stopGraceMs: 300 });
    const stuck = p.scan([...pythonFiles().slice(0, 2), { path: 'pkg/HANG.py', content: new TextEncoder().encode('x = 1\n') }, ...pythonFiles().slice(2, 12)], { config: config(), now: NOW });
    stuck.catch(() => undefined);
    // Let the worker reach the file it hangs on.
    for (let i = 0; i < 100 && p.threads === 0; i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 1500));
    const started = Date.now();
    await p.close();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(p.threads).toBe(0);
    await expect(stuck).rejects.toThrow(/closed/);
  });

  it('gives up on a file that takes too long', async () => {
    const p = createScanPool({ size: 2, workerUrl: crashUrl(), taskTimeoutMs: 4000 });
    try {
      const r = await p.scan([...pythonFiles(), { path: 'HANG.py', content: 'z = 3\n' }], { config: config(), now: NOW });
      expect(r.skipped).toEqual([{ path: 'HANG.py', reason: expect.stringContaining('longer than'), error: true }]);
      expect(r.findings).toEqual((await scan(pythonFiles(), { config: config(), now: NOW })).findings);
    } finally {
      await p.close();
    }
  });

  it('fails the scan clearly when workers cannot start', async () => {
    const p = createScanPool({ size: 2, workerUrl: pathToFileURL(join(dir, 'broken-worker.mjs')) });
    try {
      await expect(p.scan(pythonFiles(), { config: config(), now: NOW })).rejects.toThrow(/failed to start: cannot load/);
    } finally {
      await p.close();
    }
  });

  it('warm() resolves even when the workers cannot start', async () => {
    const p = createScanPool({ size: 2, workerUrl: pathToFileURL(join(dir, 'broken-worker.mjs')) });
    try {
      await p.warm();
      expect(p.threads).toBe(0);
    } finally {
      await p.close();
    }
  });

  it('close() terminates the threads and rejects running scans', async () => {
    const p = createScanPool({ size: 2 });
    await p.scan(pythonFiles(), { config: config(), now: NOW });
    expect(p.threads).toBe(2);
    const running = p.scan(pythonFiles(), { config: config(), now: NOW }).catch((err: Error) => err);
    await p.close();
    expect(p.threads).toBe(0);
    expect(await running).toEqual(expect.objectContaining({ message: expect.stringMatching(/closed/) }));
    await expect(p.scan(pythonFiles(), { config: config(), now: NOW })).rejects.toThrow(/closed/);
  });
});
