/**
 * `pysec scan --jobs N`: the worker-thread pool (dist/scan/worker.js, built by `npm ci`)
 * gives the same report as the in-process scan.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli, type CliRun } from '../helpers/cli.js';


async function pysec(args: string[], cwd: string): Promise<CliRun> {
  // No advisory lookups: these tests are about threads, not dependencies.
  return runCli(args, { cwd, env: { PYSEC_OFFLINE: '1' } });
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pysec-jobs-'));
  const files: Record<string, string> = {
    'requirements.txt': 'flask\nrequests==2.19.0\n',
    'setup.py': 'from setuptools import setup\nsetup(name="x", python_requires=">=3.6")\n',
    'broken.py': 'def f(:\n  pass\n',
  };
  for (let i = 0; i < 16; i++) {
    files[`app/m${i}.py`] = [
      'import subprocess, hashlib, pickle, sys',
      `def handler_${i}(cmd):`,
      '    subprocess.run(cmd, shell=True)',
      '    pickle.loads(sys.stdin.buffer.read())',
      ...Array.from({ length: i }, (_, k) => `    h${k} = hashlib.md5(b"${k}").hexdigest()`),
      '',
    ].join('\n');
  }
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const withoutTiming = (json: string): unknown => {
  const report = JSON.parse(json) as { stats: { durationMs: number } };
  report.stats.durationMs = 0;
  return report;
};

describe('pysec scan --jobs', () => {
  it('reports the same with worker threads as in-process', async () => {
    const one = await pysec(['scan', '.', '-f', 'json', '--jobs', '1'], dir);
    const two = await pysec(['scan', '.', '-f', 'json', '--jobs', '2'], dir);
    const byDefault = await pysec(['scan', '.', '-f', 'json'], dir);
    expect(one.stderr).toBe('');
    expect(two.stderr).toBe('');
    const expected = withoutTiming(one.stdout) as { findings: unknown[] };
    expect(expected.findings.length).toBeGreaterThan(16);
    expect(withoutTiming(two.stdout)).toEqual(expected);
    expect(withoutTiming(byDefault.stdout)).toEqual(expected);
    expect(two.code).toBe(one.code);
  });

  it('text output and exit code match too', async () => {
    const one = await pysec(['scan', '.', '--jobs', '1', '--fail-on', 'high', '--no-color'], dir);
    const three = await pysec(['scan', '.', '-j', '3', '--fail-on', 'high', '--no-color'], dir);
    const strip = (t: string): string => t.replace(/in \d+(\.\d+)? ?m?s/g, 'in <time>');
    expect(strip(three.stdout)).toBe(strip(one.stdout));
    expect(three.code).toBe(one.code);
  });

  it.each(['0', '-1', '1.5', 'many', ''])('rejects --jobs %p', async (value) => {
    const r = await pysec(['scan', '.', '--jobs', value], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--jobs');
  });
});
