import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { Octokit } from '@octokit/rest';
import {
  MAX_STATUS_DESCRIPTION,
  VIRTUAL_CHECK_RUN_ID,
  commitStatusFor,
  installCheckRunFallback,
  isCheckRunForbidden,
  statusDescription,
} from '../../src/github/status.js';
import { GITHUB_API, GITHUB_ORIGIN } from '../helpers/github.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('commitStatusFor', () => {
  it.each([
    [{ conclusion: 'success', title: 'No security findings' }, 'success', 'No security findings'],
    [{ conclusion: 'failure', title: '3 findings: 1 high, 2 medium' }, 'failure', '3 findings: 1 high, 2 medium'],
    [{ conclusion: 'neutral', title: 'pysec could not complete the scan' }, 'error', 'pysec could not complete the scan'],
    [{ conclusion: 'cancelled' }, 'error', 'pysec could not complete the review'],
    [{}, 'error', 'pysec could not complete the review'],
    [{ conclusion: 'success' }, 'success', 'No security findings above the threshold'],
    [{ conclusion: 'failure' }, 'failure', 'Security findings above the threshold'],
  ])('%j → %s', (recorded, state, description) => {
    expect(commitStatusFor(recorded)).toEqual({ state, description });
  });
});

describe('statusDescription', () => {
  it.each([
    ['short', 'short'],
    ['  two\n lines\t', 'two lines'],
    ['x'.repeat(140), 'x'.repeat(140)],
    ['x'.repeat(141), `${'x'.repeat(139)}…`],
    [`${'word '.repeat(40)}`, `${'word '.repeat(28).trimEnd()}…`],
  ])('%j', (input, expected) => {
    const out = statusDescription(input);
    expect(out).toBe(expected);
    expect(out.length).toBeLessThanOrEqual(MAX_STATUS_DESCRIPTION);
  });
});

describe('isCheckRunForbidden', () => {
  it.each([
    [{ status: 403, message: 'Resource not accessible by integration' }, true],
    [{ status: 403, message: 'Resource not accessible by personal access token' }, true],
    [{ status: 403, message: 'You must authenticate via a GitHub App.' }, true],
    [{ status: 403, message: 'You have exceeded a secondary rate limit.' }, false],
    [{ status: 404, message: 'Resource not accessible by integration' }, false],
    [{ status: 422, message: 'Validation Failed' }, false],
    [new Error('Resource not accessible by integration'), false],
    [null, false],
    ['403', false],
  ])('%j → %s', (err, expected) => {
    expect(isCheckRunForbidden(err)).toBe(expected);
  });
});

describe('installCheckRunFallback', () => {
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };

  it('passes check runs through while the token may create them', async () => {
    const octokit = new Octokit({ baseUrl: GITHUB_API, auth: 't', log: quiet });
    const fallback = installCheckRunFallback(octokit);
    const scope = nock(GITHUB_ORIGIN)
      .post('/api/v3/repos/acme/shop/check-runs', { name: 'pysec', head_sha: 'a'.repeat(40) })
      .reply(201, { id: 7 })
      .patch('/api/v3/repos/acme/shop/check-runs/7', { status: 'completed', conclusion: 'success' })
      .reply(200, { id: 7 });
    const { data } = await octokit.rest.checks.create({ owner: 'acme', repo: 'shop', name: 'pysec', head_sha: 'a'.repeat(40) });
    expect(data.id).toBe(7);
    await octokit.rest.checks.update({ owner: 'acme', repo: 'shop', check_run_id: 7, status: 'completed', conclusion: 'success' });
    expect(fallback.active).toBe(false);
    expect(scope.isDone()).toBe(true);
  });

  it('after a 403 answers creates and updates locally (route templates and literal paths) and records the last output', async () => {
    const octokit = new Octokit({ baseUrl: GITHUB_API, auth: 't', log: quiet });
    const fallback = installCheckRunFallback(octokit);
    // One request reaches GitHub: the refused create. Nothing after it does.
    const scope = nock(GITHUB_ORIGIN)
      .post('/api/v3/repos/acme/shop/check-runs')
      .reply(403, { message: 'Resource not accessible by integration' });
    const { data, status } = await octokit.rest.checks.create({
      owner: 'acme',
      repo: 'shop',
      name: 'pysec',
      head_sha: 'a'.repeat(40),
      status: 'in_progress',
      external_id: '7',
    });
    expect(status).toBe(201);
    expect(data).toMatchObject({ id: VIRTUAL_CHECK_RUN_ID, name: 'pysec', status: 'in_progress', external_id: '7' });
    expect(fallback.active).toBe(true);

    await octokit.rest.checks.update({
      owner: 'acme',
      repo: 'shop',
      check_run_id: VIRTUAL_CHECK_RUN_ID,
      output: { title: '60 findings: 60 low', summary: 'first batch', annotations: [] },
    });
    await octokit.request(`PATCH /repos/acme/shop/check-runs/${VIRTUAL_CHECK_RUN_ID}`, {
      status: 'completed',
      conclusion: 'success',
      output: { title: '60 findings: 60 low', summary: 'final', text: 'the list' },
    });
    expect(fallback.recorded).toEqual({ conclusion: 'success', title: '60 findings: 60 low', summary: 'final', text: 'the list' });

    // A second create (a re-run in the same process) does not ask GitHub again.
    const again = await octokit.request('POST /repos/acme/shop/check-runs', { name: 'pysec', head_sha: 'b'.repeat(40) });
    expect(again.data.id).toBe(VIRTUAL_CHECK_RUN_ID);
    expect(scope.isDone()).toBe(true);
  });

  it('other failures of POST /check-runs propagate unchanged', async () => {
    const octokit = new Octokit({ baseUrl: GITHUB_API, auth: 't', log: quiet });
    const fallback = installCheckRunFallback(octokit);
    const scope = nock(GITHUB_ORIGIN).post('/api/v3/repos/acme/shop/check-runs').reply(422, { message: 'Invalid head_sha' });
    await expect(octokit.rest.checks.create({ owner: 'acme', repo: 'shop', name: 'pysec', head_sha: 'zz' })).rejects.toMatchObject({
      status: 422,
    });
    expect(fallback.active).toBe(false);
    expect(scope.isDone()).toBe(true);
  });
});
