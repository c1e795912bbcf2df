/**
 * The Redis queue against the real Redis on 127.0.0.1:6379 (CI starts one). A unique queue
 * name per run; every key is deleted afterwards. Locally without Redis the suite is skipped;
 * in CI (CI set) an unreachable Redis fails it.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { backoffDelay, createBullmqQueue, isRetryable, retryAfterMs, safeJobId, type AttemptInfo, type BullmqQueue } from '../../src/queue/bullmq.js';
import { createQueue } from '../../src/queue/index.js';
import type { Job, ReviewJobData } from '../../src/queue/memory.js';
import { JobAborted } from '../../src/queue/context.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const PREFIX = `pysec-test-${randomBytes(4).toString('hex')}`;

async function redisUp(): Promise<boolean> {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

const up = await redisUp();
if (!up && process.env.CI) throw new Error(`Redis is not answering on ${REDIS_URL}; CI must start one (.ci/run)`);
if (!up) console.warn(`Redis is not answering on ${REDIS_URL}: skipping the BullMQ queue tests`);
const describeRedis = up ? describe : describe.skip;

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };

function data(sha: string, number = 1): ReviewJobData {
  return {
    installationId: 7,
    owner: 'acme',
    repo: 'app',
    number,
    headSha: sha,
    baseSha: 'base',
    headOwner: 'acme',
    headRepo: 'app',
    draft: false,
    force: false,
    deliveryId: `d-${sha}`,
  };
}

function job(sha: string, number = 1): Job {
  const d = data(sha, number);
  return {
    id: `${d.owner}/${d.repo}#${d.number}@${d.headSha}`,
    group: `${d.owner}/${d.repo}#${d.number}`,
    data: d,
    run: () => Promise.reject(new Error('the Redis queue must not call run')),
  };
}

function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

function httpError(status: number, headers: Record<string, string> = {}, message = `HTTP ${status}`): Error {
  return Object.assign(new Error(message), { status, response: { headers } });
}

describe('isRetryable / retryAfterMs / backoffDelay / safeJobId', () => {
  it.each([
    [httpError(500), true],
    [httpError(502), true],
    [httpError(429), true],
    [httpError(403, { 'retry-after': '60' }), true],
    [httpError(403, {}, 'You have exceeded a secondary rate limit'), true],
    [httpError(403, { 'x-ratelimit-remaining': '0' }), true],
    [httpError(403), false],
    [httpError(404), false],
    [httpError(422), false],
    [Object.assign(new Error('socket'), { code: 'ECONNRESET' }), true],
    [Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('x'), { code: 'UND_ERR_SOCKET' }) }), true],
    [new TypeError('undefined is not a function'), false],
    ['string error', false],
  ])('%p → %p', (err, expected) => {
    expect(isRetryable(err)).toBe(expected);
  });

  it('reads retry-after and the primary limit reset', () => {
    expect(retryAfterMs(httpError(403, { 'retry-after': '3' }))).toBe(3000);
    expect(retryAfterMs(httpError(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1010' }), 1_000_000)).toBe(10_000);
    expect(retryAfterMs(httpError(500))).toBeUndefined();
  });

  it('backs off exponentially, honours retry-after, and caps', () => {
    const d1 = backoffDelay(1, httpError(502), 1000, 60_000);
    const d3 = backoffDelay(3, httpError(502), 1000, 60_000);
    expect(d1).toBeGreaterThanOrEqual(800);
    expect(d1).toBeLessThanOrEqual(1200);
    expect(d3).toBeGreaterThanOrEqual(3200);
    expect(d3).toBeLessThanOrEqual(4800);
    expect(backoffDelay(1, httpError(403, { 'retry-after': '30' }), 1000, 60_000)).toBe(30_000);
    expect(backoffDelay(10, httpError(502), 1000, 60_000)).toBe(60_000);
  });

  it('makes ids BullMQ accepts', () => {
    expect(safeJobId('acme/app#1@abc')).toBe('acme/app#1@abc');
    expect(safeJobId('a:b%c')).toBe('a%3Ab%25c');
    expect(safeJobId('123')).toBe('j123');
  });
});

describeRedis('BullMQ review queue (real Redis)', () => {
  const connections: Redis[] = [];
  const queues: BullmqQueue[] = [];
  let n = 0;

  const connect = (): Redis => {
    const c = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    connections.push(c);
    return c;
  };

  /** A fresh queue name per test; `replicas` queue instances share it, each with its own connection and worker. */
  function replicas(
    count: number,
    process: (d: ReviewJobData, info: AttemptInfo) => Promise<void>,
    extra: Partial<Parameters<typeof createBullmqQueue>[0]> = {},
  ): BullmqQueue[] {
    const queueName = `q${++n}`;
    const made = Array.from({ length: count }, () =>
      createBullmqQueue({
        connection: connect(),
        queueName,
        prefix: PREFIX,
        concurrency: 4,
        process,
        log: silent,
        backoffMs: 20,
        groupRetryMs: 50,
        idlePollMs: 20,
        ...extra,
      }),
    );
    queues.push(...made);
    return made;
  }

  afterAll(async () => {
    for (const q of queues) await q.close();
    const seen = new Set<string>();
    for (const q of queues) {
      if (seen.has(q.queue.name)) continue;
      seen.add(q.queue.name);
      await q.queue.obliterate({ force: true });
    }
    // Our own keys (latest pointers, locks) and anything left: everything under the run's prefix.
    const admin = connect();
    const keys = await admin.keys(`${PREFIX}:*`);
    if (keys.length > 0) await admin.del(...keys);
    expect(await admin.keys(`${PREFIX}:*`)).toEqual([]);
    for (const c of connections) await c.quit();
  });

  it('dedupes the same id, also across two replicas sharing Redis', async () => {
    const g = gate();
    const ran: string[] = [];
    const [a, b] = replicas(2, async (d) => {
      ran.push(d.headSha);
      await g.promise;
    }) as [BullmqQueue, BullmqQueue];
    expect(await a.add(job('s1'))).toBe(true);
    expect(await a.add(job('s1'))).toBe(false);
    expect(await b.add(job('s1'))).toBe(false);
    // The same delivery arriving at both replicas at the same moment.
    const both = await Promise.all([a.add(job('s2', 2)), b.add(job('s2', 2))]);
    expect(both.filter(Boolean)).toHaveLength(1);
    await wait(200);
    expect(await a.add(job('s1'))).toBe(false); // running now: still a duplicate
    g.open();
    await a.onIdle();
    expect(ran.sort()).toEqual(['s1', 's2']);
    // Finished jobs are removed, as in the memory queue: a later rescan of the same commit runs again.
    expect(await b.add(job('s1'))).toBe(true);
    await b.onIdle();
    expect(ran.filter((s) => s === 's1')).toHaveLength(2);
  });

  it('10 rapid pushes to one PR over two replicas: the final SHA is reviewed; older ones are dropped or told to stop', async () => {
    const ran: string[] = [];
    const startedAt = new Map<string, number>();
    const stopped = new Map<string, string | undefined>();
    const superseded: string[] = [];
    const [a, b] = replicas(
      2,
      async (d, info) => {
        ran.push(d.headSha);
        startedAt.set(d.headSha, Date.now());
        // A review that honours its signal: it stops as soon as a newer commit supersedes it.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, d.headSha === 'sha9' ? 100 : 5000);
          info.signal.addEventListener('abort', () => {
            clearTimeout(timer);
            resolve();
          });
        });
        if (info.signal.aborted) stopped.set(d.headSha, (info.signal.reason as JobAborted).by);
      },
      { superseded: async (d) => void superseded.push(d.headSha), supersedePollMs: 20 },
    ) as [BullmqQueue, BullmqQueue];
    const addedAt: number[] = [];
    for (let i = 0; i < 10; i++) {
      expect(await (i % 2 ? b : a).add(job(`sha${i}`))).toBe(true);
      addedAt.push(Date.now());
    }
    await a.onIdle();
    expect(ran.filter((s) => s === 'sha9')).toHaveLength(1);
    expect(stopped.has('sha9')).toBe(false);
    // A superseded SHA ran only if a worker had started it before the next push was queued, and
    // then it was told to stop (by a newer SHA) instead of running to its end.
    const early = ran.filter((s) => s !== 'sha9');
    for (const sha of early) {
      const i = Number(sha.slice(3));
      expect(startedAt.get(sha)).toBeLessThanOrEqual(addedAt[i + 1] as number);
      expect(stopped.get(sha)).toMatch(/@sha\d$/);
    }
    // Every other SHA was superseded exactly once (removed while waiting, or skipped at start).
    expect([...superseded, ...ran].sort()).toEqual(Array.from({ length: 10 }, (_, i) => `sha${i}`).sort());
  });

  it('runs one job per PR at a time, across replicas; different PRs run in parallel', async () => {
    const g1 = gate();
    const started = gate();
    const events: string[] = [];
    let active = 0;
    let maxActive = 0;
    const [a, b] = replicas(2, async (d) => {
      if (d.number === 1) {
        active++;
        maxActive = Math.max(maxActive, active);
      }
      events.push(`start ${d.number}@${d.headSha}`);
      if (d.headSha === 'first') {
        started.open();
        await g1.promise;
      }
      events.push(`end ${d.number}@${d.headSha}`);
      if (d.number === 1) active--;
    }) as [BullmqQueue, BullmqQueue];
    await a.add(job('first'));
    await started.promise;
    // A newer push while `first` runs: it may not start until `first` has finished.
    await b.add(job('second'));
    await a.add(job('other', 2));
    await wait(400);
    expect(events).toContain('end 2@other');
    expect(events).not.toContain('start 1@second');
    g1.open();
    await a.onIdle();
    expect(maxActive).toBe(1);
    expect(events.indexOf('start 1@second')).toBeGreaterThan(events.indexOf('end 1@first'));
  });

  it('retries a retryable error with backoff, then succeeds', async () => {
    const attempts: AttemptInfo[] = [];
    const [q] = replicas(1, async (_d, info) => {
      attempts.push(info);
      if (info.attempt < 3) throw httpError(502);
    }) as [BullmqQueue];
    await q.add(job('r1'));
    await q.onIdle();
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    expect(attempts.map((a) => a.final)).toEqual([false, false, false]);
  });

  it('stops after the last attempt, telling process it is the final one', async () => {
    const attempts: AttemptInfo[] = [];
    const [q] = replicas(
      1,
      async (_d, info) => {
        attempts.push(info);
        throw httpError(503);
      },
      { attempts: 3 },
    ) as [BullmqQueue];
    await q.add(job('r2'));
    await q.onIdle();
    expect(attempts.map((a) => [a.attempt, a.final])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
  });

  it('does not retry a non-retryable error', async () => {
    const errors: string[] = [];
    let calls = 0;
    const [q] = replicas(
      1,
      async () => {
        calls++;
        throw httpError(422, {}, 'Unprocessable Entity');
      },
      { log: { ...silent, error: (_o: object, msg?: string) => void errors.push(msg ?? '') } },
    ) as [BullmqQueue];
    await q.add(job('r3'));
    await q.onIdle();
    await wait(100);
    expect(calls).toBe(1);
    expect(errors).toContain('review job failed (not retryable)');
  });

  it('runs at most installationConcurrency reviews of one installation at once, across replicas', async () => {
    let active = 0;
    let peak = 0;
    let otherRan = false;
    const [a, b] = replicas(
      2,
      async (d) => {
        if (d.installationId === 99) {
          otherRan = true;
          return;
        }
        active++;
        peak = Math.max(peak, active);
        await wait(150);
        active--;
      },
      { installationConcurrency: 2 },
    ) as [BullmqQueue, BullmqQueue];
    for (let pr = 1; pr <= 6; pr++) await (pr % 2 ? a : b).add(job(`i${pr}`, pr));
    const other = job('o1', 50);
    await a.add({ ...other, data: { ...(other.data as ReviewJobData), installationId: 99 } });
    await wait(100);
    // The other installation is not held up behind the first one's queue.
    expect(otherRan).toBe(true);
    await a.onIdle();
    expect(peak).toBe(2);
  });

  it('a retry finds what the earlier attempt saved (the check run id)', async () => {
    const seen: (number | undefined)[] = [];
    const [q] = replicas(1, async (_d, info) => {
      seen.push(info.state.checkRunId);
      if (info.attempt === 1) {
        await info.save({ checkRunId: 4242 });
        throw httpError(502);
      }
    }) as [BullmqQueue];
    await q.add(job('s-state'));
    await q.onIdle();
    expect(seen).toEqual([undefined, 4242]);
  });

  it('a job waiting for its retry is run once more, told it was superseded, to complete its check run', async () => {
    const runs: { sha: string; attempt: number; aborted: boolean; checkRunId?: number }[] = [];
    const superseded: string[] = [];
    const [q] = replicas(
      1,
      async (d, info) => {
        runs.push({ sha: d.headSha, attempt: info.attempt, aborted: info.signal.aborted, ...info.state });
        if (d.headSha === 'old' && !info.signal.aborted) {
          await info.save({ checkRunId: 7 });
          throw httpError(503);
        }
      },
      { backoffMs: 60_000, maxBackoffMs: 60_000, superseded: async (d) => void superseded.push(d.headSha) },
    ) as [BullmqQueue];
    await q.add(job('old'));
    for (let i = 0; i < 100 && runs.length === 0; i++) await wait(20);
    await wait(100); // now delayed for a minute
    await q.add(job('new'));
    await q.onIdle();
    expect(runs).toEqual(
      expect.arrayContaining([
        { sha: 'old', attempt: 1, aborted: false },
        { sha: 'old', attempt: 2, aborted: true, checkRunId: 7 },
        { sha: 'new', attempt: 1, aborted: false },
      ]),
    );
    expect(runs).toHaveLength(3);
    expect(superseded).toEqual([]);
  });

  it('close with a grace period: stops waiting at the deadline, leaving the job to stalled recovery', async () => {
    const g = gate();
    const started = gate();
    const [q] = replicas(1, async () => {
      started.open();
      await g.promise;
    }) as [BullmqQueue];
    await q.add(job('slow'));
    await started.promise;
    const t0 = Date.now();
    await q.close({ graceMs: 200 });
    const took = Date.now() - t0;
    g.open();
    expect(took).toBeGreaterThanOrEqual(190);
    expect(took).toBeLessThan(3000);
    // Still active in Redis: another worker picks it up once its lock expires.
    expect(await q.queue.getJobCounts('active')).toEqual({ active: 1 });
  });

  it('refuses a job without data', async () => {
    const [q] = replicas(1, async () => undefined, { worker: false }) as [BullmqQueue];
    await expect(q.add({ id: 'x/y#1@z', group: 'x/y#1', run: async () => undefined })).rejects.toThrow(/no data/);
  });

  it('onIdle waits for running jobs; close waits for the running job and does not hang', async () => {
    let g = gate();
    let started = gate();
    const finished: string[] = [];
    const [q] = replicas(1, async (d) => {
      started.open();
      await g.promise;
      await wait(50);
      finished.push(d.headSha);
    }) as [BullmqQueue];
    await q.add(job('c1'));
    await started.promise;
    expect(await q.size()).toEqual({ queued: 0, running: 1 });
    let idle = false;
    const idlePromise = q.onIdle().then(() => (idle = true));
    await wait(100);
    expect(idle).toBe(false);
    g.open();
    await idlePromise;
    expect(finished).toEqual(['c1']);
    expect(await q.size()).toEqual({ queued: 0, running: 0 });

    g = gate();
    started = gate();
    await q.add(job('c2'));
    await started.promise;
    setTimeout(g.open, 100);
    const t0 = Date.now();
    await q.close();
    expect(finished).toEqual(['c1', 'c2']);
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});

describeRedis('createQueue', () => {
  it('returns the memory queue without a URL and the Redis queue with one', async () => {
    const ran: string[] = [];
    const handlers = { process: async (d: ReviewJobData) => void ran.push(`redis ${d.headSha}`) };
    const memory = createQueue({ concurrency: 1, log: silent, handlers });
    expect(memory.kind).toBe('memory');
    expect(await memory.add({ ...job('m1'), run: async () => void ran.push('memory m1') })).toBe(true);
    await memory.onIdle();
    await memory.close();

    const redis = createQueue({ redisUrl: REDIS_URL, concurrency: 1, log: silent, handlers, prefix: PREFIX, queueName: 'factory' });
    expect(redis.kind).toBe('redis');
    expect(await redis.add(job('f1'))).toBe(true);
    await redis.onIdle();
    await redis.close();
    expect(ran).toEqual(['memory m1', 'redis f1']);

    const admin = new Redis(REDIS_URL);
    const keys = await admin.keys(`${PREFIX}:factory:*`);
    if (keys.length > 0) await admin.del(...keys);
    await admin.quit();
  });
});
