/**
 * Dependencies in a pull request review (issue 5): a changed manifest is read at the head and
 * at the base commit; only what the PR introduces is commented inline and can fail the check,
 * what was already there is listed in the check run summary.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import nock from 'nock';
import { runReview } from '../../src/github/job.js';
import { loadConfigSafely } from '../../src/github/config.js';
import { openOfflineDb } from '../../src/deps/advisories/offline.js';
import { GITHUB_ORIGIN, testClient, testPr } from '../helpers/github.js';

const OSV_DB = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/data/osv');
const quiet = { info() {}, warn() {}, error() {}, debug() {} };

const BASE_REQS = 'requests==2.19.0\nflask==2.3.3\n';
const HEAD_REQS = 'requests==2.19.0\nflask==2.3.3\ndjango==3.2.10\n';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('dependency findings in a pull request', () => {
  it('comments on the vulnerability the PR adds, and lists the one that was already there in the summary', async () => {
    const pr = testPr();
    const repo = '/api/v3/repos/acme/shop';
    let review: { comments: { path: string; line: number; body: string }[] } | undefined;
    let completed: { conclusion: string; output: { summary: string } } | undefined;
    let expressions: string[] = [];
    const scope = nock(GITHUB_ORIGIN)
      .post(`${repo}/check-runs`)
      .reply(201, { id: 5 })
      .get(`${repo}/pulls/7/files`)
      .query({ per_page: '100' })
      .reply(200, [
        {
          sha: 'c'.repeat(40),
          filename: 'requirements.txt',
          status: 'modified',
          additions: 1,
          deletions: 0,
          changes: 1,
          patch: '@@ -1,2 +1,3 @@\n requests==2.19.0\n flask==2.3.3\n+django==3.2.10',
        },
      ])
      .post('/api/graphql', (body: { variables: Record<string, string> }) => {
        expressions = Object.keys(body.variables)
          .filter((k) => /^e\d+$/.test(k))
          .map((k) => body.variables[k] as string);
        return true;
      })
      .reply(200, {
        data: {
          repository: {
            f0: { oid: 'c'.repeat(40), text: HEAD_REQS, isBinary: false, isTruncated: false, byteSize: HEAD_REQS.length },
            f1: { oid: 'd'.repeat(40), text: BASE_REQS, isBinary: false, isTruncated: false, byteSize: BASE_REQS.length },
          },
        },
      })
      .get(`${repo}/pulls/7/comments`)
      .query({ per_page: '100' })
      .reply(200, [])
      .post(`${repo}/pulls/7/reviews`, (body: typeof review) => {
        review = body;
        return true;
      })
      .reply(200, { id: 9 })
      .patch(`${repo}/check-runs/5`, (body: typeof completed) => {
        completed = body;
        return true;
      })
      .reply(200, { id: 5 });

    const db = await openOfflineDb(OSV_DB);
    const result = await runReview({
      client: testClient(),
      pr,
      log: quiet,
      advisories: async () => db,
      loadConfig: () => loadConfigSafely(async () => ({})),
    });

    expect(result.status).toBe('completed');
    expect(scope.isDone()).toBe(true);
    // The manifest is read at the head commit and, in the same query, at the base commit.
    expect(expressions).toEqual([`${pr.headSha}:requirements.txt`, `${pr.baseSha}:requirements.txt`]);
    // Only django (added by the PR) is commented.
    expect(review?.comments.map((c) => [c.path, c.line])).toEqual([['requirements.txt', 3]]);
    expect(review?.comments[0]?.body).toContain('vulnerable-dependency');
    expect(review?.comments[0]?.body).toContain('3.2.24');
    // requests 2.19.0 was vulnerable before the PR: in the summary, not commented.
    expect(completed?.conclusion).toBe('failure');
    expect(completed?.output.summary).toContain('Already present before this pull request');
    expect(completed?.output.summary).toContain('requests');
  });
});
