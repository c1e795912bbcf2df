/**
 * The App's event paths through a real Probot instance: webhook payload in (probot.receive),
 * every GitHub request out checked against nock mocks. Each test ends with no mock left
 * unused and no request that no mock matched, and asserts the bodies that matter: the check
 * run's create and completing update, the review's comments, the reaction.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { Probot, ProbotOctokit } from 'probot';
import { createApp } from '../../src/app.js';
import { CHECK_NAME, FINGERPRINT_MARKER, type PullRequestRef } from '../../src/github/contracts.js';
import type { ReviewJobResult } from '../../src/github/job.js';
import { createMemoryQueue, type JobQueue } from '../../src/queue/memory.js';
import { GITHUB_API, GITHUB_ORIGIN } from '../helpers/github.js';
import {
  BASE_SHA,
  HEAD_SHA,
  INSTALLATION_ID,
  PICKLE_LINE,
  SHELL_LINE,
  VIEWS_PY,
  blobAnswer,
  checkRunResponse,
  eventName,
  loadEvent,
  prFiles,
  pullRequestResponse,
  testPrivateKey,
} from '../helpers/app.js';

const REPO_PATH = '/api/v3/repos/acme/shop';
const CONFIG_PATH = `${REPO_PATH}/contents/.github%2Fpysec.yml`;
/** Probot's context.config falls back to the organisation's `.github` repository. */
const ORG_CONFIG_PATH = '/api/v3/repos/acme/.github/contents/.github%2Fpysec.yml';
const CHECK_RUN_ID = 5550002;

type Body = Record<string, unknown>;

/** Everything the app sent that a test wants to look at. */
interface Recorded {
  checkCreates: Body[];
  checkUpdates: Body[];
  reviews: Body[];
  reactions: Body[];
  graphql: Body[];
}

interface Harness {
  probot: Probot;
  queue: JobQueue;
  reviewed: { pr: PullRequestRef; result: ReviewJobResult }[];
  rec: Recorded;
  scope: nock.Scope;
  deliver(fixture: string, payload?: Body): Promise<void>;
}

let unmatched: string[] = [];
const onNoMatch = (req: { method?: string; path?: string; options?: { method?: string; path?: string } }): void => {
  unmatched.push(`${req.method ?? req.options?.method ?? '?'} ${req.path ?? req.options?.path ?? '?'}`);
};

beforeAll(() => {
  nock.disableNetConnect();
  nock.emitter.on('no match', onNoMatch);
});
afterAll(() => {
  nock.emitter.removeListener('no match', onNoMatch);
  nock.enableNetConnect();
});
beforeEach(() => {
  unmatched = [];
});
afterEach(() => {
  nock.cleanAll();
});

/**
 * Probot's Octokit without retries and throttling. The object form
 * `ProbotOctokit.defaults({ throttle: { enabled: false } })` does not work: Probot applies its
 * own throttle options after those defaults (replacing the whole `throttle` object), so the
 * plugin stays on and spaces writes ~1 s apart. A defaults function runs after Probot's and wins.
 */
const TestOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { ...(options.throttle as object), enabled: false },
}));

function harness(): Harness {
  const queue = createMemoryQueue({ concurrency: 1 });
  const reviewed: Harness['reviewed'] = [];
  const probot = new Probot({
    appId: 1,
    privateKey: testPrivateKey(),
    baseUrl: GITHUB_API,
    Octokit: TestOctokit,
    logLevel: 'fatal',
  });
  void probot.load(createApp({ queue, onReviewed: (pr, result) => reviewed.push({ pr, result }) }));
  const rec: Recorded = { checkCreates: [], checkUpdates: [], reviews: [], reactions: [], graphql: [] };
  let delivery = 0;
  return {
    probot,
    queue,
    reviewed,
    rec,
    scope: nock(GITHUB_ORIGIN),
    async deliver(fixture, payload) {
      delivery++;
      await probot.receive({
        id: `d0a1b2c3-0000-11f0-8000-00000000000${delivery}`,
        name: eventName(fixture),
        payload: payload ?? loadEvent(fixture),
      } as never);
      await queue.onIdle();
    },
  };
}

/** Ends every test: no mock left unused, no request that nothing mocked. */
function expectAllRequestsMocked(h: Harness): void {
  expect(unmatched).toEqual([]);
  expect(h.scope.pendingMocks()).toEqual([]);
  expect(nock.isDone()).toBe(true);
}

/** Every check run the app started was completed by its last update. */
function expectNothingInProgress(rec: Recorded): void {
  if (rec.checkCreates.length === 0) return;
  const last = rec.checkUpdates[rec.checkUpdates.length - 1];
  expect(last).toMatchObject({ status: 'completed' });
  expect(['success', 'failure', 'neutral']).toContain(last?.conclusion);
}

