/**
 * Fault injection: the app reviews acme/shop#7 against a GitHub stand-in on 127.0.0.1 that
 * fails on purpose — 5xx on listFiles, 429 with retry-after on createCheckRun, a secondary rate
 * limit 403 on createReview, a createReview GitHub processed but never answered (the client
 * times out), 422 on createReview, and a GitHub that keeps failing. In every case the check run
 * ends completed, exactly one check run exists, retryable failures were retried, and no
 * finding is commented twice (counted by fingerprint marker). Each case runs on the memory
 * queue and on the Redis queue (the real Redis on 127.0.0.1:6379, a fresh key prefix per case).
 *
 * Octokit's own retry and throttling plugins are off here, so the queue's retries are what is
 * exercised (in production they come on top: Probot's Octokit retries some 5xx itself and
 * waits out primary rate limits).
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { Probot, ProbotOctokit } from 'probot';
import { createApp } from '../../src/app.js';
import { FINGERPRINT_MARKER } from '../../src/github/contracts.js';
import type { ReviewJobResult } from '../../src/github/job.js';
import type { AppQueue } from '../../src/queue/index.js';
import { GitHubStandIn, loadEvent, testPrivateKey, type Fault } from '../helpers/app.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const TestOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { ...(options.throttle as object), enabled: false },
}));
const ATTEMPTS = 3;

let redisUp = false;
beforeAll(async () => {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  probe.on('error', () => undefined);
  redisUp = await probe
    .connect()
    .then(() => probe.ping())
    .then((r) => r === 'PONG')
    .catch(() => false);
  probe.disconnect();
  if (!redisUp && process.env.CI) throw new Error('Redis is not reachable on 127.0.0.1:6379 (CI must start one)');
});

let deliveries = 0;

interface RunningApp {
  probot: Probot;
  /** Every finished review, in order. */
  results: ReviewJobResult[];
  /** Resolves once `n` reviews have finished (rejects after 25 s with the requests seen). */
  reviews(n: number): Promise<ReviewJobResult[]>;
  deliver(event: string, payload: unknown): Promise<void>;
  close(): Promise<void>;
}

