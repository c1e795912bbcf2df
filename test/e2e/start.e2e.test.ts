/**
 * `npm start` as a process (node dist/start.js, the build `prepare` makes): it serves, and it
 * stops cleanly on SIGTERM; it refuses to start without a webhook secret.
 */
import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testPrivateKey } from '../helpers/app.js';

const START = fileURLToPath(new URL('../../dist/start.js', import.meta.url));

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

function start(
  env: Record<string, string>,
  files: Record<string, string> = {},
): { exit: Promise<{ code: number | null; stderr: string }>; kill: (s: NodeJS.Signals) => void } {
  // A working directory of its own, holding only `files` (e.g. a .env).
  const cwd = mkdtempSync(join(tmpdir(), 'pysec-start-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(cwd, name), text);
  const base: Record<string, string> = { PATH: process.env.PATH ?? '', LOG_LEVEL: 'fatal', PYSEC_OFFLINE: '1' };
  const child = spawn(process.execPath, [START], { cwd, env: { ...base, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on('exit', (code) => {
      rmSync(cwd, { recursive: true, force: true });
      resolve({ code, stderr });
    }),
  );
  return { exit, kill: (s) => child.kill(s) };
}

async function waitForPing(port: number, ms = 15_000): Promise<string> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      return await (await fetch(`http://127.0.0.1:${port}/ping`)).text();
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describe('node dist/start.js', () => {
  it('serves /ping and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const app = start({ APP_ID: '1', PRIVATE_KEY: testPrivateKey(), WEBHOOK_SECRET: 's3cret', HOST: '127.0.0.1', PORT: String(port), GHE_HOST: '127.0.0.1:9', GHE_PROTOCOL: 'http' });
    expect(await waitForPing(port)).toBe('PONG');
    app.kill('SIGTERM');
    const { code } = await app.exit;
    expect(code).toBe(0);
  }, 30_000);

  it('reads a .env in its working directory, as `probot run` does, and serves with its own receiver', async () => {
    const port = await freePort();
    const dotenv = ['APP_ID=1', 'PRIVATE_KEY_PATH=./key.pem', 'WEBHOOK_SECRET=s3cret', 'HOST=127.0.0.1', `PORT=${port}`, 'GHE_HOST=127.0.0.1:9', 'GHE_PROTOCOL=http'].join('\n');
    const app = start({}, { '.env': `${dotenv}\n`, 'key.pem': testPrivateKey() });
    expect(await waitForPing(port)).toBe('PONG');
    // The receiver's own answer to an unsigned delivery (Probot's server words it differently).
    const res = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('missing X-GitHub-Delivery');
    app.kill('SIGTERM');
    expect((await app.exit).code).toBe(0);
  }, 30_000);

  it('refuses to start without WEBHOOK_SECRET', async () => {
    const app = start({ APP_ID: '1', PRIVATE_KEY: testPrivateKey(), PORT: String(await freePort()) });
    const { code, stderr } = await app.exit;
    expect(code).toBe(1);
    expect(stderr).toContain('WEBHOOK_SECRET is not set');
  }, 30_000);
});
