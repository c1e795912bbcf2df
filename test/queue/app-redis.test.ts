/**
 * The app with REDIS_URL: a pull_request webhook becomes a BullMQ job on Redis, a worker picks
 * it up, rebuilds the installation client from the job's data (`app.auth(installationId)`)
 * and runs the same review. GitHub is nock; Redis is the real server on 127.0.0.1:6379.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import nock from 'nock';
import { Redis } from 'ioredis';
import { Probot, ProbotOctokit } from 'probot';
import { createApp } from '../../src/app.js';
import type { ReviewJobResult } from '../../src/github/job.js';
import { GITHUB_API, GITHUB_ORIGIN } from '../helpers/github.js';
import {
  HEAD_SHA,
  INSTALLATION_ID,
  SHELL_LINE,
  blobAnswer,
  checkRunResponse,
  loadEvent,
  prFiles,
  testPrivateKey,
} from '../helpers/app.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const REPO_PATH = '/api/v3/repos/acme/shop';
const TestOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { ...(options.throttle as object), enabled: false },
}));

let redisUp = false;
beforeAll(async () => {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redisUp = await probe
    .connect()
    .then(() => probe.ping())
    .then((r) => r === 'PONG')
    .catch(() => false);
  probe.disconnect();
  if (!redisUp && process.env.CI) throw new Error('Redis is not reachable on 127.0.0.1:6379 (CI must start one)');
  nock.disableNetConnect();
});
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('the app on a Redis queue', () => {
  it('reviews a pull request through a BullMQ worker that rebuilds the installation client', async () => {
    if (!redisUp) {
      console.warn('skipped: no Redis on 127.0.0.1:6379');
      return;
    }
    // A fresh key space for this run, removed afterwards.
    const prefix = `pysec-test-${randomBytes(4).toString('hex')}`;
    let review: { comments: { path: string; line: number }[] } | undefined;
    let completed: Record<string, unknown> | undefined;
    const scope = nock(GITHUB_ORIGIN)
      .post(`/api/v3/app/installations/${INSTALLATION_ID}/access_tokens`)
      .reply(201, { token: 'ghs_redisqueuetesttoken000000000000000', expires_at: new Date(Date.now() + 3_600_000).toISOString() })
      .get(`${REPO_PATH}/contents/.github%2Fpysec.yml`)
      .reply(404, { message: 'Not Found' })
      .get('/api/v3/repos/acme/.github/contents/.github%2Fpysec.yml')
      .reply(404, { message: 'Not Found' })
      .post(`${REPO_PATH}/check-runs`)
      .reply(201, (_uri, body) => checkRunResponse(77, body as Record<string, unknown>))
      .get(`${REPO_PATH}/pulls/7/files`)
      .query({ per_page: '100' })
      .reply(200, prFiles())
      .post('/api/graphql')
      .reply(200, blobAnswer())
      .get(`${REPO_PATH}/pulls/7/comments`)
      .query({ per_page: '100' })
      .reply(200, [])
      .post(`${REPO_PATH}/pulls/7/reviews`, (body: typeof review) => {
        review = body;
        return true;
      })
      .reply(200, { id: 80, state: 'COMMENTED', commit_id: HEAD_SHA })
      .patch(`${REPO_PATH}/check-runs/77`, (body: Record<string, unknown>) => {
        completed = body;
        return true;
      })
      .reply(200, { id: 77, status: 'completed' });

    let done!: (r: ReviewJobResult) => void;
    const reviewed = new Promise<ReviewJobResult>((resolve) => (done = resolve));
    const probot = new Probot({ appId: 1, privateKey: testPrivateKey(), baseUrl: GITHUB_API, Octokit: TestOctokit, logLevel: 'fatal' });
    const closers: (() => Promise<void>)[] = [];
    await probot.load(
      createApp({
        redisUrl: REDIS_URL,
        queuePrefix: prefix,
        onQueue: (q) => closers.push(() => q.close()),
        onReviewed: (_pr, r) => done(r),
      }),
    );
    try {
      await probot.receive({ id: 'redis-delivery-1', name: 'pull_request', payload: loadEvent('pull_request.opened') } as never);
      const result = await Promise.race([
        reviewed,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no review within 20 s')), 20_000)),
      ]);
      expect(result.status).toBe('completed');
      expect(review?.comments.map((c) => [c.path, c.line])).toEqual([['app/views.py', SHELL_LINE]]);
      expect(completed).toMatchObject({ status: 'completed', conclusion: 'failure' });
      expect(scope.isDone()).toBe(true);
    } finally {
      for (const close of closers) await close();
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    }
  }, 30_000);
});
