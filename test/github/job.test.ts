/**
 * runReview inside a queue: retryable GitHub errors go back to the queue while attempts remain
 * (keeping the check run), the last attempt completes the check run saying GitHub kept failing,
 * and a job told to stop (superseded, shutdown) completes its check run without posting.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { runReview } from '../../src/github/job.js';
import { defaultConfig } from '../../src/config/schema.js';
import { JobAborted, type JobContext, type ResumeState } from '../../src/queue/context.js';
import { GITHUB_ORIGIN, testClient, testPr } from '../helpers/github.js';

const quiet = { info() {}, warn() {}, error() {}, debug() {} };
const REPO = '/api/v3/repos/acme/shop';
const pr = testPr();
const NEWER = `acme/shop#7@${'c'.repeat(40)}`;

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

function context(attempt: number, maxAttempts: number, state: ResumeState = {}, controller = new AbortController()): JobContext {
  return {
    jobId: `acme/shop#7@${pr.headSha}`,
    attempt,
    maxAttempts,
    final: attempt >= maxAttempts,
    signal: controller.signal,
    state,
    save: async (patch) => void Object.assign(state, patch),
  };
}

const review = (job: JobContext) =>
  runReview({ client: testClient(), pr, log: quiet, job, loadConfig: async () => ({ config: defaultConfig(), notices: [] }) });

/** A nock body matcher that records the body and accepts it. */
const record =
  (into: Update[]) =>
  (body: Update): boolean => {
    into.push(body);
    return true;
  };

interface Update {
  status?: string;
  conclusion?: string;
  output?: { title: string; summary: string };
}

describe('runReview: retries', () => {
  it('a retryable error with attempts left goes back to the queue, keeping the check run in progress', async () => {
    const state: ResumeState = {};
    const scope = nock(GITHUB_ORIGIN)
      .post(`${REPO}/check-runs`)
      .reply(201, { id: 31 })
      .get(`${REPO}/pulls/7/files`)
      .query(true)
      .reply(502, { message: 'Bad Gateway' });
    await expect(review(context(1, 3, state))).rejects.toMatchObject({ status: 502 });
    expect(state).toEqual({ checkRunId: 31 });
    expect(scope.isDone()).toBe(true); // and no PATCH: nock would have refused it
  });

  /** The rest of an empty pull request's review: no files, no comments, check run `id` completed. */
  const reviewsEmptyPr = (scope: nock.Scope, id: number, updates?: Update[]) =>
    scope
      .get(`${REPO}/pulls/7/files`)
      .query(true)
      .reply(200, [])
      .get(`${REPO}/pulls/7/comments`)
      .query(true)
      .reply(200, [])
      .patch(`${REPO}/check-runs/${id}`, updates ? record(updates) : undefined)
      .reply(200, { id });

  it('the next attempt completes the saved check run instead of creating another', async () => {
    const updates: Update[] = [];
    const scope = reviewsEmptyPr(nock(GITHUB_ORIGIN), 31, updates);
    const result = await review(context(2, 3, { checkRunId: 31 }));
    expect(result).toMatchObject({ status: 'completed', checkRunId: 31 });
    expect(updates).toEqual([expect.objectContaining({ status: 'completed', conclusion: 'success' })]);
    expect(scope.isDone()).toBe(true);
  });

  /** GitHub lists these check runs for the head commit; the review of an empty PR completes `open`. */
  const findsOpenRun = (runs: { id: number; status: string }[], open: number) =>
    reviewsEmptyPr(
      nock(GITHUB_ORIGIN)
        .get(`${REPO}/commits/${pr.headSha}/check-runs`)
        .query({ check_name: 'pysec', filter: 'latest', per_page: '100' })
        .reply(200, { total_count: runs.length, check_runs: runs.map((r) => ({ ...r, head_sha: pr.headSha, external_id: '7' })) }),
      open,
    );

  it('a retry whose check run id was lost finds the open run by name, head SHA and external_id', async () => {
    const scope = findsOpenRun(
      [
        { id: 40, status: 'completed' },
        { id: 41, status: 'in_progress' },
      ],
      41,
    );
    expect(await review(context(2, 3))).toMatchObject({ status: 'completed', checkRunId: 41 });
    expect(scope.isDone()).toBe(true);
  });

  it('a first attempt run again after its worker died (stalled-job recovery) also looks for its open run', async () => {
    const scope = findsOpenRun([{ id: 42, status: 'in_progress' }], 42);
    expect(await review({ ...context(1, 3), recovered: true })).toMatchObject({ status: 'completed', checkRunId: 42 });
    expect(scope.isDone()).toBe(true);
  });

  it('the last attempt completes the check run: GitHub kept failing, neutral, re-run to try again', async () => {
    const updates: Update[] = [];
    const scope = nock(GITHUB_ORIGIN)
      .get(`${REPO}/pulls/7/files`)
      .query(true)
      .reply(503, { message: 'Service Unavailable' })
      .patch(`${REPO}/check-runs/31`, record(updates))
      .reply(200, { id: 31 });
    const result = await review(context(3, 3, { checkRunId: 31 }));
    expect(result).toMatchObject({ status: 'failed', checkRunId: 31 });
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ status: 'completed', conclusion: 'neutral' });
    const plain = updates[0]?.output?.summary.replace(/\\(.)/g, '$1');
    expect(plain).toContain('GitHub kept failing: HTTP 503 after 3 attempts; re-run to try again.');
    expect(scope.isDone()).toBe(true);
  });

  it('a non-retryable error completes the check run at once, even with attempts left', async () => {
    const updates: Update[] = [];
    nock(GITHUB_ORIGIN)
      .post(`${REPO}/check-runs`)
      .reply(201, { id: 32 })
      .get(`${REPO}/pulls/7/files`)
      .query(true)
      .reply(404, { message: 'Not Found' })
      .patch(`${REPO}/check-runs/32`, record(updates))
      .reply(200, { id: 32 });
    expect(await review(context(1, 5))).toMatchObject({ status: 'failed', checkRunId: 32 });
    expect(updates[0]).toMatchObject({ status: 'completed', conclusion: 'neutral' });
    expect(updates[0]?.output?.summary).toContain('HTTP 404');
  });
});

