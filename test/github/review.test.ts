import { afterEach, beforeAll, afterAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { defaultConfig, type PysecConfig } from '../../src/config/schema.js';
import type { Finding, Severity } from '../../src/core/types.js';
import { parsePatch } from '../../src/diff/index.js';
import type { ChangedFile, GatheredPullRequest, PublishInput } from '../../src/github/contracts.js';
import {
  FIXED_MARKER,
  RESOLVE_THREAD_MUTATION,
  REVIEW_THREADS_QUERY,
  commentPosition,
  conclusionFor,
  existingComments,
  fixedBody,
  planReview,
  publishReview,
  type ExistingComment,
} from '../../src/github/review.js';
import type { ScanResult } from '../../src/scan/index.js';
import { GITHUB_ORIGIN, testClient, testPr } from '../helpers/github.js';
import { scanResult } from '../helpers/scan-result.js';

/*
 * app/views.py at the head commit, and the patch GitHub returns for it. New-side lines:
 * hunk 1 = 1..9 (added: 2, 5-9), hunk 2 = 25..28 (added: 26, 27).
 */
const PATCH = [
  '@@ -1,4 +1,9 @@',
  ' import yaml',
  '+import subprocess',
  ' ',
  ' def load(s):',
  '-    return s',
  '+    data = yaml.load(',
  '+        s',
  '+    )',
  '+    return data',
  '+',
  '@@ -20,3 +25,4 @@ def other():',
  '     x = 1',
  '+    y = 2',
  '+    w = 3',
  '     z = 3',
].join('\n');
const CHANGES = parsePatch(PATCH);

const SOURCE = [
  'import yaml',
  'import subprocess',
  '',
  'def load(s):',
  '    data = yaml.load(',
  '        s',
  '    )',
  '    return data',
  '',
  ...Array.from({ length: 15 }, (_, i) => `# filler ${i + 10}`),
  'def other():',
  '    x = 1',
  '    y = 2',
  '    w = 3',
  '    z = 3',
  '',
].join('\n');

const VIEWS: ChangedFile = { path: 'app/views.py', status: 'modified', kind: 'python', changes: CHANGES };

let fpCounter = 0;
function mk(line: number, opts: { end?: number; severity?: Severity; path?: string; fp?: string; ruleId?: string } = {}): Finding {
  const fp = opts.fp ?? (++fpCounter).toString(16).padStart(32, '0');
  const end = opts.end ?? line;
  return {
    ruleId: opts.ruleId ?? 'dynamic-code-execution',
    area: 'secure-coding',
    severity: opts.severity ?? 'high',
    confidence: 'medium',
    messageId: 'dynamic',
    message: '`eval()` runs a string that is not a constant.',
    path: opts.path ?? 'app/views.py',
    range: { start: { line, column: 5 }, end: { line: end, column: 10 } },
    statementLines: { start: line, end },
    snippet: 'eval(x)',
    cwe: ['CWE-95'],
    owasp: ['A03:2021'],
    fingerprint: fp,
  };
}

function result(findings: Finding[], extra: Partial<ScanResult> = {}): ScanResult {
  return scanResult(findings, { stats: { filesScanned: 1, filesSkipped: 0, lines: 30, durationMs: 12 }, ...extra });
}

function gathered(files: ChangedFile[] = [VIEWS], extra: Partial<GatheredPullRequest> = {}): GatheredPullRequest {
  return {
    files,
    sources: [{ path: 'app/views.py', content: Buffer.from(SOURCE, 'utf8') }],
    skipped: [],
    truncated: false,
    apiCalls: 3,
    ...extra,
  };
}

function config(overrides: Partial<PysecConfig> = {}): PysecConfig {
  return { ...defaultConfig(), ...overrides };
}

function input(findings: Finding[], overrides: Partial<PublishInput> = {}): PublishInput {
  return {
    client: testClient(),
    pr: testPr(),
    config: config(),
    result: result(findings),
    gathered: gathered(),
    checkRunId: 555,
    notices: [],
    elapsedMs: 1500,
    ...overrides,
  };
}

describe('commentPosition', () => {
  it.each<[string, number, number, ReturnType<typeof commentPosition>]>([
    ['an added line', 2, 2, { line: 2 }],
    ['a context line', 3, 3, 'outside-diff'],
    ['several added lines in one hunk', 5, 7, { startLine: 5, line: 7 }],
    ['a context line then an added one', 4, 5, { startLine: 4, line: 5 }],
    ['from an added line to a context line in the same hunk', 27, 28, { startLine: 27, line: 28 }],
    ['across hunks, last line commentable', 9, 25, { line: 25 }],
    ['across hunks, last line outside the diff', 9, 23, 'outside-diff'],
    ['outside any hunk', 12, 12, 'outside-diff'],
    ['the second hunk', 26, 26, { line: 26 }],
  ])('%s (%d-%d)', (_name, start, end, expected) => {
    expect(commentPosition(mk(start, { end }), CHANGES)).toEqual(expected);
  });

  it('no patch → no-patch', () => {
    expect(commentPosition(mk(2), undefined)).toBe('no-patch');
  });
});

describe('conclusionFor', () => {
  const noPatchModified: ChangedFile = { path: 'big.py', status: 'modified', kind: 'python' };
  const noPatchAdded: ChangedFile = { path: 'new.py', status: 'added', kind: 'python' };
  const files = [VIEWS, noPatchModified, noPatchAdded];
  it.each<[string, Finding[], PysecConfig['failOn'], 'success' | 'failure']>([
    ['no findings', [], undefined, 'success'],
    ['high on an added line (default threshold high)', [mk(2)], undefined, 'failure'],
    ['critical on an added line', [mk(26, { severity: 'critical' })], undefined, 'failure'],
    ['high on a context line only', [mk(3)], undefined, 'success'],
    ['high spanning a context and an added line', [mk(4, { end: 5 })], undefined, 'failure'],
    ['medium on an added line, default threshold', [mk(2, { severity: 'medium' })], undefined, 'success'],
    ['medium on an added line, failOn medium', [mk(2, { severity: 'medium' })], 'medium', 'failure'],
    ['low on an added line, failOn low', [mk(2, { severity: 'low' })], 'low', 'failure'],
    ['critical on an added line, failOn never', [mk(2, { severity: 'critical' })], 'never', 'success'],
    ['high in a modified file without patch', [mk(2, { path: 'big.py' })], undefined, 'success'],
    ['high in a new file without patch', [mk(2, { path: 'new.py' })], undefined, 'failure'],
    ['high in a file the PR did not change', [mk(2, { path: 'other.py' })], undefined, 'success'],
  ])('%s', (_name, findings, failOn, expected) => {
    expect(conclusionFor(result(findings), { files }, { failOn })).toBe(expected);
  });

  it('is neutral when a file could not be downloaded and nothing fails, failure still wins', () => {
    const skipped = [{ path: 'lost.py', reason: 'could not be fetched from GitHub (HTTP 502)', error: true }];
    expect(conclusionFor(result([]), { files, skipped }, {})).toBe('neutral');
    expect(conclusionFor(result([mk(2)]), { files, skipped }, {})).toBe('failure');
    // Skipped by policy (binary, too large) is not an incomplete review.
    expect(conclusionFor(result([]), { files, skipped: [{ path: 'x.py', reason: 'binary file' }] }, {})).toBe('success');
  });
});

describe('existingComments', () => {
  it('keeps top-level comments with a pysec marker', () => {
    const fp = 'ab'.repeat(16);
    expect(
      existingComments([
        { id: 1, body: `text\n<!-- pysec:fingerprint=${fp} -->`, path: 'a.py' },
        { id: 2, body: `reply quoting <!-- pysec:fingerprint=${fp} -->`, path: 'a.py', in_reply_to_id: 1 },
        { id: 3, body: 'a human review comment', path: 'a.py' },
        { id: 4, body: `${FIXED_MARKER}\nnote\n<!-- pysec:fingerprint=${'cd'.repeat(16)} -->`, path: 'b.py' },
        { id: 5, body: null, path: 'c.py' },
        { id: 6, body: '<!-- pysec:fingerprint=NOTHEX -->', path: 'c.py' },
      ]),
    ).toEqual([
      { id: 1, fingerprint: fp, path: 'a.py', body: `text\n<!-- pysec:fingerprint=${fp} -->`, fixed: false },
      { id: 4, fingerprint: 'cd'.repeat(16), path: 'b.py', body: `${FIXED_MARKER}\nnote\n<!-- pysec:fingerprint=${'cd'.repeat(16)} -->`, fixed: true },
    ]);
  });
});

function existing(id: number, fp: string, path = 'app/views.py', fixed = false): ExistingComment {
  return { id, fingerprint: fp, path, body: `body ${id}\n<!-- pysec:fingerprint=${fp} -->`, fixed };
}

describe('planReview', () => {
  it('posts new findings on changed lines, most severe first, and places the others', () => {
    const low = mk(2, { severity: 'low' });
    const critical = mk(26, { severity: 'critical' });
    const multi = mk(5, { end: 7, severity: 'medium' });
    const context = mk(3);
    const noPatch = mk(2, { path: 'big.py' });
    const plan = planReview(result([low, critical, multi, context, noPatch]), gathered([VIEWS, { path: 'big.py', status: 'modified', kind: 'python' }]), config(), []);
    expect(plan.comments.map((c) => [c.finding.fingerprint, c.path, c.position])).toEqual([
      [critical.fingerprint, 'app/views.py', { line: 26 }],
      [multi.fingerprint, 'app/views.py', { startLine: 5, line: 7 }],
      [low.fingerprint, 'app/views.py', { line: 2 }],
    ]);
    expect(plan.placement).toEqual({
      [critical.fingerprint]: 'posted',
      [multi.fingerprint]: 'posted',
      [low.fingerprint]: 'posted',
      [context.fingerprint]: 'outside-diff',
      [noPatch.fingerprint]: 'no-patch',
    });
    expect(plan.alreadyCommented).toBe(0);
    expect(plan.overCap).toBe(0);
    expect(plan.toResolve).toEqual([]);
  });

  it('caps new comments at pullRequests.maxComments, keeping the most severe', () => {
    const fs = [mk(2, { severity: 'low' }), mk(5, { severity: 'critical' }), mk(6, { severity: 'medium' }), mk(26, { severity: 'high' })];
    const plan = planReview(result(fs), gathered(), config({ pullRequests: { drafts: false, maxComments: 2 } }), []);
    expect(plan.comments.map((c) => c.finding.severity)).toEqual(['critical', 'high']);
    expect(plan.overCap).toBe(2);
    expect(Object.values(plan.placement).sort()).toEqual(['over-cap', 'over-cap', 'posted', 'posted']);
    expect(planReview(result(fs), gathered(), config({ pullRequests: { drafts: false, maxComments: 0 } }), []).comments).toEqual([]);
  });

  it('does not repost commented fingerprints and resolves only what this run could check', () => {
    const kept = mk(2);
    const back = mk(5); // was marked fixed earlier, came back: gets a new comment
    const plan = planReview(
      result([kept, back], { diagnostics: [{ path: 'crash.py', kind: 'rule-error', message: 'boom', ruleId: 'x' }] }),
      gathered([VIEWS], { skipped: [{ path: 'unreadable.py', reason: 'could not be fetched' }] }),
      config(),
      [
        existing(1, kept.fingerprint),
        existing(2, back.fingerprint, 'app/views.py', true),
        existing(3, 'f'.repeat(32)), // finding gone → resolve
        existing(4, 'e'.repeat(32), 'unreadable.py'), // file not fetched this run → keep
        existing(5, 'd'.repeat(32), 'crash.py'), // a rule crashed on the file → keep
        existing(6, 'c'.repeat(32), 'app/views.py', true), // already marked fixed
      ],
    );
    expect(plan.comments.map((c) => c.finding.fingerprint)).toEqual([back.fingerprint]);
    expect(plan.placement[kept.fingerprint]).toBe('existing');
    expect(plan.alreadyCommented).toBe(1);
    expect(plan.toResolve.map((c) => c.id)).toEqual([3]);
  });
});

describe('publishReview (nock)', () => {
  const API = '/api/v3/repos/acme/shop';
  beforeAll(() => nock.disableNetConnect());
  afterAll(() => nock.enableNetConnect());
  afterEach(() => nock.cleanAll());

  /** A REST review comment as pulls.listReviewComments returns it. */
  function restComment(id: number, body: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      id,
      node_id: `PRRC_${id}`,
      pull_request_review_id: 900 + id,
      diff_hunk: '@@ -1,4 +1,9 @@',
      path: 'app/views.py',
      commit_id: 'c'.repeat(40),
      original_commit_id: 'c'.repeat(40),
      user: { login: 'pysec[bot]', id: 1, type: 'Bot' },
      body,
      created_at: '2025-05-01T10:00:00Z',
      updated_at: '2025-05-01T10:00:00Z',
      html_url: `https://github.com/acme/shop/pull/7#discussion_r${id}`,
      line: 2,
      side: 'RIGHT',
      ...extra,
    };
  }

  function reviewResponse(): Record<string, unknown> {
    return { id: 80, node_id: 'PRR_80', state: 'COMMENTED', body: '', commit_id: 'a'.repeat(40), user: { login: 'pysec[bot]' } };
  }

  type ReviewBody = { commit_id: string; event: string; body: string; comments: Record<string, unknown>[] };

  it('first run: one COMMENT review with validated positions and no other writes (2 requests)', async () => {
    const single = mk(2, { severity: 'medium' });
    const multi = mk(5, { end: 7, severity: 'high', ruleId: 'yaml-unsafe-load' });
    multi.fix = {
      description: 'Use yaml.safe_load()',
      edits: [{ start: SOURCE.indexOf('yaml.load(') + 5, end: SOURCE.indexOf('yaml.load(') + 9, text: 'safe_load', range: { start: { line: 5, column: 17 }, end: { line: 5, column: 21 } } }],
    };
    const outside = mk(3);
    const posted: ReviewBody[] = [];
    const scope = nock(GITHUB_ORIGIN)
      .get(`${API}/pulls/7/comments`)
      .query({ per_page: '100' })
      .reply(200, [])
      .post(`${API}/pulls/7/reviews`, (b: ReviewBody) => {
        posted.push(b);
        return true;
      })
      .reply(200, reviewResponse());

    const outcome = await publishReview(input([single, multi, outside]));

    expect(posted).toHaveLength(1);
    const review = posted[0] as ReviewBody;
    expect(review.commit_id).toBe('a'.repeat(40));
    expect(review.event).toBe('COMMENT');
    expect(review.body).toBe('**pysec** found 2 new security findings (1 high, 1 medium) on lines this pull request changes.');
    expect(review.comments.map(({ body: _b, ...pos }) => pos)).toEqual([
      { path: 'app/views.py', line: 7, side: 'RIGHT', start_line: 5, start_side: 'RIGHT' },
      { path: 'app/views.py', line: 2, side: 'RIGHT' },
    ]);
    const [first, second] = review.comments.map((c) => String(c.body));
    expect(first).toContain('```suggestion\n    data = yaml.safe_load(\n        s\n    )\n```');
    expect(first).toContain(`<!-- pysec:fingerprint=${multi.fingerprint} -->`);
    expect(second).toContain(`<!-- pysec:fingerprint=${single.fingerprint} -->`);
    expect(outcome).toEqual({
      posted: 2,
      alreadyCommented: 0,
      overflow: 0,
      resolved: 0,
      conclusion: 'failure',
      placement: { [multi.fingerprint]: 'posted', [single.fingerprint]: 'posted', [outside.fingerprint]: 'outside-diff' },
    });
    expect(scope.isDone()).toBe(true);
    expect(nock.isDone()).toBe(true);
  });

  it('second run: paginates existing comments and does not repost a commented fingerprint', async () => {
    const old = mk(2);
    const fresh = mk(26, { severity: 'low' });
    const posted: ReviewBody[] = [];
    const scope = nock(GITHUB_ORIGIN)
      .get(`${API}/pulls/7/comments`)
      .query({ per_page: '100' })
      .reply(200, [restComment(11, 'a human comment')], {
        link: `<${GITHUB_ORIGIN}${API}/pulls/7/comments?per_page=100&page=2>; rel="next", <${GITHUB_ORIGIN}${API}/pulls/7/comments?per_page=100&page=2>; rel="last"`,
      })
      .get(`${API}/pulls/7/comments`)
      .query({ per_page: '100', page: '2' })
      .reply(200, [
        restComment(12, `earlier\n<!-- pysec:fingerprint=${old.fingerprint} -->`),
        restComment(13, `thanks bot <!-- pysec:fingerprint=${fresh.fingerprint} -->`, { in_reply_to_id: 12 }),
      ])
      .post(`${API}/pulls/7/reviews`, (b: ReviewBody) => {
        posted.push(b);
        return true;
      })
      .reply(200, reviewResponse());

    const outcome = await publishReview(input([old, fresh]));
    expect(posted[0]?.comments.map((c) => [c.path, c.line, c.side, c.start_line])).toEqual([['app/views.py', 26, 'RIGHT', undefined]]);
    expect(outcome.posted).toBe(1);
    expect(outcome.alreadyCommented).toBe(1);
    expect(outcome.placement?.[old.fingerprint]).toBe('existing');
    expect(scope.isDone()).toBe(true);
    expect(nock.isDone()).toBe(true);
  });

  it('posts no review when everything is already commented; resolves the thread of a fixed finding', async () => {
    const still = mk(2);
    const goneFp = '9'.repeat(32);
    const graphql: { query: string; variables: Record<string, unknown> }[] = [];
    const scope = nock(GITHUB_ORIGIN)
      .get(`${API}/pulls/7/comments`)
      .query({ per_page: '100' })
      .reply(200, [
        restComment(21, `x\n<!-- pysec:fingerprint=${still.fingerprint} -->`),
        restComment(22, `y\n<!-- pysec:fingerprint=${goneFp} -->`, { line: 5 }),
      ])
      .post('/api/graphql', (b: { query: string; variables: Record<string, unknown> }) => {
        graphql.push(b);
        return b.query === REVIEW_THREADS_QUERY;
      })
      .reply(200, {
        data: {
          repository: {
            pullRequest: {
              reviewThreads: {
                pageInfo: { hasNextPage: true, endCursor: 'Y3Vyc29yOjE=' },
                nodes: [{ id: 'PRRT_21', isResolved: false, comments: { nodes: [{ body: 'x', databaseId: 21 }] } }],
              },
            },
          },
        },
      })
      .post('/api/graphql', (b: { query: string; variables: Record<string, unknown> }) => {
        graphql.push(b);
        return b.query === REVIEW_THREADS_QUERY;
      })
      .reply(200, {
        data: {
          repository: {
            pullRequest: {
              reviewThreads: {
                pageInfo: { hasNextPage: false, endCursor: 'Y3Vyc29yOjI=' },
                nodes: [
                  { id: 'PRRT_22', isResolved: false, comments: { nodes: [{ body: 'y', databaseId: 22 }] } },
                  { id: 'PRRT_99', isResolved: false, comments: { nodes: [{ body: 'human', databaseId: 99 }] } },
                ],
              },
            },
          },
        },
      })
      .post('/api/graphql', (b: { query: string; variables: Record<string, unknown> }) => {
        graphql.push(b);
        return b.query === RESOLVE_THREAD_MUTATION;
      })
      .reply(200, { data: { resolveReviewThread: { thread: { id: 'PRRT_22', isResolved: true } } } });

    const outcome = await publishReview(input([still]));
    expect(graphql.map((g) => g.variables)).toEqual([
      { owner: 'acme', repo: 'shop', number: 7, cursor: null },
      { owner: 'acme', repo: 'shop', number: 7, cursor: 'Y3Vyc29yOjE=' },
      { threadId: 'PRRT_22' },
    ]);
    expect(graphql[2]?.query).toContain('resolveReviewThread(input: {threadId: $threadId})');
    expect(outcome).toMatchObject({ posted: 0, alreadyCommented: 1, resolved: 1, overflow: 0 });
    expect(scope.isDone()).toBe(true);
    expect(nock.isDone()).toBe(true);
  });

  it('marks the comment fixed when the thread cannot be resolved (no permission)', async () => {
    const goneA = '8'.repeat(32);
    const goneB = '7'.repeat(32);
    const bodyA = `a\n<!-- pysec:fingerprint=${goneA} -->`;
    const bodyB = `b\n<!-- pysec:fingerprint=${goneB} -->`;
    const edits: { body: string }[] = [];
    const threads = {
      data: {
        repository: {
          pullRequest: {
            reviewThreads: {
              pageInfo: { hasNextPage: false, endCursor: null },
              nodes: [
                { id: 'PRRT_31', isResolved: false, comments: { nodes: [{ body: bodyA, databaseId: 31 }] } },
                { id: 'PRRT_32', isResolved: false, comments: { nodes: [{ body: bodyB, databaseId: 32 }] } },
                { id: 'PRRT_33', isResolved: true, comments: { nodes: [{ body: '', databaseId: 33 }] } },
              ],
            },
          },
        },
      },
    };
    const scope = nock(GITHUB_ORIGIN)
      .get(`${API}/pulls/7/comments`)
      .query({ per_page: '100' })
      .reply(200, [
        restComment(31, bodyA),
        restComment(32, bodyB),
        restComment(33, `resolved by a human\n<!-- pysec:fingerprint=${'6'.repeat(32)} -->`),
      ])
      .post('/api/graphql', (b: { query: string }) => b.query === REVIEW_THREADS_QUERY)
      .reply(200, threads)
      // One refused mutation: pysec does not try GraphQL again for the next thread.
      .post('/api/graphql', (b: { query: string; variables: { threadId: string } }) => b.variables.threadId === 'PRRT_31')
      .reply(200, {
        data: { resolveReviewThread: null },
        errors: [{ type: 'FORBIDDEN', path: ['resolveReviewThread'], message: 'Resource not accessible by integration' }],
      })
      .patch(/\/api\/v3\/repos\/acme\/shop\/pulls\/comments\/(31|32)$/, (b: { body: string }) => {
        edits.push({ body: b.body });
        return true;
      })
      .times(2)
      .reply(200, (uri: string) => restComment(Number(uri.split('/').pop()), 'edited'));

    const outcome = await publishReview(input([]));
    expect(edits.map((e) => e.body)).toEqual([fixedBody(bodyA, 'a'.repeat(40)), fixedBody(bodyB, 'a'.repeat(40))]);
    expect(edits[0]?.body.startsWith(`${FIXED_MARKER}\n> [!NOTE]\n> **Fixed:** pysec no longer finds this issue at aaaaaaa`)).toBe(true);
    expect(outcome).toMatchObject({ posted: 0, resolved: 2, conclusion: 'success' });
    expect(scope.isDone()).toBe(true);
    expect(nock.isDone()).toBe(true);
  });

  it('422: retries once with single-line comments', async () => {
    const multi = mk(5, { end: 7 });
    const single = mk(26);
    const posted: ReviewBody[] = [];
    const scope = nock(GITHUB_ORIGIN)
      .get(`${API}/pulls/7/comments`)
      .query({ per_page: '100' })
      .reply(200, [])
      .post(`${API}/pulls/7/reviews`, (b: ReviewBody) => (posted.push(b), true))
      .reply(422, { message: 'Unprocessable Entity', errors: ['Line could not be resolved'], status: '422' })
      .post(`${API}/pulls/7/reviews`, (b: ReviewBody) => (posted.push(b), true))
      .reply(200, reviewResponse());

    const outcome = await publishReview(input([multi, single]));
    expect(posted.map((r) => r.comments.map(({ body: _b, ...pos }) => pos))).toEqual([
      [
        { path: 'app/views.py', line: 7, side: 'RIGHT', start_line: 5, start_side: 'RIGHT' },
        { path: 'app/views.py', line: 26, side: 'RIGHT' },
      ],
      [
        { path: 'app/views.py', line: 7, side: 'RIGHT' },
        { path: 'app/views.py', line: 26, side: 'RIGHT' },
      ],
    ]);
    expect(outcome).toMatchObject({ posted: 2, overflow: 0 });
    expect(scope.isDone()).toBe(true);
    expect(nock.isDone()).toBe(true);
  });

  it('422 twice: gives up on inline comments, all of them go to the check run', async () => {
    const multi = mk(5, { end: 7 });
    const single = mk(26);
    const scope = nock(GITHUB_ORIGIN)
      .get(`${API}/pulls/7/comments`)
      .query({ per_page: '100' })
      .reply(200, [])
      .post(`${API}/pulls/7/reviews`)
      .times(2)
      .reply(422, { message: 'Unprocessable Entity', errors: ['Pull request review thread line must be part of the diff'] });

    const outcome = await publishReview(input([multi, single]));
    expect(outcome).toMatchObject({ posted: 0, overflow: 2, conclusion: 'failure' });
    expect(outcome.placement).toEqual({ [multi.fingerprint]: 'rejected', [single.fingerprint]: 'rejected' });
    expect(scope.isDone()).toBe(true);
    expect(nock.isDone()).toBe(true);
  });

  it('422 with single-line comments only: no pointless retry', async () => {
    const scope = nock(GITHUB_ORIGIN)
      .get(`${API}/pulls/7/comments`)
      .query({ per_page: '100' })
      .reply(200, [])
      .post(`${API}/pulls/7/reviews`)
      .once()
      .reply(422, { message: 'Unprocessable Entity' });
    const outcome = await publishReview(input([mk(2)]));
    expect(outcome).toMatchObject({ posted: 0, overflow: 1 });
    expect(scope.isDone()).toBe(true);
    expect(nock.isDone()).toBe(true);
  });

  it('other errors propagate to the caller', async () => {
    const scope = nock(GITHUB_ORIGIN)
      .get(`${API}/pulls/7/comments`)
      .query({ per_page: '100' })
      .reply(200, [])
      .post(`${API}/pulls/7/reviews`)
      .reply(502, { message: 'Bad Gateway' });
    await expect(publishReview(input([mk(2)]))).rejects.toMatchObject({ status: 502 });
    expect(scope.isDone()).toBe(true);
    expect(nock.isDone()).toBe(true);
  });

  it('cap: 5 findings, maxComments 3 → 3 comments (most severe), 2 overflow', async () => {
    const fs = [
      mk(2, { severity: 'low' }),
      mk(5, { severity: 'medium' }),
      mk(6, { severity: 'critical' }),
      mk(26, { severity: 'high' }),
      mk(27, { severity: 'low' }),
    ];
    const posted: ReviewBody[] = [];
    const scope = nock(GITHUB_ORIGIN)
      .get(`${API}/pulls/7/comments`)
      .query({ per_page: '100' })
      .reply(200, [])
      .post(`${API}/pulls/7/reviews`, (b: ReviewBody) => (posted.push(b), true))
      .reply(200, reviewResponse());
    const outcome = await publishReview(input(fs, { config: config({ pullRequests: { drafts: false, maxComments: 3 } }) }));
    expect(posted[0]?.comments.map((c) => c.line)).toEqual([6, 26, 5]);
    expect(posted[0]?.body).toBe(
      '**pysec** found 3 new security findings (1 critical, 1 high, 1 medium) on lines this pull request changes. 2 more findings are listed in the **pysec** check run.',
    );
    expect(outcome).toMatchObject({ posted: 3, overflow: 2 });
    expect(scope.isDone()).toBe(true);
    expect(nock.isDone()).toBe(true);
  });
});
