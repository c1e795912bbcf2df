/**
 * Replicas of the app as child processes (test/e2e/support/app-process.mjs), for the end-to-end
 * tests that need more than one process on one Redis: start, signed webhooks, kill, stop, and
 * cleanup of the queue's Redis keys.
 *
 * The replicas run dist/ (what `npm start` runs). `ensureBuilt()` rebuilds it first when a file
 * under src/ is newer than dist/app.js (in CI, `npm ci` has just built it).
 */
import { execFile, fork, type ChildProcess } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const LAUNCHER = fileURLToPath(new URL('./app-process.mjs', import.meta.url));

export const REDIS_URL = process.env.PYSEC_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Build dist/ when it is missing or older than src/ (one build at a time across test files).
 * A build takes ~20 s on an idle 2-core machine and minutes on a busy one: call it from a
 * `beforeAll` of its own with a long timeout, so the tests' own time limits stay tight.
 */
export async function ensureBuilt(): Promise<void> {
  const app = join(ROOT, 'dist/app.js');
  const stale = (): boolean => !existsSync(app) || statSync(app).mtimeMs < newestMtime(join(ROOT, 'src'));
  if (!stale()) return;
  const lock = join(ROOT, 'node_modules/.cache/pysec-e2e-build.lock');
  mkdirSync(join(ROOT, 'node_modules/.cache'), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another test file is building: wait for it (a lock older than 2 min is abandoned).
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })!.mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('timed out waiting for another build of dist/');
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    if (stale()) {
      await new Promise<void>((resolve, reject) => {
        execFile(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT }, (err, stdout) =>
          err ? reject(new Error(`npm run build failed (the replicas run dist/):\n${String(stdout).slice(0, 4000)}`)) : resolve(),
        );
      });
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface ReplicaOptions {
  /** Probot settings: APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, GHE_HOST, GHE_PROTOCOL, LOG_LEVEL, ... */
  env: Record<string, string>;
  /** createApp's options (JSON): redisUrl, queuePrefix, ... */
  app: Record<string, unknown>;
  /** BullMQ stalled-job recovery timing (see app-process.mjs). */
  stalled?: { lockDuration?: number; stalledInterval?: number; maxStalledCount?: number };
  /** The replica's output, for debugging (default: discarded unless PYSEC_E2E_VERBOSE is set). */
  verbose?: boolean;
}

export interface Replica {
  readonly name: string;
  readonly pid: number;
  readonly url: string;
  readonly exited: Promise<number | null>;
  /** What the replica printed (stdout and stderr). */
  output(): string;
  kill(signal: NodeJS.Signals): void;
  /** Close the queue and the server, then wait for the exit (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

const live = new Set<ChildProcess>();
// The last line of defence: a replica never outlives the test process.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** SIGKILL every replica still running (afterAll's backstop when a start or a stop timed out). */
export function killAll(): void {
  for (const child of live) child.kill('SIGKILL');
}

export async function startReplica(name: string, opts: ReplicaOptions, timeoutMs = 20_000): Promise<Replica> {
  const cwd = mkdtempSync(join(tmpdir(), `pysec-replica-${name}-`));
  const env: NodeJS.ProcessEnv = { ...process.env, PYSEC_E2E_APP: JSON.stringify({ env: opts.env, app: opts.app, stalled: opts.stalled }) };
  // The replica gets its settings from PYSEC_E2E_APP only; none of the developer's may leak in.
  for (const k of ['REDIS_URL', 'WEBHOOK_PROXY_URL', 'PRIVATE_KEY_PATH', 'NODE_OPTIONS', 'APP_ID', 'PRIVATE_KEY', 'WEBHOOK_SECRET', 'GHE_HOST']) delete env[k];
  const child = fork(LAUNCHER, [], { cwd, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  live.add(child);
  const chunks: string[] = [];
  const verbose = opts.verbose ?? Boolean(process.env.PYSEC_E2E_VERBOSE);
  const collect = (stream: 'out' | 'err') => (buf: Buffer) => {
    chunks.push(buf.toString('utf8'));
    if (verbose) process[stream === 'out' ? 'stdout' : 'stderr'].write(`[${name}] ${buf.toString('utf8')}`);
  };
  child.stdout?.on('data', collect('out'));
  child.stderr?.on('data', collect('err'));
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      live.delete(child);
      rmSync(cwd, { recursive: true, force: true });
      resolve(code);
    });
  });
  const output = (): string => chunks.join('').slice(-8000);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`replica ${name} did not start within ${timeoutMs} ms:\n${output()}`));
    }, timeoutMs);
    child.on('message', (msg: { type?: string; port?: number }) => {
      if (msg?.type !== 'ready' || !msg.port) return;
      clearTimeout(timer);
      resolve(msg.port);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`replica ${name} exited (${code}) before it was ready:\n${output()}`));
    });
  });
  return {
    name,
    pid: child.pid as number,
    url: `http://127.0.0.1:${port}`,
    exited,
    output,
    kill: (signal) => {
      child.kill(signal);
    },
    async stop(graceMs = 8000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

export function sign(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface Delivery {
  event: string;
  id: string;
  body: string;
}

export function delivery(event: string, payload: unknown, id: string = randomUUID()): Delivery {
  return { event, id, body: JSON.stringify(payload) };
}

/** POST a signed delivery to a replica's webhook endpoint; resolves with the HTTP status. */
export async function deliver(replica: Replica, d: Delivery, secret: string): Promise<number> {
  const res = await fetch(`${replica.url}/api/github/webhooks`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/e2e',
      'x-github-event': d.event,
      'x-github-delivery': d.id,
      'x-github-hook-id': '292430182',
      'x-github-hook-installation-target-id': '1',
      'x-github-hook-installation-target-type': 'integration',
      'x-hub-signature-256': sign(d.body, secret),
    },
    body: d.body,
  });
  await res.arrayBuffer();
  return res.status;
}

/** A queue prefix no other test run uses. */
export function uniquePrefix(label: string): string {
  return `pysec-e2e-${label}-${process.pid}-${randomUUID().slice(0, 8)}`;
}

/** Delete every Redis key under `prefix` (the queue's and pysec's own). */
export async function deletePrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