describe('runReview: told to stop', () => {
  it('superseded before publishing: completes its check run neutral, "Superseded by <short sha>", posts nothing', async () => {
    const controller = new AbortController();
    const job = { ...context(1, 5, {}, controller), refresh: async () => controller.abort(new JobAborted('superseded', NEWER)) };
    const updates: Update[] = [];
    const scope = nock(GITHUB_ORIGIN)
      .post(`${REPO}/check-runs`)
      .reply(201, { id: 33 })
      .get(`${REPO}/pulls/7/files`)
      .query(true)
      .reply(200, [])
      .patch(`${REPO}/check-runs/33`, record(updates))
      .reply(200, { id: 33 });
    const result = await review(job);
    expect(result).toEqual({ status: 'skipped', reason: 'superseded', checkRunId: 33 });
    expect(updates).toEqual([
      expect.objectContaining({ status: 'completed', conclusion: 'neutral', output: expect.objectContaining({ title: 'Superseded by ccccccc' }) }),
    ]);
    expect(scope.isDone()).toBe(true); // no GET comments, no review
  });

  it('stopped before it started: completes the check run of an earlier attempt, or does nothing', async () => {
    const controller = new AbortController();
    controller.abort(new JobAborted('superseded', NEWER));
    const updates: Update[] = [];
    nock(GITHUB_ORIGIN)
      .patch(`${REPO}/check-runs/34`, record(updates))
      .reply(200, { id: 34 });
    expect(await review(context(2, 5, { checkRunId: 34 }, controller))).toMatchObject({ status: 'skipped', reason: 'superseded' });
    expect(updates).toHaveLength(1);
    // Nothing mocked: any request would fail the review.
    expect(await review(context(1, 5, {}, controller))).toEqual({ status: 'skipped', reason: 'superseded' });
  });

  it('told to stop while a GitHub request failed: stops (no retry), completing its check run', async () => {
    const controller = new AbortController();
    const updates: Update[] = [];
    nock(GITHUB_ORIGIN)
      .get(`${REPO}/pulls/7/files`)
      .query(true)
      .reply(() => {
        controller.abort(new JobAborted('superseded', NEWER));
        return [502, { message: 'Bad Gateway' }];
      })
      .patch(`${REPO}/check-runs/36`, record(updates))
      .reply(200, { id: 36 });
    expect(await review(context(1, 5, { checkRunId: 36 }, controller))).toMatchObject({ status: 'skipped', reason: 'superseded' });
    expect(updates[0]).toMatchObject({ conclusion: 'neutral', output: { title: 'Superseded by ccccccc' } });
  });

  it('shutdown: the check run completes cancelled, asking for a re-run', async () => {
    const controller = new AbortController();
    const updates: Update[] = [];
    nock(GITHUB_ORIGIN)
      .post(`${REPO}/check-runs`)
      .reply(201, () => {
        controller.abort(new JobAborted('shutdown'));
        return { id: 35 };
      })
      .patch(`${REPO}/check-runs/35`, record(updates))
      .reply(200, { id: 35 });
    expect(await review(context(1, 5, {}, controller))).toMatchObject({ status: 'skipped', reason: 'shutdown', checkRunId: 35 });
    expect(updates[0]).toMatchObject({ status: 'completed', conclusion: 'cancelled' });
    expect(updates[0]?.output?.summary).toMatch(/Re-run/);
  });
});