// ---- mocks, one per GitHub request the app makes ----

function mockToken(h: Harness): void {
  h.scope.post(`/api/v3/app/installations/${INSTALLATION_ID}/access_tokens`).reply(201, {
    token: 'ghs_16C7e42F292c6912E7710c838347Ae178B4a',
    expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    permissions: { checks: 'write', contents: 'read', issues: 'read', metadata: 'read', pull_requests: 'write' },
    repository_selection: 'all',
  });
}

/** No `.github/pysec.yml` in the repository nor in the organisation's `.github` repository. */
function mockNoConfig(h: Harness): void {
  const notFound = { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/repos/contents#get-repository-content', status: '404' };
  h.scope.get(CONFIG_PATH).reply(404, notFound);
  h.scope.get(ORG_CONFIG_PATH).reply(404, notFound);
}

/** The repository's `.github/pysec.yml`, served raw as GitHub does for `Accept: application/vnd.github.raw`. */
function mockConfig(h: Harness, yamlText: string): void {
  h.scope
    .get(CONFIG_PATH)
    .matchHeader('accept', /application\/vnd\.github\.v3\.raw/)
    .reply(200, yamlText, { 'content-type': 'text/plain; charset=utf-8' });
}

function mockCreateCheckRun(h: Harness, status = 201): void {
  h.scope
    .post(`${REPO_PATH}/check-runs`, (body: Body) => {
      h.rec.checkCreates.push(body);
      return true;
    })
    .reply(status, (_uri, body) =>
      status === 201 ? checkRunResponse(CHECK_RUN_ID, body as Body) : { message: 'Resource not accessible by integration', status: String(status) },
    );
}

function mockUpdateCheckRun(h: Harness, status = 200): void {
  h.scope
    .patch(`${REPO_PATH}/check-runs/${CHECK_RUN_ID}`, (body: Body) => {
      h.rec.checkUpdates.push(body);
      return true;
    })
    .reply(status, (_uri, body) =>
      status === 200
        ? { ...checkRunResponse(CHECK_RUN_ID, { ...(body as Body), name: CHECK_NAME, head_sha: HEAD_SHA }) }
        : { message: 'Invalid request.\n\nFor "properties/output", "annotations" is not a valid value.', status: String(status) },
    );
}

function mockListFiles(h: Harness): void {
  h.scope.get(`${REPO_PATH}/pulls/7/files`).query({ per_page: '100' }).reply(200, prFiles());
}

/** The GraphQL blob query for app/views.py: checks that it asks the base repository at the head SHA. */
function mockBlobs(h: Harness, status = 200, answer: Body = blobAnswer()): void {
  h.scope
    .post('/api/graphql', (body: Body) => {
      if (!String(body.query).includes('object(expression:')) return false;
      h.rec.graphql.push(body);
      return true;
    })
    .reply(status, status === 200 ? answer : { message: 'Server Error' });
}

function mockExistingComments(h: Harness, items: Body[] = []): void {
  h.scope.get(`${REPO_PATH}/pulls/7/comments`).query({ per_page: '100' }).reply(200, items);
}

function mockCreateReview(h: Harness, status = 200): void {
  h.scope
    .post(`${REPO_PATH}/pulls/7/reviews`, (body: Body) => {
      h.rec.reviews.push(body);
      return true;
    })
    .reply(status, () =>
      status === 200
        ? { id: 80, node_id: 'PRR_kwDOABPHjc5dH1Vq', state: 'COMMENTED', commit_id: HEAD_SHA, user: { login: 'pysec[bot]', type: 'Bot' } }
        : status === 422
          ? { message: 'Unprocessable Entity', errors: ['Line could not be resolved'], status: '422' }
          : { message: 'Server Error' },
    );
}

function mockGetPull(h: Harness, over: Body = {}): void {
  h.scope.get(`${REPO_PATH}/pulls/7`).reply(200, pullRequestResponse(over));
}

/** A whole review of the fixtures' PR after the config was read: check run → gather → review → complete. */
function mockReview(h: Harness): void {
  mockCreateCheckRun(h);
  mockListFiles(h);
  mockBlobs(h);
  mockExistingComments(h);
  mockCreateReview(h);
  mockUpdateCheckRun(h);
}

// ---- assertions on the bodies ----

function expectCheckRunCreated(rec: Recorded, headSha = HEAD_SHA): void {
  expect(rec.checkCreates).toHaveLength(1);
  expect(rec.checkCreates[0]).toEqual({
    name: 'pysec',
    head_sha: headSha,
    status: 'in_progress',
    external_id: '7',
    started_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
  });
}

/** The review of the fixtures' PR: one COMMENT review, one comment on the added shell=True line. */
function expectReviewOfViews(rec: Recorded): string {
  expect(rec.reviews).toHaveLength(1);
  const review = rec.reviews[0] as { commit_id: string; event: string; body: string; comments: Body[] };
  expect(review.commit_id).toBe(HEAD_SHA);
  expect(review.event).toBe('COMMENT');
  expect(review.comments).toHaveLength(1);
  const comment = review.comments[0] as { path: string; line: number; side: string; start_line?: number; body: string };
  expect({ path: comment.path, line: comment.line, side: comment.side, start_line: comment.start_line }).toEqual({
    path: 'app/views.py',
    line: SHELL_LINE,
    side: 'RIGHT',
    start_line: undefined,
  });
  expect(comment.body).toContain('command-injection');
  const marker = FINGERPRINT_MARKER.exec(comment.body);
  expect(marker?.[1]).toMatch(/^[0-9a-f]{8,64}$/);
  return marker?.[1] as string;
}

/** The completing update: failure (a critical finding on an added line), both findings annotated. */
function expectCompletedWithFindings(rec: Recorded): { title: string; summary: string; text?: string; annotations?: Body[] } {
  const last = rec.checkUpdates[rec.checkUpdates.length - 1] as Body & { output: { title: string; summary: string; annotations?: Body[] } };
  expect(last).toMatchObject({ status: 'completed', conclusion: 'failure' });
  expect(last.completed_at).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
  const annotations = last.output.annotations ?? [];
  expect(annotations.map((a) => [a.path, a.start_line, a.title, a.annotation_level])).toEqual(
    expect.arrayContaining([
      ['app/views.py', SHELL_LINE, 'command-injection', 'failure'],
      ['app/views.py', PICKLE_LINE, 'unsafe-deserialization', 'failure'],
    ]),
  );
  return last.output;
}

describe('pull_request events', () => {
  it('opened: creates the check run, reviews the added line, completes the check run with failure', async () => {
    const h = harness();
    mockToken(h);
    mockNoConfig(h);
    mockReview(h);
    await h.deliver('pull_request.opened');

    expectCheckRunCreated(h.rec);
    // Contents come from the base repository at the head commit, one GraphQL query for the batch.
    expect(h.rec.graphql).toHaveLength(1);
    expect(h.rec.graphql[0]?.variables).toEqual({ owner: 'acme', name: 'shop', e0: `${HEAD_SHA}:app/views.py` });
    expectReviewOfViews(h.rec);
    const output = expectCompletedWithFindings(h.rec);
    expect(output.title).toMatch(/2 findings/);
    // The finding on an unchanged line has no comment: the check run lists it.
    expect(output.text).toContain(`app/views.py:${PICKLE_LINE}`);
    expect(h.rec.checkUpdates).toHaveLength(1);
    expect(h.reviewed).toHaveLength(1);
    expect(h.reviewed[0]?.result).toMatchObject({ status: 'completed', checkRunId: CHECK_RUN_ID, outcome: { posted: 1, conclusion: 'failure' } });
    expect(h.reviewed[0]?.pr).toEqual({
      owner: 'acme',
      repo: 'shop',
      number: 7,
      headSha: HEAD_SHA,
      baseSha: BASE_SHA,
      headOwner: 'acme',
      headRepo: 'shop',
      draft: false,
    });
    expectAllRequestsMocked(h);
  });

  it.each(['pull_request.synchronize', 'pull_request.reopened', 'pull_request.ready_for_review'])(
    '%s: reviews the pull request like opened',
    async (fixture) => {
      const h = harness();
      mockToken(h);
      mockNoConfig(h);
      mockReview(h);
      await h.deliver(fixture);
      expectCheckRunCreated(h.rec);
      expectReviewOfViews(h.rec);
      expectCompletedWithFindings(h.rec);
      expectAllRequestsMocked(h);
    },
  );

  it('synchronize after an earlier review: no duplicate comment, the stale thread is resolved', async () => {
    // First review, to learn the fingerprint of the shell=True finding.
    const first = harness();
    mockToken(first);
    mockNoConfig(first);
    mockReview(first);
    await first.deliver('pull_request.opened');
    const fingerprint = expectReviewOfViews(first.rec);
    const body = (first.rec.reviews[0] as { comments: { body: string }[] }).comments[0]?.body as string;
    expectAllRequestsMocked(first);

    const h = harness();
    mockToken(h);
    mockNoConfig(h);
    mockCreateCheckRun(h);
    mockListFiles(h);
    mockBlobs(h);
    const bot = { login: 'pysec[bot]', id: 41898282, type: 'Bot' };
    mockExistingComments(h, [
      { id: 1001, path: 'app/views.py', line: SHELL_LINE, side: 'RIGHT', body, user: bot, in_reply_to_id: undefined },
      // A reply quoting the marker is a person talking, not a pysec comment.
      { id: 1002, path: 'app/views.py', line: SHELL_LINE, body: `Why? ${body}`, user: { login: 'alice', type: 'User' }, in_reply_to_id: 1001 },
      // A finding fixed by the new push: its thread gets resolved.
      { id: 1003, path: 'app/views.py', line: 3, side: 'RIGHT', body: 'old finding\n<!-- pysec:fingerprint=0123456789abcdef -->', user: bot },
    ]);
    h.scope
      .post('/api/graphql', (b: Body) => String(b.query).includes('reviewThreads'))
      .reply(200, {
        data: {
          repository: {
            pullRequest: {
              reviewThreads: {
                pageInfo: { hasNextPage: false, endCursor: null },
                nodes: [
                  { id: 'PRRT_kwDOABPHjc5aaaa', isResolved: false, comments: { nodes: [{ body, databaseId: 1001 }] } },
                  { id: 'PRRT_kwDOABPHjc5bbbb', isResolved: false, comments: { nodes: [{ body: 'old', databaseId: 1003 }] } },
                ],
              },
            },
          },
        },
      });
    h.scope
      .post('/api/graphql', (b: Body) => {
        if (!String(b.query).includes('resolveReviewThread')) return false;
        h.rec.graphql.push(b);
        return true;
      })
      .reply(200, { data: { resolveReviewThread: { thread: { id: 'PRRT_kwDOABPHjc5bbbb', isResolved: true } } } });
    mockUpdateCheckRun(h);
    await h.deliver('pull_request.synchronize');

    // No review at all: the one finding on a changed line already has its comment.
    expect(h.rec.reviews).toEqual([]);
    expect(h.rec.graphql.map((g) => g.variables)).toContainEqual({ threadId: 'PRRT_kwDOABPHjc5bbbb' });
    expect(h.reviewed[0]?.result).toMatchObject({ status: 'completed', outcome: { posted: 0, alreadyCommented: 1, resolved: 1 } });
    expectCompletedWithFindings(h.rec);
    expect(fingerprint).toBeTruthy();
    expectAllRequestsMocked(h);
  });

  it('the same delivery twice (a manual redelivery while the review runs): one review', async () => {
    const h = harness();
    mockToken(h);
    mockNoConfig(h);
    mockReview(h);
    const payload = loadEvent('pull_request.opened');
    const event = { id: 'd0a1b2c3-0000-11f0-8000-00000000aaaa', name: 'pull_request', payload } as never;
    await h.probot.receive(event);
    await h.probot.receive(event);
    await h.queue.onIdle();
    expect(h.rec.checkCreates).toHaveLength(1);
    expect(h.reviewed).toHaveLength(1);
    expectAllRequestsMocked(h);
  });

  it('a draft pull request is not reviewed (no check run)', async () => {
    const h = harness();
    mockToken(h);
    mockNoConfig(h);
    await h.deliver('pull_request.opened.draft');
    expect(h.rec.checkCreates).toEqual([]);
    expect(h.reviewed.map((r) => r.result)).toEqual([{ status: 'skipped', reason: 'draft' }]);
    expectAllRequestsMocked(h);
  });

  it('a draft pull request is reviewed when the config sets pullRequests.drafts: true', async () => {
    const h = harness();
    mockToken(h);
    mockConfig(h, 'pullRequests:\n  drafts: true\n');
    mockReview(h);
    await h.deliver('pull_request.opened.draft');
    expectCheckRunCreated(h.rec);
    expectReviewOfViews(h.rec);
    expectCompletedWithFindings(h.rec);
    expectAllRequestsMocked(h);
  });

  it('closed: nothing happens, not even a token request', async () => {
    const h = harness();
    await h.deliver('pull_request.closed');
    expect(h.reviewed).toEqual([]);
    expectAllRequestsMocked(h);
  });

  it('a pull request from a fork: contents are read from the base repository', async () => {
    const h = harness();
    mockToken(h);
    mockNoConfig(h);
    mockReview(h);
    await h.deliver('pull_request.opened.fork');
    expectCheckRunCreated(h.rec);
    expect(h.rec.graphql[0]?.variables).toMatchObject({ owner: 'acme', name: 'shop' });
    expect(h.reviewed[0]?.pr).toMatchObject({ owner: 'acme', repo: 'shop', headOwner: 'mallory', headRepo: 'shop' });
    expectReviewOfViews(h.rec);
    expectAllRequestsMocked(h);
  });
});

describe('configuration (.github/pysec.yml)', () => {
  it('is read from the repository and applied (a disabled rule reports nothing)', async () => {
    const h = harness();
    mockToken(h);
    mockConfig(h, 'rules:\n  disable: [unsafe-deserialization]\nfailOn: critical\n');
    mockReview(h);
    await h.deliver('pull_request.opened');
    expectCheckRunCreated(h.rec);
    expectReviewOfViews(h.rec);
    const last = h.rec.checkUpdates[h.rec.checkUpdates.length - 1] as { conclusion: string; output: { annotations?: Body[] } };
    expect((last.output.annotations ?? []).map((a) => a.title)).toEqual(['command-injection']);
    // The shell=True finding reads request data: critical, at the configured threshold.
    expect(last.conclusion).toBe('failure');
    expectAllRequestsMocked(h);
  });

  it('GitHub 500 when reading it: the summary says so and the scan runs with the defaults', async () => {
    const h = harness();
    mockToken(h);
    h.scope.get(CONFIG_PATH).reply(500, { message: 'Server Error' });
    mockReview(h);
    await h.deliver('pull_request.opened');
    expectCheckRunCreated(h.rec);
    expectReviewOfViews(h.rec);
    const output = expectCompletedWithFindings(h.rec);
    expect(output.summary.replace(/\\(.)/g, '$1')).toContain('`.github/pysec.yml` could not be read (HTTP 500: Server Error)');
    expectAllRequestsMocked(h);
  });

  it('paths.exclude: excluded files are not even downloaded', async () => {
    const h = harness();
    mockToken(h);
    mockConfig(h, 'paths:\n  exclude: [app]\n');
    mockCreateCheckRun(h);
    mockListFiles(h);
    mockExistingComments(h);
    mockUpdateCheckRun(h);
    await h.deliver('pull_request.opened');
    expect(h.rec.graphql).toEqual([]);
    expect(h.rec.reviews).toEqual([]);
    const last = h.rec.checkUpdates[0] as { status: string; conclusion: string; output: { title: string } };
    expect(last).toMatchObject({ status: 'completed', conclusion: 'success', output: { title: 'No security findings' } });
    expectAllRequestsMocked(h);
  });

  it('an unknown key: the summary names it and the scan runs with the defaults', async () => {
    const h = harness();
    mockToken(h);
    mockConfig(h, 'pullRequest:\n  drafts: true\n');
    mockReview(h);
    await h.deliver('pull_request.opened');
    expectCheckRunCreated(h.rec);
    expectReviewOfViews(h.rec);
    const output = expectCompletedWithFindings(h.rec);
    expect(output.summary).toContain('.github/pysec.yml');
    expect(output.summary).toContain('unknown key');
    expect(output.summary).toContain('pullRequest');
    expect(output.summary).toContain('default configuration');
    expectAllRequestsMocked(h);
  });

  it('bad YAML: the summary says so (with the line) and the scan runs with the defaults', async () => {
    const h = harness();
    mockToken(h);
    mockConfig(h, 'rules:\n  disable: [unsafe-deserialization\nfailOn: low\n');
    mockReview(h);
    await h.deliver('pull_request.opened');
    expectCheckRunCreated(h.rec);
    expectReviewOfViews(h.rec);
    // Defaults: unsafe-deserialization still ran (the broken file's disable list was not applied).
    const output = expectCompletedWithFindings(h.rec);
    expect(output.summary).toContain('.github/pysec.yml');
    expect(output.summary).toMatch(/not valid YAML/);
    expect(output.summary).toMatch(/line \d+/);
    expect(output.summary).toContain('default configuration');
    // GitHub's internal API address is no use to the reader.
    expect(output.summary).not.toContain('127.0.0.1');
    expectAllRequestsMocked(h);
  });
});

describe('/pysec rescan (issue_comment.created)', () => {
  it('by a user with write permission: checks the permission, reacts with eyes, reviews', async () => {
    const h = harness();
    mockToken(h);
    h.scope
      .get(`${REPO_PATH}/collaborators/alice/permission`)
      .reply(200, { permission: 'write', role_name: 'write', user: { login: 'alice', type: 'User' } });
    h.scope
      .post(`${REPO_PATH}/issues/comments/2690187001/reactions`, (body: Body) => {
        h.rec.reactions.push(body);
        return true;
      })
      .reply(201, { id: 1, content: 'eyes', user: { login: 'pysec[bot]' } });
    mockGetPull(h);
    mockNoConfig(h);
    mockReview(h);
    await h.deliver('issue_comment.created.rescan-writer');
    expect(h.rec.reactions).toEqual([{ content: 'eyes' }]);
    expectCheckRunCreated(h.rec);
    expectReviewOfViews(h.rec);
    expectCompletedWithFindings(h.rec);
    expectAllRequestsMocked(h);
  });

  it('when the reaction cannot be added, the rescan still runs', async () => {
    const h = harness();
    mockToken(h);
    h.scope.get(`${REPO_PATH}/collaborators/alice/permission`).reply(200, { permission: 'write', role_name: 'write' });
    h.scope.post(`${REPO_PATH}/issues/comments/2690187001/reactions`).reply(403, { message: 'Resource not accessible by integration' });
    mockGetPull(h);
    mockNoConfig(h);
    mockReview(h);
    await h.deliver('issue_comment.created.rescan-writer');
    expectCheckRunCreated(h.rec);
    expectCompletedWithFindings(h.rec);
    expectAllRequestsMocked(h);
  });

  it('on a draft by a maintainer: an explicit rescan reviews it even though drafts are off', async () => {
    const h = harness();
    mockToken(h);
    h.scope.get(`${REPO_PATH}/collaborators/alice/permission`).reply(200, { permission: 'admin', role_name: 'maintain' });
    h.scope.post(`${REPO_PATH}/issues/comments/2690187001/reactions`, { content: 'eyes' }).reply(201, { id: 1, content: 'eyes' });
    mockGetPull(h, { draft: true });
    mockNoConfig(h);
    mockReview(h);
    await h.deliver('issue_comment.created.rescan-writer');
    expectCheckRunCreated(h.rec);
    expectAllRequestsMocked(h);
  });

  it('by a user with read permission: asks GitHub, then nothing (no reaction, no scan)', async () => {
    const h = harness();
    mockToken(h);
    h.scope
      .get(`${REPO_PATH}/collaborators/bob/permission`)
      .reply(200, { permission: 'read', role_name: 'read', user: { login: 'bob', type: 'User' } });
    await h.deliver('issue_comment.created.rescan-reader');
    expect(h.rec.checkCreates).toEqual([]);
    expect(h.reviewed).toEqual([]);
    expectAllRequestsMocked(h);
  });

  it('the payload\u2019s author_association is not trusted: a "MEMBER" GitHub says can only read gets nothing', async () => {
    const h = harness();
    mockToken(h);
    h.scope.get(`${REPO_PATH}/collaborators/alice/permission`).reply(200, { permission: 'read', role_name: 'triage' });
    await h.deliver('issue_comment.created.rescan-writer');
    expect(h.rec.checkCreates).toEqual([]);
    expectAllRequestsMocked(h);
  });

  it('when the permission check fails, nothing is scanned and the delivery does not crash', async () => {
    const h = harness();
    mockToken(h);
    h.scope.get(`${REPO_PATH}/collaborators/alice/permission`).reply(404, { message: 'Not Found' });
    await h.deliver('issue_comment.created.rescan-writer');
    expect(h.rec.checkCreates).toEqual([]);
    expectAllRequestsMocked(h);
  });

  it('by a bot: ignored without a single request', async () => {
    const h = harness();
    await h.deliver('issue_comment.created.rescan-bot');
    expect(h.reviewed).toEqual([]);
    expectAllRequestsMocked(h);
  });

  it('on a plain issue: ignored without a single request', async () => {
    const h = harness();
    await h.deliver('issue_comment.created.rescan-issue');
    expect(h.reviewed).toEqual([]);
    expectAllRequestsMocked(h);
  });

  it('a comment that only mentions the command in prose is not a command', async () => {
    const h = harness();
    const payload = loadEvent<{ comment: { body: string } }>('issue_comment.created.rescan-writer');
    payload.comment.body = 'Should we run `/pysec rescan` later?';
    await h.deliver('issue_comment.created.rescan-writer', payload as unknown as Body);
    expect(h.reviewed).toEqual([]);
    expectAllRequestsMocked(h);
  });

  it('on a closed pull request: reacts, but does not scan', async () => {
    const h = harness();
    mockToken(h);
    h.scope.get(`${REPO_PATH}/collaborators/alice/permission`).reply(200, { permission: 'write', role_name: 'write' });
    h.scope.post(`${REPO_PATH}/issues/comments/2690187001/reactions`, { content: 'eyes' }).reply(201, { id: 1, content: 'eyes' });
    mockGetPull(h, { state: 'closed' });
    await h.deliver('issue_comment.created.rescan-writer');
    expect(h.rec.checkCreates).toEqual([]);
    expectAllRequestsMocked(h);
  });
});

describe('Re-run buttons (check_run / check_suite rerequested)', () => {
  it('check_run.rerequested: finds the PR from external_id and reviews its current head', async () => {
    const h = harness();
    mockToken(h);
    mockGetPull(h);
    mockNoConfig(h);
    mockReview(h);
    await h.deliver('check_run.rerequested');
    expectCheckRunCreated(h.rec);
    expectReviewOfViews(h.rec);
    expectCompletedWithFindings(h.rec);
    expectAllRequestsMocked(h);
  });

  it('check_run.rerequested from a fork (no pull_requests, no external_id): finds the PR by head SHA', async () => {
    const h = harness();
    mockToken(h);
    const forkPr = loadEvent<{ pull_request: Body }>('pull_request.opened.fork').pull_request;
    h.scope.get(`${REPO_PATH}/commits/${HEAD_SHA}/pulls`).reply(200, [forkPr]);
    h.scope.get(`${REPO_PATH}/pulls/7`).reply(200, forkPr);
    mockNoConfig(h);
    mockReview(h);
    await h.deliver('check_run.rerequested.fork');
    expectCheckRunCreated(h.rec);
    expect(h.reviewed[0]?.pr).toMatchObject({ number: 7, headOwner: 'mallory' });
    expectReviewOfViews(h.rec);
    expectAllRequestsMocked(h);
  });

  it('check_run.rerequested from a fork when GitHub does not associate the commit: scans the open PRs', async () => {
    const h = harness();
    mockToken(h);
    const forkPr = loadEvent<{ pull_request: Body }>('pull_request.opened.fork').pull_request;
    h.scope.get(`${REPO_PATH}/commits/${HEAD_SHA}/pulls`).reply(200, []);
    h.scope
      .get(`${REPO_PATH}/pulls`)
      .query({ state: 'open', per_page: '100' })
      .reply(200, [{ ...forkPr, number: 6, head: { ...(forkPr.head as Body), sha: 'f'.repeat(40) } }, forkPr]);
    h.scope.get(`${REPO_PATH}/pulls/7`).reply(200, forkPr);
    mockNoConfig(h);
    mockReview(h);
    await h.deliver('check_run.rerequested.fork');
    expectCheckRunCreated(h.rec);
    expectAllRequestsMocked(h);
  });

  it('check_run.rerequested for another app\u2019s check run: ignored without a request', async () => {
    const h = harness();
    await h.deliver('check_run.rerequested.other-app');
    expect(h.reviewed).toEqual([]);
    expectAllRequestsMocked(h);
  });

  it('check_suite.rerequested: reviews the PR of the suite', async () => {
    const h = harness();
    mockToken(h);
    mockGetPull(h);
    mockNoConfig(h);
    mockReview(h);
    await h.deliver('check_suite.rerequested');
    expectCheckRunCreated(h.rec);
    expectReviewOfViews(h.rec);
    expectCompletedWithFindings(h.rec);
    expectAllRequestsMocked(h);
  });

  it('check_suite.rerequested from a fork: finds the PR by head SHA', async () => {
    const h = harness();
    mockToken(h);
    h.scope.get(`${REPO_PATH}/commits/${HEAD_SHA}/pulls`).reply(200, [pullRequestResponse()]);
    mockGetPull(h);
    mockNoConfig(h);
    mockReview(h);
    await h.deliver('check_suite.rerequested.fork');
    expectCheckRunCreated(h.rec);
    expectAllRequestsMocked(h);
  });

  it('a re-run for a closed pull request does not scan', async () => {
    const h = harness();
    mockToken(h);
    mockGetPull(h, { state: 'closed' });
    await h.deliver('check_run.rerequested');
    expect(h.rec.checkCreates).toEqual([]);
    expectAllRequestsMocked(h);
  });
});

describe('failure paths: the check run is always completed', () => {
  it('GitHub 502 while listing the files: completed neutral, the summary says what failed', async () => {
    const h = harness();
    mockToken(h);
    mockNoConfig(h);
    mockCreateCheckRun(h);
    h.scope.get(`${REPO_PATH}/pulls/7/files`).query({ per_page: '100' }).reply(502, { message: 'Server Error' });
    mockUpdateCheckRun(h);
    await h.deliver('pull_request.opened');
    expectCheckRunCreated(h.rec);
    expect(h.rec.checkUpdates).toHaveLength(1);
    const update = h.rec.checkUpdates[0] as { status: string; conclusion: string; output: { title: string; summary: string } };
    expect(update).toMatchObject({ status: 'completed', conclusion: 'neutral' });
    expect(update.output.title).toMatch(/could not complete/);
    expect(update.output.summary).toContain('HTTP 502');
    expect(h.reviewed[0]?.result).toMatchObject({ status: 'failed', checkRunId: CHECK_RUN_ID });
    expectNothingInProgress(h.rec);
    expectAllRequestsMocked(h);
  });

  it('a file that cannot be fetched (GraphQL 502, REST 502): completed, the summary names the file and why', async () => {
    const h = harness();
    mockToken(h);
    mockNoConfig(h);
    mockCreateCheckRun(h);
    mockListFiles(h);
    mockBlobs(h, 502);
    const sha = (prFiles()[0] as { sha: string }).sha;
    h.scope.get(`${REPO_PATH}/git/blobs/${sha}`).reply(502, { message: 'Server Error' });
    mockExistingComments(h);
    mockUpdateCheckRun(h);
    await h.deliver('pull_request.opened');
    expectCheckRunCreated(h.rec);
    const last = h.rec.checkUpdates[h.rec.checkUpdates.length - 1] as { status: string; output: { summary: string } };
    expect(last.status).toBe('completed');
    expect(last.output.summary).toMatch(/1 file not checked/);
    expect(last.output.summary).toContain('app/views.py');
    expect(last.output.summary).toContain('HTTP 502');
    expect(h.rec.reviews).toEqual([]);
    expectNothingInProgress(h.rec);
    expectAllRequestsMocked(h);
  });

  it('422 on createReview: completed failure, the findings are listed in the check run instead', async () => {
    const h = harness();
    mockToken(h);
    mockNoConfig(h);
    mockCreateCheckRun(h);
    mockListFiles(h);
    mockBlobs(h);
    mockExistingComments(h);
    mockCreateReview(h, 422);
    mockUpdateCheckRun(h);
    await h.deliver('pull_request.opened');
    expectReviewOfViews(h.rec);
    const output = expectCompletedWithFindings(h.rec);
    expect(output.text).toContain('GitHub did not accept the inline comments');
    expect(output.text).toContain(`app/views.py:${SHELL_LINE}`);
    expect(h.reviewed[0]?.result).toMatchObject({ status: 'completed', outcome: { posted: 0, overflow: 1, conclusion: 'failure' } });
    expectNothingInProgress(h.rec);
    expectAllRequestsMocked(h);
  });

  it('502 on createReview: the scan finished, so the check run still fails on the finding (never neutral)', async () => {
    const h = harness();
    mockToken(h);
    mockNoConfig(h);
    mockCreateCheckRun(h);
    mockListFiles(h);
    mockBlobs(h);
    mockExistingComments(h);
    mockCreateReview(h, 502);
    mockUpdateCheckRun(h);
    await h.deliver('pull_request.opened');
    const output = expectCompletedWithFindings(h.rec);
    expect(output.summary).toMatch(/review comments could not be posted/);
    expect(output.summary).toContain('HTTP 502');
    expect(output.text).toContain(`app/views.py:${SHELL_LINE}`);
    expectNothingInProgress(h.rec);
    expectAllRequestsMocked(h);
  });

  it('422 on the completing update (annotations refused): a second update completes the run', async () => {
    const h = harness();
    mockToken(h);
    mockNoConfig(h);
    mockReview(h);
    // mockReview's update answers 200; make the first one a 422 instead.
    nock.removeInterceptor({ hostname: '127.0.0.1', port: 3999, method: 'PATCH', path: `${REPO_PATH}/check-runs/${CHECK_RUN_ID}`, proto: 'http' });
    mockUpdateCheckRun(h, 422);
    mockUpdateCheckRun(h);
    await h.deliver('pull_request.opened');
    expect(h.rec.checkUpdates).toHaveLength(2);
    expect(h.rec.checkUpdates[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
    // The finding is known to be above the threshold: the fallback completion keeps the failure.
    expect(h.rec.checkUpdates[1]).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect((h.rec.checkUpdates[1] as { output: { summary: string } }).output.summary).toContain('HTTP 422');
    expectNothingInProgress(h.rec);
    expectAllRequestsMocked(h);
  });

  it('the check run cannot be created (403): no review, nothing left in_progress', async () => {
    const h = harness();
    mockToken(h);
    mockNoConfig(h);
    mockCreateCheckRun(h, 403);
    await h.deliver('pull_request.opened');
    expect(h.rec.checkUpdates).toEqual([]);
    expect(h.reviewed[0]?.result).toMatchObject({ status: 'failed' });
    expectAllRequestsMocked(h);
  });

  it('bad YAML and a failing GitHub: the failure summary still names the config problem', async () => {
    const h = harness();
    mockToken(h);
    mockConfig(h, 'failOn: [high\n');
    mockCreateCheckRun(h);
    h.scope.get(`${REPO_PATH}/pulls/7/files`).query({ per_page: '100' }).reply(500, { message: 'Server Error' });
    mockUpdateCheckRun(h);
    await h.deliver('pull_request.opened');
    const update = h.rec.checkUpdates[0] as { status: string; conclusion: string; output: { summary: string } };
    expect(update).toMatchObject({ status: 'completed', conclusion: 'neutral' });
    // failCheckRun escapes the whole message as Markdown text: compare without the backslashes.
    const plain = update.output.summary.replace(/\\(.)/g, '$1');
    expect(plain).toContain('HTTP 500');
    expect(plain).toContain('.github/pysec.yml` is not valid YAML (line 2');
    expectAllRequestsMocked(h);
  });
});

describe('the fixtures are the PR the mocks describe', () => {
  it('app/views.py has the two findings on the lines the tests expect', () => {
    const lines = VIEWS_PY.split('\n');
    expect(lines[SHELL_LINE - 1]).toContain('shell=True');
    expect(lines[PICKLE_LINE - 1]).toContain('pickle.loads');
  });
});
