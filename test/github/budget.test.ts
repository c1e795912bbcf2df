/**
 * The API budget of one review (issue 3): a pull request of 50 Python files must cost at most
 * 8 requests in total. Measured here through the real job (config read, check run, gather,
 * scan, publish), counting every request nock receives.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { runReview } from '../../src/github/job.js';
import { createScanPool } from '../../src/scan/pool.js';
import { loadConfigSafely } from '../../src/github/config.js';
import { GITHUB_API, GITHUB_ORIGIN, testClient, testPr } from '../helpers/github.js';

const quiet = { info() {}, warn() {}, error() {}, debug() {} };
const FILES = 50;
const source = (i: number): string => `import os\n\n\ndef run_${i}(cmd):\n    os.system("tool " + cmd)\n`;

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('API budget', () => {
  it(`reviews a pull request of ${FILES} Python files in at most 8 requests`, async () => {
    const pr = testPr();
    const repo = '/api/v3/repos/acme/shop';
    const seen: string[] = [];
    const scope = nock(GITHUB_ORIGIN)
      .get(`${repo}/contents/.github%2Fpysec.yml`)
      .reply(404, { message: 'Not Found' })
      .post(`${repo}/check-runs`)
      .reply(201, { id: 1 })
      .get(`${repo}/pulls/7/files`)
      .query({ per_page: '100' })
      .reply(
        200,
        Array.from({ length: FILES }, (_, i) => ({
          sha: String(i).padStart(40, '0'),
          filename: `pkg/mod_${i}.py`,
          status: 'added',
          additions: 5,
          deletions: 0,
          changes: 5,
          patch: `@@ -0,0 +1,5 @@\n${source(i)
            .split('\n')
            .slice(0, -1)
            .map((l) => `+${l}`)
            .join('\n')}`,
        })),
      )
      .post('/api/graphql')
      .reply(200, {
        data: {
          repository: Object.fromEntries(
            Array.from({ length: FILES }, (_, i) => [
              `f${i}`,
              { oid: String(i).padStart(40, '0'), text: source(i), isBinary: false, isTruncated: false, byteSize: source(i).length },
            ]),
          ),
        },
      })
      .get(`${repo}/pulls/7/comments`)
      .query({ per_page: '100' })
      .reply(200, [])
      .post(`${repo}/pulls/7/reviews`)
      .reply(200, { id: 9 })
      .patch(`${repo}/check-runs/1`)
      .reply(200, { id: 1 });
    scope.on('request', (req: { method: string; path: string }) => seen.push(`${req.method} ${req.path}`));

    const client = testClient();
    // The app's worker-thread pool scans the 50 files (as in production).
    const pool = createScanPool({ size: 2 });
    const result = await runReview({
      client,
      pr,
      log: quiet,
      scanner: (files, options) => pool.scan(files, options),
      loadConfig: () =>
        loadConfigSafely(async () => {
          try {
            await client.rest.repos.getContent({ owner: pr.owner, repo: pr.repo, path: '.github/pysec.yml' });
            return {};
          } catch {
            return {};
          }
        }),
    });

    expect(pool.threads).toBeGreaterThan(0);
    await pool.close();
    expect(result.status).toBe('completed');
    if (result.status === 'completed') {
      expect(result.outcome.posted).toBe(30); // the default cap; the other 20 go to the check run
      expect(result.outcome.overflow).toBe(20);
    }
    expect(scope.isDone()).toBe(true);
    // Measured: 7 requests (config, check run create, 1 listFiles page, 1 GraphQL batch, existing
    // comments, 1 review, 1 check run update with all 50 annotations). The app may add one more
    // config read (Probot falls back to the organisation's .github repository): 8.
    expect(seen).toHaveLength(7);
    expect(seen.length).toBeLessThanOrEqual(8);
    expect(GITHUB_API).toContain('127.0.0.1');
  });
});