async function startApp(mode: 'memory' | 'redis', github: GitHubStandIn): Promise<RunningApp> {
  const prefix = `pysec-faults-${randomBytes(4).toString('hex')}`;
  const queues: AppQueue[] = [];
  const results: ReviewJobResult[] = [];
  const waiters: (() => void)[] = [];
  const probot = new Probot({ appId: 1, privateKey: testPrivateKey(), baseUrl: github.apiUrl, Octokit: TestOctokit, logLevel: 'fatal' });
  await probot.load(
    createApp({
      settings: { concurrency: 2, attempts: ATTEMPTS, backoffMs: 100, maxBackoffMs: 3000, githubTimeoutMs: 1000 },
      onReviewed: (_pr, r) => {
        results.push(r);
        for (const w of waiters.splice(0)) w();
      },
      onQueue: (q) => queues.push(q),
      ...(mode === 'redis' ? { redisUrl: REDIS_URL, queuePrefix: prefix } : {}),
    }),
  );
  return {
    probot,
    results,
    async reviews(n) {
      const deadline = Date.now() + 25_000;
      while (results.length < n) {
        if (Date.now() > deadline) {
          throw new Error(`${results.length} of ${n} reviews within 25 s; requests:\n${github.requests.map((r) => `${r.method} ${r.url} → ${r.status}`).join('\n')}`);
        }
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
      for (const q of queues) await q.onIdle();
      return results;
    },
    async deliver(name, payload) {
      await probot.receive({ id: `fault-${++deliveries}`, name, payload } as never);
    },
    async close() {
      for (const q of queues) await q.close({ graceMs: 5000 });
      if (mode === 'redis') {
        const admin = new Redis(REDIS_URL);
        const keys = await admin.keys(`${prefix}:*`);
        if (keys.length > 0) await admin.del(...keys);
        await admin.quit();
      }
    },
  };
}

/** One pull_request.opened through the app against a stand-in with `faults`; resolves with the final review result. */
async function reviewWithFaults(mode: 'memory' | 'redis', faults: Fault[]): Promise<{ github: GitHubStandIn; result: ReviewJobResult }> {
  const github = new GitHubStandIn();
  github.faults = faults;
  await github.start();
  const app = await startApp(mode, github);
  try {
    await app.deliver('pull_request', loadEvent('pull_request.opened'));
    const [result] = await app.reviews(1);
    return { github, result: result as ReviewJobResult };
  } finally {
    await app.close();
    await github.stop();
  }
}

/** What must hold whatever GitHub did: one check run, completed; no finding commented twice. */
function expectConsistent(github: GitHubStandIn): void {
  const runs = [...github.checkRuns.values()];
  expect(runs).toHaveLength(1);
  expect(runs.map((r) => r.status)).toEqual(['completed']);
  const fingerprints = github.comments.map((c) => FINGERPRINT_MARKER.exec(c.body)?.[1]);
  expect(fingerprints.every((f) => f !== undefined)).toBe(true);
  expect(new Set(fingerprints).size).toBe(fingerprints.length);
}

const plain = (s: string | null | undefined): string => (s ?? '').replace(/\\(.)/g, '$1');

describe.each(['memory', 'redis'] as const)('faults, %s queue', (mode) => {
  const skip = (): boolean => {
    if (mode === 'redis' && !redisUp) {
      console.warn('skipped: no Redis on 127.0.0.1:6379');
      return true;
    }
    return false;
  };

  it('5xx on listFiles (twice): retried, then reviewed', async () => {
    if (skip()) return;
    const { github, result } = await reviewWithFaults(mode, [{ method: 'GET', path: '/pulls/7/files', times: 2, reply: { status: 502 } }]);
    expect(result.status).toBe('completed');
    expect(github.calls('GET', '/pulls/7/files')).toHaveLength(3);
    expectConsistent(github);
    expect(github.comments.length).toBeGreaterThan(0);
    expect([...github.checkRuns.values()][0]?.conclusion).toBe('failure');
  }, 40_000);

  it('429 with retry-after on createCheckRun: waits as asked, one check run', async () => {
    if (skip()) return;
    const { github, result } = await reviewWithFaults(mode, [
      { method: 'POST', path: '/check-runs', times: 1, reply: { status: 429, headers: { 'retry-after': '1' }, body: { message: 'API rate limit exceeded' } } },
    ]);
    expect(result.status).toBe('completed');
    const creates = github.calls('POST', '/check-runs');
    expect(creates.map((r) => r.status)).toEqual([429, 201]);
    expect((creates[1]?.at ?? 0) - (creates[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expectConsistent(github);
  }, 40_000);

  it('secondary rate limit 403 on createReview: retried, the same check run completed, comments posted once', async () => {
    if (skip()) return;
    const { github, result } = await reviewWithFaults(mode, [
      {
        method: 'POST',
        path: '/pulls/7/reviews',
        times: 1,
        reply: { status: 403, body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' } },
      },
    ]);
    expect(result.status).toBe('completed');
    expect(github.calls('POST', '/pulls/7/reviews').map((r) => r.status)).toEqual([403, 200]);
    expect(github.calls('POST', '/check-runs')).toHaveLength(1);
    expect(github.reviews).toHaveLength(1);
    expectConsistent(github);
    expect(github.comments.length).toBeGreaterThan(0);
  }, 40_000);

  it('createReview times out although GitHub posted it: the retry sees the comments and posts nothing twice', async () => {
    if (skip()) return;
    const { github, result } = await reviewWithFaults(mode, [{ method: 'POST', path: '/pulls/7/reviews', times: 1, reply: 'hang', process: true }]);
    expect(result.status).toBe('completed');
    // The first attempt's review was stored; the second attempt found its markers and had nothing new to post.
    expect(github.reviews).toHaveLength(1);
    expect(github.calls('GET', '/pulls/7/comments').length).toBeGreaterThanOrEqual(2);
    expectConsistent(github);
    expect(github.comments.length).toBeGreaterThan(0);
    expect([...github.checkRuns.values()][0]?.conclusion).toBe('failure');
  }, 40_000);

  it('422 on createReview: not retried; the check run completes with every finding listed', async () => {
    if (skip()) return;
    const { github, result } = await reviewWithFaults(mode, [
      { method: 'POST', path: '/pulls/7/reviews', times: 99, reply: { status: 422, body: { message: 'Unprocessable Entity', errors: ['Line could not be resolved'] } } },
    ]);
    expect(result.status).toBe('completed');
    // publishReview's own single-line retry may make a second request; the queue adds none.
    expect(github.calls('POST', '/pulls/7/reviews').length).toBeLessThanOrEqual(2);
    expect(github.calls('GET', '/pulls/7/files')).toHaveLength(1);
    expect(github.comments).toEqual([]);
    expectConsistent(github);
    expect([...github.checkRuns.values()][0]?.conclusion).toBe('failure');
  }, 40_000);

  it('GitHub keeps failing: after the last attempt the check run says so, neutral', async () => {
    if (skip()) return;
    const { github, result } = await reviewWithFaults(mode, [{ method: 'GET', path: '/pulls/7/files', times: 99, reply: { status: 502 } }]);
    expect(result.status).toBe('failed');
    expect(github.calls('GET', '/pulls/7/files')).toHaveLength(ATTEMPTS);
    expectConsistent(github);
    const run = [...github.checkRuns.values()][0];
    expect(run?.conclusion).toBe('neutral');
    expect(plain(run?.summary)).toContain(`GitHub kept failing: HTTP 502 after ${ATTEMPTS} attempts; re-run to try again.`);
  }, 40_000);
  it('a push while the review waits on GitHub: the older review stops, "Superseded by", and never posts', async () => {
    if (skip()) return;
    const github = new GitHubStandIn();
    // The first listing of the files never answers: the first review is stuck there (1 s timeout).
    github.faults = [{ method: 'GET', path: '/pulls/7/files', times: 1, reply: 'hang' }];
    await github.start();
    const app = await startApp(mode, github);
    const newer = 'b'.repeat(40);
    try {
      await app.deliver('pull_request', loadEvent('pull_request.opened'));
      for (let i = 0; i < 200 && github.calls('GET', '/pulls/7/files').length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      const sync = loadEvent<{ pull_request: { head: { sha: string } } }>('pull_request.synchronize');
      sync.pull_request.head.sha = newer;
      await app.deliver('pull_request', sync);
      const results = await app.reviews(2);
      expect(results.map((r) => r.status).sort()).toEqual(['completed', 'skipped']);
      const runs = [...github.checkRuns.values()];
      expect(runs.map((r) => r.status)).toEqual(['completed', 'completed']);
      const old = runs.find((r) => r.headSha !== newer);
      expect(old).toMatchObject({ conclusion: 'neutral', title: 'Superseded by bbbbbbb' });
      expect(runs.find((r) => r.headSha === newer)?.conclusion).toBe('failure');
      // Only the newer commit was reviewed.
      expect(github.reviews.map((r) => r.commitId)).toEqual([newer]);
      const fingerprints = github.comments.map((c) => FINGERPRINT_MARKER.exec(c.body)?.[1]);
      expect(new Set(fingerprints).size).toBe(fingerprints.length);
    } finally {
      await app.close();
      await github.stop();
    }
  }, 40_000);
});

