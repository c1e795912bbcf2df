/**
 * `pysec review` end to end through main(), against nock on 127.0.0.1 (GHE layout: REST under
 * /api/v3, GraphQL at /api/graphql). The environment comes in through io.env, never process.env.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIO } from '../../src/cli/main.js';
import { resolveReviewTarget } from '../../src/cli/review.js';
import { VIRTUAL_CHECK_RUN_ID } from '../../src/github/status.js';
import { GITHUB_API, GITHUB_ORIGIN } from '../helpers/github.js';
import { runCli, type CliRun } from '../helpers/cli.js';

const TOKEN = 'ghs_TESTTOKEN0123456789abcdefABCDEF0123';
const HEAD = 'a'.repeat(40);
const BASE = 'b'.repeat(40);
const REPO = '/api/v3/repos/acme/shop';


async function pysec(args: string[], env: CliIO['env'] = { GITHUB_TOKEN: TOKEN }): Promise<CliRun> {
  const run = await runCli(args, { cwd: tmpdir(), env });
  // Whatever happened, the token never reaches the output.
  expect(run.stdout + run.stderr).not.toContain(TOKEN);
  return run;
}

const REVIEW_ARGS = ['review', '--repo', 'acme/shop', '--pr', '7', '--api-url', GITHUB_API];

/** A pulls.get response in GitHub's shape (fields the review uses, plus realistic neighbours). */
function pullRequest(overrides: { state?: string; draft?: boolean; fork?: boolean } = {}): object {
  const repo = (owner: string) => ({
    id: owner === 'acme' ? 1001 : 2002,
    name: 'shop',
    full_name: `${owner}/shop`,
    private: false,
    owner: { login: owner, id: owner === 'acme' ? 1 : 2, type: owner === 'acme' ? 'Organization' : 'User' },
    default_branch: 'main',
  });
  return {
    url: `${GITHUB_API}/repos/acme/shop/pulls/7`,
    id: 123456,
    number: 7,
    state: overrides.state ?? 'open',
    locked: false,
    title: 'Load settings from YAML',
    user: { login: 'dev', id: 3, type: 'User' },
    draft: overrides.draft ?? false,
    merged: false,
    changed_files: 1,
    head: { label: 'dev:feature', ref: 'feature', sha: HEAD, repo: repo(overrides.fork ? 'dev' : 'acme') },
    base: { label: 'acme:main', ref: 'main', sha: BASE, repo: repo('acme') },
  };
}

const VULNERABLE = 'import yaml\n\n\ndef load(text):\n    return yaml.load(text)\n';
const CLEAN = 'import json\n\n\ndef load(text):\n    return json.loads(text)\n';

function listedFile(content: string): object {
  const lines = content.split('\n').slice(0, -1);
  return {
    sha: 'c'.repeat(40),
    filename: 'app/settings.py',
    status: 'added',
    additions: lines.length,
    deletions: 0,
    changes: lines.length,
    blob_url: `${GITHUB_ORIGIN}/acme/shop/blob/${HEAD}/app/settings.py`,
    raw_url: `${GITHUB_ORIGIN}/acme/shop/raw/${HEAD}/app/settings.py`,
    contents_url: `${GITHUB_API}/repos/acme/shop/contents/app/settings.py?ref=${HEAD}`,
    patch: `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}`,
  };
}

function contentsResponse(text: string): object {
  return {
    type: 'file',
    encoding: 'base64',
    size: Buffer.byteLength(text),
    name: 'pysec.yml',
    path: '.github/pysec.yml',
    sha: 'd'.repeat(40),
    content: Buffer.from(text).toString('base64').replace(/(.{60})/g, '$1\n'),
  };
}

interface Recorded {
  checkCreate?: Record<string, unknown>;
  checkUpdates: Record<string, unknown>[];
  review?: Record<string, unknown>;
  graphql?: { query: string; variables: Record<string, string> };
  status?: Record<string, unknown>;
}

/**
 * Mock one review of acme/shop#7: PR, config (undefined → 404), files, contents, comments,
 * check run. Returns what the CLI sent, filled in as requests arrive.
 */
function mockReview(opts: {
  content: string;
  config?: string;
  configStatus?: number;
  checksForbidden?: boolean;
  expectReview?: boolean;
  reviewStatus?: number;
  listFilesStatus?: number;
  statusForbidden?: boolean;
  origin?: string;
  apiPrefix?: string;
}): { rec: Recorded; scope: nock.Scope } {
  const rec: Recorded = { checkUpdates: [] };
  const api = opts.apiPrefix ?? '/api/v3';
  const repo = `${api}/repos/acme/shop`;
  const scope = nock(opts.origin ?? GITHUB_ORIGIN, { reqheaders: { authorization: `token ${TOKEN}` } });
  scope.get(`${repo}/pulls/7`).reply(200, pullRequest());
  // The config comes from the default branch: no `ref` in the query.
  if (opts.configStatus) {
    scope.get(`${repo}/contents/.github%2Fpysec.yml`).query({}).reply(opts.configStatus, { message: 'Server Error' });
  } else if (opts.config === undefined) {
    scope.get(`${repo}/contents/.github%2Fpysec.yml`).query({}).reply(404, { message: 'Not Found', status: '404' });
  } else {
    scope.get(`${repo}/contents/.github%2Fpysec.yml`).query({}).reply(200, contentsResponse(opts.config));
  }
  if (opts.checksForbidden) {
    scope.post(`${repo}/check-runs`).reply(403, {
      message: 'Resource not accessible by integration',
      documentation_url: 'https://docs.github.com/rest/checks/runs#create-a-check-run',
      status: '403',
    });
  } else {
    scope.post(`${repo}/check-runs`, (body) => {
      rec.checkCreate = body as Record<string, unknown>;
      return true;
    }).reply(201, { id: 4242, name: 'pysec', head_sha: HEAD, status: 'in_progress' });
  }
  if (opts.listFilesStatus) {
    scope.get(`${repo}/pulls/7/files`).query({ per_page: '100' }).reply(opts.listFilesStatus, { message: 'Server Error' });
  } else {
    scope.get(`${repo}/pulls/7/files`).query({ per_page: '100' }).reply(200, [listedFile(opts.content)]);
    scope
      .post(api === '/api/v3' ? '/api/graphql' : '/graphql', (body) => {
        rec.graphql = body as Recorded['graphql'];
        return true;
      })
      .reply(200, {
        data: {
          repository: {
            f0: { oid: 'c'.repeat(40), text: opts.content, isBinary: false, isTruncated: false, byteSize: Buffer.byteLength(opts.content) },
          },
        },
      });
    scope.get(`${repo}/pulls/7/comments`).query({ per_page: '100' }).reply(200, []);
    if (opts.expectReview) {
      scope.post(`${repo}/pulls/7/reviews`, (body) => {
        rec.review = body as Record<string, unknown>;
        return true;
      }).reply(
        opts.reviewStatus ?? 200,
        opts.reviewStatus ? { message: 'Resource not accessible by integration' } : { id: 99, state: 'COMMENTED', commit_id: HEAD },
      );
    }
  }
  if (opts.checksForbidden) {
    scope.post(`${repo}/statuses/${HEAD}`, (body) => {
      rec.status = body as Record<string, unknown>;
      return true;
    }).reply(opts.statusForbidden ? 403 : 201, opts.statusForbidden ? { message: 'Resource not accessible by integration' } : { id: 1, state: 'failure', context: 'pysec' });
  } else {
    scope
      .patch(`${repo}/check-runs/4242`, (body) => {
        rec.checkUpdates.push(body as Record<string, unknown>);
        return true;
      })
      .reply(200, { id: 4242, status: 'completed' });
  }
  return { rec, scope };
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('pysec review: the review itself', () => {
  it('posts inline comments and a failing check run for a high finding on a changed line, and exits 1', async () => {
    const { rec, scope } = mockReview({ content: VULNERABLE, expectReview: true });
    const r = await pysec(REVIEW_ARGS);
    expect(r.stderr).toContain('reviewed acme/shop#7');
    expect(r.code).toBe(1);
    expect(rec.checkCreate).toMatchObject({ name: 'pysec', head_sha: HEAD, status: 'in_progress', external_id: '7' });
    // The Python file is fetched at the head commit of the base repository.
    expect(rec.graphql?.variables).toMatchObject({ owner: 'acme', name: 'shop', e0: `${HEAD}:app/settings.py` });
    expect(rec.review).toMatchObject({ commit_id: HEAD, event: 'COMMENT' });
    const comments = rec.review?.comments as { path: string; line: number; side: string; body: string }[];
    expect(comments).toHaveLength(1);
    expect(comments[0]).toMatchObject({ path: 'app/settings.py', line: 5, side: 'RIGHT' });
    expect(comments[0]?.body).toContain('yaml-unsafe-load');
    expect(comments[0]?.body).toContain('```suggestion');
    const last = rec.checkUpdates.at(-1);
    expect(last).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(rec.checkUpdates).toHaveLength(1);
    const annotations = (last?.output as { annotations: { path: string; start_line: number }[] }).annotations;
    expect(annotations).toEqual([expect.objectContaining({ path: 'app/settings.py', start_line: 5, annotation_level: 'failure' })]);
    expect(scope.isDone()).toBe(true);
    expect(nock.isDone()).toBe(true);
  });

  it('reads the config from the default branch, honours GITHUB_API_URL, and exits 0 when the check passes', async () => {
    // The repository switched the rule off: no finding, no review, a passing check run.
    const { rec, scope } = mockReview({ content: VULNERABLE, config: 'rules:\n  disable: [yaml-unsafe-load]\n' });
    const r = await pysec(['review', '--repo', 'acme/shop', '--pr', '7'], { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: `${GITHUB_API}/` });
    expect(r.code).toBe(0);
    expect(rec.review).toBeUndefined();
    expect(rec.checkUpdates.at(-1)).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(JSON.stringify(rec.checkUpdates.at(-1))).not.toContain('pysec.yml');
    expect(scope.isDone()).toBe(true);
  });

  it('--api-url overrides GITHUB_API_URL (api.github.com layout: GraphQL at /graphql)', async () => {
    const origin = 'http://127.0.0.2:4000';
    const { rec, scope } = mockReview({ content: CLEAN, origin, apiPrefix: '' });
    const r = await pysec(['review', '--repo', 'acme/shop', '--pr', '7', '--api-url', origin], {
      GITHUB_TOKEN: TOKEN,
      GITHUB_API_URL: 'http://127.0.0.3:9/api/v3',
    });
    expect(r.code).toBe(0);
    expect(rec.checkUpdates.at(-1)).toMatchObject({ conclusion: 'success' });
    expect(scope.isDone()).toBe(true);
  });

  it('takes the token from the variable --token-env names', async () => {
    const { scope } = mockReview({ content: CLEAN });
    const r = await pysec([...REVIEW_ARGS, '--token-env', 'PYSEC_GH_TOKEN'], { PYSEC_GH_TOKEN: TOKEN, GITHUB_TOKEN: 'other' });
    expect(r.code).toBe(0);
    expect(scope.isDone()).toBe(true);
  });

  it('reports a config file with bad YAML in the check run and scans with the defaults', async () => {
    const { rec, scope } = mockReview({ content: VULNERABLE, config: 'rules:\n  disable: [oops\n', expectReview: true });
    const r = await pysec(REVIEW_ARGS);
    expect(r.code).toBe(1); // defaults: the finding still fails the check
    const summary = (rec.checkUpdates.at(-1)?.output as { summary: string }).summary;
    expect(summary).toMatch(/pysec\.yml` is not valid YAML \\\(line 3: /);
    expect(scope.isDone()).toBe(true);
  });

  it.each([
    ['a list', '- rules\n', /pysec\.yml` is not a mapping of settings/],
    ['unreadable (HTTP 500)', undefined, /pysec\.yml` could not be read \\\(HTTP 500: /],
  ])('reports a config file that is %s and scans with the defaults', async (_what, config, notice) => {
    const { rec, scope } = mockReview({ content: CLEAN, ...(config === undefined ? { configStatus: 500 } : { config }) });
    const r = await pysec(REVIEW_ARGS);
    expect(r.code).toBe(0);
    expect((rec.checkUpdates.at(-1)?.output as { summary: string }).summary).toMatch(notice);
    expect(scope.isDone()).toBe(true);
  });

  it('names an invalid key of the config file in the check run', async () => {
    const { rec, scope } = mockReview({ content: CLEAN, config: 'pullRequests:\n  maxComment: 5\n' });
    const r = await pysec(REVIEW_ARGS);
    expect(r.code).toBe(0);
    const summary = (rec.checkUpdates.at(-1)?.output as { summary: string }).summary;
    expect(summary).toContain('pysec.yml');
    expect(summary).toContain('maxComment');
    expect(scope.isDone()).toBe(true);
  });

  it('completes the check run as neutral and exits 2 when GitHub fails (5xx listing the files)', async () => {
    const { rec, scope } = mockReview({ content: CLEAN, listFilesStatus: 502 });
    const r = await pysec(REVIEW_ARGS);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('could not be completed');
    expect(rec.checkUpdates).toEqual([expect.objectContaining({ status: 'completed', conclusion: 'neutral' })]);
    expect(scope.isDone()).toBe(true);
  });
});

describe('pysec review: commit status when the token cannot create check runs', () => {
  it('falls back to a commit status "pysec" after a 403 on POST /check-runs, and still posts the review', async () => {
    const summaryDir = mkdtempSync(join(tmpdir(), 'pysec-summary-'));
    const summaryFile = join(summaryDir, 'step-summary.md');
    try {
      const { rec, scope } = mockReview({ content: VULNERABLE, checksForbidden: true, expectReview: true });
      const r = await pysec(REVIEW_ARGS, {
        GITHUB_TOKEN: TOKEN,
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_REPOSITORY: 'acme/shop',
        GITHUB_RUN_ID: '123456789',
        GITHUB_STEP_SUMMARY: summaryFile,
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('cannot create check runs');
      expect(rec.review).toMatchObject({ event: 'COMMENT' });
      expect(rec.status).toEqual({
        state: 'failure',
        context: 'pysec',
        description: '1 finding: 1 high',
        target_url: 'https://github.com/acme/shop/actions/runs/123456789',
      });
      // The check run's summary, which had nowhere else to go, is in the job summary.
      const jobSummary = readFileSync(summaryFile, 'utf8');
      expect(jobSummary).toMatch(/^## pysec: 1 finding: 1 high\n/);
      expect(jobSummary).toContain('| Secure coding |');
      expect(scope.isDone()).toBe(true);
      expect(nock.isDone()).toBe(true);
    } finally {
      rmSync(summaryDir, { recursive: true, force: true });
    }
  });

  it('success → state success; no GITHUB_* run variables → no target_url', async () => {
    const { rec, scope } = mockReview({ content: CLEAN, checksForbidden: true });
    const r = await pysec(REVIEW_ARGS);
    expect(r.code).toBe(0);
    expect(rec.status).toEqual({ state: 'success', context: 'pysec', description: 'No security findings' });
    expect(scope.isDone()).toBe(true);
  });

  it('a read-only token (fork PR): review, check run and status refused; the log, job summary and exit code carry the result', async () => {
    const summaryDir = mkdtempSync(join(tmpdir(), 'pysec-summary-'));
    const summaryFile = join(summaryDir, 'step-summary.md');
    try {
      const { scope } = mockReview({
        content: VULNERABLE,
        checksForbidden: true,
        expectReview: true,
        reviewStatus: 403,
        statusForbidden: true,
      });
      const r = await pysec(REVIEW_ARGS, { GITHUB_TOKEN: TOKEN, GITHUB_STEP_SUMMARY: summaryFile });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('could not post a commit status either (HTTP 403');
      const jobSummary = readFileSync(summaryFile, 'utf8');
      expect(jobSummary).toMatch(/^## pysec: 1 finding: 1 high\n/);
      expect(jobSummary).toContain('review comments could not be posted');
      expect(scope.isDone()).toBe(true);
    } finally {
      rmSync(summaryDir, { recursive: true, force: true });
    }
  });

  it('a failed review becomes state error', async () => {
    const { rec, scope } = mockReview({ content: CLEAN, checksForbidden: true, listFilesStatus: 500 });
    const r = await pysec(REVIEW_ARGS);
    expect(r.code).toBe(2);
    expect(rec.status).toMatchObject({ state: 'error', context: 'pysec', description: 'pysec could not complete the scan' });
    expect(scope.isDone()).toBe(true);
  });

  it('other errors on POST /check-runs are not taken for a permission problem', async () => {
    const scope = nock(GITHUB_ORIGIN)
      .get(`${REPO}/pulls/7`)
      .reply(200, pullRequest())
      .get(`${REPO}/contents/.github%2Fpysec.yml`)
      .reply(404, { message: 'Not Found' })
      .post(`${REPO}/check-runs`)
      .reply(403, { message: 'You have exceeded a secondary rate limit.' });
    const r = await pysec(REVIEW_ARGS);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('secondary rate limit');
    expect(scope.isDone()).toBe(true);
  });
});

describe('pysec review: nothing to review', () => {
  it('a closed pull request: exits 0 after one request', async () => {
    const scope = nock(GITHUB_ORIGIN).get(`${REPO}/pulls/7`).reply(200, pullRequest({ state: 'closed' }));
    const r = await pysec(REVIEW_ARGS);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('acme/shop#7 is closed');
    expect(scope.isDone()).toBe(true);
  });

  it('a draft, unless the config reviews drafts: reads the config and stops', async () => {
    const scope = nock(GITHUB_ORIGIN)
      .get(`${REPO}/pulls/7`)
      .reply(200, pullRequest({ draft: true }))
      .get(`${REPO}/contents/.github%2Fpysec.yml`)
      .reply(404, { message: 'Not Found' });
    const r = await pysec(REVIEW_ARGS);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('not reviewed (draft');
    expect(scope.isDone()).toBe(true);
  });

  it('a pull request that does not exist (or the token cannot see): exits 2', async () => {
    const scope = nock(GITHUB_ORIGIN).get(`${REPO}/pulls/7`).reply(404, { message: 'Not Found' });
    const r = await pysec(REVIEW_ARGS);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot load pull request acme/shop#7: not found');
    expect(scope.isDone()).toBe(true);
  });
});

describe('pysec review: usage errors (exit 2, no request)', () => {
  it.each([
    ['no token', REVIEW_ARGS, {}, /no GitHub token: set GITHUB_TOKEN/],
    ['an empty token', REVIEW_ARGS, { GITHUB_TOKEN: '  ' }, /no GitHub token/],
    ['the named variable unset', [...REVIEW_ARGS, '--token-env', 'MY_TOKEN'], { GITHUB_TOKEN: TOKEN }, /set MY_TOKEN/],
    ['a bad --token-env', [...REVIEW_ARGS, '--token-env', 'A-B'], { GITHUB_TOKEN: TOKEN }, /--token-env must name/],
    ['--repo without owner', ['review', '--repo', 'shop', '--pr', '7'], { GITHUB_TOKEN: TOKEN }, /--repo must be OWNER\/NAME/],
    ['--repo with a path', ['review', '--repo', 'acme/shop/x', '--pr', '7'], { GITHUB_TOKEN: TOKEN }, /--repo must be OWNER\/NAME/],
    ['--repo ..', ['review', '--repo', 'acme/..', '--pr', '7'], { GITHUB_TOKEN: TOKEN }, /--repo must be OWNER\/NAME/],
    ['--pr not a number', ['review', '--repo', 'acme/shop', '--pr', '7a'], { GITHUB_TOKEN: TOKEN }, /--pr must be a pull request number/],
    ['--pr 0', ['review', '--repo', 'acme/shop', '--pr', '0'], { GITHUB_TOKEN: TOKEN }, /--pr must be/],
    ['--api-url not a URL', [...REVIEW_ARGS.slice(0, 5), '--api-url', 'github.example.com'], { GITHUB_TOKEN: TOKEN }, /--api-url must be an http\(s\) URL/],
    ['--api-url ftp', [...REVIEW_ARGS.slice(0, 5), '--api-url', 'ftp://x/'], { GITHUB_TOKEN: TOKEN }, /--api-url must be/],
    ['missing --pr', ['review', '--repo', 'acme/shop'], { GITHUB_TOKEN: TOKEN }, /required option '--pr <number>'/],
    ['missing --repo', ['review', '--pr', '7'], { GITHUB_TOKEN: TOKEN }, /required option '--repo/],
  ] as [string, string[], CliIO['env'], RegExp][])('%s', async (_name, args, env, message) => {
    const r = await pysec(args, env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('resolveReviewTarget: api.github.com by default, GITHUB_API_URL next, --api-url first; trailing slashes dropped', () => {
    const flags = { repo: 'octo-org/service.api', pr: '12', tokenEnv: 'GITHUB_TOKEN' };
    expect(resolveReviewTarget(flags, { GITHUB_TOKEN: 't' })).toEqual({
      owner: 'octo-org',
      repo: 'service.api',
      number: 12,
      baseUrl: 'https://api.github.com',
      token: 't',
    });
    expect(resolveReviewTarget(flags, { GITHUB_TOKEN: 't', GITHUB_API_URL: 'https://ghe.example.com/api/v3/' }).baseUrl).toBe(
      'https://ghe.example.com/api/v3',
    );
    expect(
      resolveReviewTarget({ ...flags, apiUrl: 'http://127.0.0.1:3999/api/v3' }, { GITHUB_TOKEN: 't', GITHUB_API_URL: 'https://x' }).baseUrl,
    ).toBe('http://127.0.0.1:3999/api/v3');
  });

  it('the virtual check run id is a positive safe integer (truthy for callers that test ids)', () => {
    expect(Number.isSafeInteger(VIRTUAL_CHECK_RUN_ID) && VIRTUAL_CHECK_RUN_ID > 0).toBe(true);
  });
});
