import { createHash } from 'node:crypto';
import { afterEach, beforeAll, afterAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import {
  BLOB_BATCH_SIZE,
  blobQuery,
  changedLinesFor,
  declaresNonUtf8Coding,
  gatherPullRequest,
} from '../../src/github/gather.js';
import { classifyPath, isManifestPath, isPythonPath } from '../../src/github/manifests.js';
import type { ChangedFile, GatheredPullRequest } from '../../src/github/contracts.js';
import { GITHUB_API, GITHUB_ORIGIN, testClient, testPr } from '../helpers/github.js';

const PR = testPr();
const HEAD = PR.headSha;
const FILES_PATH = '/api/v3/repos/acme/shop/pulls/7/files';
const MiB = 1024 * 1024;
const OPTS = { maxFileSize: MiB };

const sha1 = (s: string): string => createHash('sha1').update(s).digest('hex');

/** One item of `pulls.listFiles`, shaped like GitHub's answer. */
function listed(path: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  const enc = encodeURI(path);
  return {
    sha: sha1(`blob:${path}`),
    filename: path,
    status: 'modified',
    additions: 1,
    deletions: 1,
    changes: 2,
    blob_url: `https://github.com/acme/shop/blob/${HEAD}/${enc}`,
    raw_url: `https://github.com/acme/shop/raw/${HEAD}/${enc}`,
    contents_url: `https://api.github.com/repos/acme/shop/contents/${enc}?ref=${HEAD}`,
    patch: '@@ -1,3 +1,3 @@\n import os\n-os.system("ls")\n+os.system(cmd)\n print("done")',
    ...over,
  };
}

const pyText = (path: string): string => `import os\nos.system(cmd)  # ${path}\n`;

/** GraphQL's Blob fields for a text file. */
function blob(text: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    oid: sha1(text),
    text,
    isBinary: false,
    isTruncated: false,
    byteSize: Buffer.byteLength(text),
    ...over,
  };
}

interface GraphqlBody {
  query: string;
  variables: Record<string, string>;
}

/** Paths asked for in a GraphQL body, in alias order (f0, f1, ...). */
function askedPaths(body: GraphqlBody): string[] {
  const out: string[] = [];
  for (let i = 0; `e${i}` in body.variables; i++) {
    const expr = body.variables[`e${i}`] as string;
    // Base-commit reads (changed manifests) are reported as `base:<path>`.
    if (expr.startsWith(`${PR.baseSha}:`)) {
      out.push(`base:${expr.slice(PR.baseSha.length + 1)}`);
      continue;
    }
    expect(expr.startsWith(`${HEAD}:`)).toBe(true);
    out.push(expr.slice(HEAD.length + 1));
  }
  return out;
}

type BlobAnswer = Record<string, unknown> | null;

/** A GraphQL reply answering every asked path through `answer` (default: a small Python file). */
function blobReply(answer: (path: string) => BlobAnswer = (p) => blob(pyText(p))) {
  return (_uri: string, body: unknown): Record<string, unknown> => {
    const b = (typeof body === 'string' ? JSON.parse(body) : body) as GraphqlBody;
    const repository: Record<string, BlobAnswer> = {};
    askedPaths(b).forEach((p, i) => {
      repository[`f${i}`] = answer(p);
    });
    return { data: { repository } };
  };
}

/** A nock scope that records every request it receives. */
function github(): { scope: nock.Scope; requests: string[]; graphql: GraphqlBody[] } {
  const scope = nock(GITHUB_ORIGIN);
  const requests: string[] = [];
  const graphql: GraphqlBody[] = [];
  scope.on('request', (req: { method: string; path: string }, _interceptor: unknown, body: string) => {
    requests.push(`${req.method} ${req.path}`);
    if (req.path === '/api/graphql') graphql.push(JSON.parse(body) as GraphqlBody);
  });
  return { scope, requests, graphql };
}

/** Mock `pulls.listFiles` over as many pages of 100 as needed, with GitHub's Link headers. */
function mockListFiles(scope: nock.Scope, items: Record<string, unknown>[]): void {
  const pages = Math.max(1, Math.ceil(items.length / 100));
  for (let page = 1; page <= pages; page++) {
    const query: Record<string, string> = page === 1 ? { per_page: '100' } : { per_page: '100', page: String(page) };
    const url = (p: number): string => `${GITHUB_API}/repos/acme/shop/pulls/7/files?per_page=100&page=${p}`;
    const links: string[] = [];
    if (page < pages) links.push(`<${url(page + 1)}>; rel="next"`, `<${url(pages)}>; rel="last"`);
    if (page > 1) links.push(`<${url(1)}>; rel="first"`, `<${url(page - 1)}>; rel="prev"`);
    scope
      .get(FILES_PATH)
      .query(query)
      .reply(200, items.slice((page - 1) * 100, page * 100), links.length ? { link: links.join(', ') } : {});
  }
}

const text = (g: GatheredPullRequest, path: string): string | undefined => {
  const src = g.sources.find((s) => s.path === path);
  return src ? Buffer.from(src.content as Uint8Array).toString('utf8') : undefined;
};
const reasonOf = (g: GatheredPullRequest, path: string): string | undefined =>
  g.skipped.find((s) => s.path === path)?.reason;
const fileOf = (g: GatheredPullRequest, path: string): ChangedFile | undefined => g.files.find((f) => f.path === path);

beforeAll(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
});
afterAll(() => {
  nock.enableNetConnect();
});

describe('gatherPullRequest: API budget', () => {
  it('gathers a PR of 50 Python files in 2 requests (budget: 8)', async () => {
    const { scope, requests, graphql } = github();
    const paths = Array.from({ length: 50 }, (_, i) => `app/module_${i}.py`);
    mockListFiles(scope, paths.map((p) => listed(p)));
    scope.post('/api/graphql').reply(200, blobReply());

    const g = await gatherPullRequest(testClient(), PR, OPTS);

    expect(requests).toEqual(['GET /api/v3/repos/acme/shop/pulls/7/files?per_page=100', 'POST /api/graphql']);
    expect(requests.length).toBeLessThanOrEqual(8);
    expect(g.apiCalls).toBe(requests.length);
    expect(graphql).toHaveLength(1);
    expect(graphql[0]?.variables.owner).toBe('acme');
    expect(graphql[0]?.variables.name).toBe('shop');
    expect(askedPaths(graphql[0] as GraphqlBody)).toEqual(paths);
    expect(g.sources.map((s) => s.path)).toEqual(paths);
    expect(text(g, 'app/module_3.py')).toBe(pyText('app/module_3.py'));
    expect(g.sources[0]?.content).toBeInstanceOf(Uint8Array);
    expect(g.skipped).toEqual([]);
    expect(g.truncated).toBe(false);
    expect(fileOf(g, 'app/module_0.py')).toMatchObject({ kind: 'python', status: 'modified' });
    expect([...(fileOf(g, 'app/module_0.py')?.changes?.added ?? [])]).toEqual([2]);
    scope.done();
  });

  it('250 files: 3 listFiles pages and 5 GraphQL batches of 50', async () => {
    const { scope, requests, graphql } = github();
    const paths = Array.from({ length: 250 }, (_, i) => `pkg/m${i}.py`);
    mockListFiles(scope, paths.map((p) => listed(p)));
    for (let i = 0; i < 5; i++) scope.post('/api/graphql').reply(200, blobReply());

    const g = await gatherPullRequest(testClient(), PR, OPTS);

    expect(requests.filter((r) => r.startsWith('GET'))).toEqual([
      'GET /api/v3/repos/acme/shop/pulls/7/files?per_page=100',
      'GET /api/v3/repos/acme/shop/pulls/7/files?per_page=100&page=2',
      'GET /api/v3/repos/acme/shop/pulls/7/files?per_page=100&page=3',
    ]);
    expect(graphql.map((b) => askedPaths(b).length)).toEqual([50, 50, 50, 50, 50]);
    expect(graphql.flatMap(askedPaths)).toEqual(paths);
    expect(requests).toHaveLength(8);
    expect(g.apiCalls).toBe(8);
    expect(g.sources).toHaveLength(250);
    scope.done();
  });

  it('3,000 listed files are treated as cut off unless changed_files says otherwise', async () => {
    // Markdown files only: the listing is what this test is about (no contents fetched).
    const items = Array.from({ length: 3000 }, (_, i) => listed(`docs/page${i}.md`));
    const run = async (opts: { changedFiles?: number }): Promise<GatheredPullRequest> => {
      const { scope, requests } = github();
      mockListFiles(scope, items);
      const g = await gatherPullRequest(testClient(), PR, { ...OPTS, ...opts });
      expect(requests).toHaveLength(30);
      expect(g.apiCalls).toBe(30);
      scope.done();
      return g;
    };
    expect((await run({})).truncated).toBe(true);
    expect((await run({ changedFiles: 3000 })).truncated).toBe(false);
    expect((await run({ changedFiles: 3412 })).truncated).toBe(true);
  });

  it('stops paginating at 3,000 files even if GitHub linked a further page', async () => {
    const { scope, requests } = github();
    const items = Array.from({ length: 3100 }, (_, i) => listed(`docs/p${i}.md`));
    mockListFiles(scope, items); // 31 pages mocked: the 31st must not be requested
    const g = await gatherPullRequest(testClient(), PR, OPTS);
    expect(requests).toHaveLength(30);
    expect(g.truncated).toBe(true);
    // Only page 31 is left unused (nock lists it without its query string).
    expect(scope.pendingMocks()).toEqual([`GET ${GITHUB_ORIGIN}${FILES_PATH}`]);
    expect(requests).not.toContain('GET /api/v3/repos/acme/shop/pulls/7/files?per_page=100&page=31');
  });
});

describe('gatherPullRequest: which files', () => {
  it('reads fork PRs from the base repository at the head SHA', async () => {
    const fork = testPr({ headOwner: 'mallory', headRepo: 'shop-fork', headSha: 'c'.repeat(40) });
    const { scope, graphql } = github();
    mockListFiles(scope, [listed('app/views.py')]);
    scope.post('/api/graphql').reply(200, { data: { repository: { f0: blob('x = 1\n') } } });

    const g = await gatherPullRequest(testClient(), fork, OPTS);

    expect(graphql[0]?.variables).toEqual({ owner: 'acme', name: 'shop', e0: `${'c'.repeat(40)}:app/views.py` });
    expect(graphql[0]?.query).toContain('repository(owner: $owner, name: $name)');
    expect(graphql[0]?.query).not.toContain('mallory');
    expect(text(g, 'app/views.py')).toBe('x = 1\n');
    scope.done();
  });

  it('drops removed files, keeps renames with their previous path, ignores non-Python files', async () => {
    const { scope, graphql } = github();
    mockListFiles(scope, [
      listed('app/old.py', { status: 'removed', additions: 0, deletions: 12, changes: 12, patch: '@@ -1,1 +0,0 @@\n-x = 1' }),
      listed('app/new_name.py', { status: 'renamed', previous_filename: 'app/old_name.py' }),
      // A pure rename: GitHub sends no patch because no line changed.
      listed('app/moved.py', { status: 'renamed', previous_filename: 'lib/moved.py', additions: 0, deletions: 0, changes: 0, patch: undefined }),
      listed('README.md'),
      listed('web/app.js'),
      listed('app/icon.png', { patch: undefined }),
      listed('scripts/tool.PYW', { status: 'added' }),
    ]);
    scope.post('/api/graphql').reply(200, blobReply());

    const g = await gatherPullRequest(testClient(), PR, OPTS);

    expect(g.files.map((f) => [f.path, f.status, f.previousPath])).toEqual([
      ['app/new_name.py', 'renamed', 'app/old_name.py'],
      ['app/moved.py', 'renamed', 'lib/moved.py'],
      ['scripts/tool.PYW', 'added', undefined],
    ]);
    expect(askedPaths(graphql[0] as GraphqlBody)).toEqual(['app/new_name.py', 'app/moved.py', 'scripts/tool.PYW']);
    expect(fileOf(g, 'app/moved.py')?.changes?.added.size).toBe(0);
    expect(changedLinesFor(g).get('app/moved.py')).toEqual(new Set());
    scope.done();
  });

  it('fetches manifests at the head commit and, when modified, also at the base commit', async () => {
    const { scope, graphql } = github();
    mockListFiles(scope, [
      listed('requirements.txt', { patch: '@@ -1,1 +1,2 @@\n flask==3.0.0\n+requests==2.19.0' }),
      listed('pyproject.toml'),
      listed('setup.py'),
      listed('Dockerfile'),
      listed('app/main.py'),
    ]);
    scope.post('/api/graphql').reply(200, blobReply());

    const g = await gatherPullRequest(testClient(), PR, OPTS);

    expect(g.files.map((f) => [f.path, f.kind])).toEqual([
      ['requirements.txt', 'manifest'],
      ['pyproject.toml', 'manifest'],
      ['setup.py', 'python'],
      ['Dockerfile', 'manifest'],
      ['app/main.py', 'python'],
    ]);
    expect(askedPaths(graphql[0] as GraphqlBody)).toEqual([
      'requirements.txt',
      'base:requirements.txt',
      'pyproject.toml',
      'base:pyproject.toml',
      'setup.py',
      'Dockerfile',
      'base:Dockerfile',
      'app/main.py',
    ]);
    expect(g.sources.map((s) => s.path)).toEqual(['requirements.txt', 'pyproject.toml', 'setup.py', 'Dockerfile', 'app/main.py']);
    expect(g.baseSources?.map((s) => s.path)).toEqual(['requirements.txt', 'pyproject.toml', 'Dockerfile']);
    expect(changedLinesFor(g).get('requirements.txt')).toEqual(new Set([2]));
    scope.done();
  });

  it('does not list or fetch files the configuration excludes', async () => {
    const { scope, graphql } = github();
    mockListFiles(scope, [listed('vendor/lib.py'), listed('app/a.py')]);
    scope.post('/api/graphql').reply(200, blobReply());
    const g = await gatherPullRequest(testClient(), PR, { ...OPTS, include: (p) => !p.startsWith('vendor/') });
    expect(g.files.map((f) => f.path)).toEqual(['app/a.py']);
    expect(askedPaths(graphql[0] as GraphqlBody)).toEqual(['app/a.py']);
    scope.done();
  });

  it('makes no GraphQL request when no Python file or manifest changed', async () => {
    const { scope, requests } = github();
    mockListFiles(scope, [listed('README.md'), listed('docs/logo.png')]);
    const g = await gatherPullRequest(testClient(), PR, OPTS);
    expect(requests).toHaveLength(1);
    expect(g).toMatchObject({ sources: [], skipped: [], apiCalls: 1, truncated: false });
    expect(g.files).toEqual([]);
    scope.done();
  });

  it('scans files whose patch GitHub omitted, with every line counted as changed', async () => {
    const { scope } = github();
    mockListFiles(scope, [listed('app/huge.py', { patch: undefined, additions: 9000, deletions: 0, changes: 9000, status: 'added' })]);
    scope.post('/api/graphql').reply(200, blobReply());
    const g = await gatherPullRequest(testClient(), PR, OPTS);
    expect(fileOf(g, 'app/huge.py')?.changes).toBeUndefined();
    expect(text(g, 'app/huge.py')).toBe(pyText('app/huge.py'));
    expect(changedLinesFor(g).get('app/huge.py')).toBe('all');
    scope.done();
  });

  it('passes paths with quotes, backslashes, spaces and unicode as variables, never in the query text', async () => {
    const odd = ['app/say "hi".py', 'app/back\\slash.py', 'app/my file.py', 'app/ünïcødé/数据.py', 'app/a:b.py'];
    const { scope, graphql } = github();
    mockListFiles(scope, odd.map((p) => listed(p)));
    scope.post('/api/graphql').reply(200, blobReply());

    const g = await gatherPullRequest(testClient(), PR, OPTS);

    expect(askedPaths(graphql[0] as GraphqlBody)).toEqual(odd);
    expect(graphql[0]?.query).toBe(blobQuery(odd.length));
    for (const p of odd) expect(graphql[0]?.query).not.toContain(p);
    expect(g.sources.map((s) => s.path)).toEqual(odd);
    expect(text(g, 'app/say "hi".py')).toBe(pyText('app/say "hi".py'));
    scope.done();
  });
});

describe('gatherPullRequest: contents that need care', () => {
  it('skips binary blobs with a reason', async () => {
    const { scope } = github();
    mockListFiles(scope, [listed('app/compiled.py', { patch: undefined }), listed('app/ok.py')]);
    scope.post('/api/graphql').reply(200, {
      data: {
        repository: {
          f0: { oid: sha1('bin'), text: null, isBinary: true, isTruncated: false, byteSize: 2048 },
          f1: blob('ok = True\n'),
        },
      },
    });
    const g = await gatherPullRequest(testClient(), PR, OPTS);
    expect(g.skipped).toEqual([{ path: 'app/compiled.py', reason: 'binary file' }]);
    expect(g.sources.map((s) => s.path)).toEqual(['app/ok.py']);
    expect(g.apiCalls).toBe(2);
    scope.done();
  });

  it('falls back to REST (git blob by SHA, raw) for a truncated blob and keeps its exact bytes', async () => {
    const big = `${'# padding\n'.repeat(60000)}eval(data)\n`;
    const blobSha = sha1('big-blob');
    const { scope, requests } = github();
    mockListFiles(scope, [listed('app/big.py', { sha: blobSha })]);
    scope.post('/api/graphql').reply(200, {
      data: { repository: { f0: { oid: blobSha, text: big.slice(0, 1000), isBinary: false, isTruncated: true, byteSize: big.length } } },
    });
    scope
      .get(`/api/v3/repos/acme/shop/git/blobs/${blobSha}`)
      .matchHeader('accept', 'application/vnd.github.v3.raw')
      .reply(200, big, { 'content-type': 'application/vnd.github.raw; charset=utf-8' });

    const g = await gatherPullRequest(testClient(), PR, OPTS);

    expect(requests).toHaveLength(3);
    expect(g.apiCalls).toBe(3);
    expect(text(g, 'app/big.py')).toBe(big);
    expect(g.skipped).toEqual([]);
    scope.done();
  });

  it('uses getContent at the head SHA when no blob SHA is known', async () => {
    const { scope } = github();
    mockListFiles(scope, [listed('app/big.py', { sha: null })]);
    // The whole batch failed, so GraphQL gave no oid either.
    scope.post('/api/graphql').reply(502, '<html>502 Bad Gateway</html>', { 'content-type': 'text/html' });
    scope
      .get('/api/v3/repos/acme/shop/contents/app%2Fbig.py')
      .query({ ref: HEAD })
      .matchHeader('accept', 'application/vnd.github.v3.raw')
      .reply(200, 'x = 1\n', { 'content-type': 'application/vnd.github.raw' });
    const g = await gatherPullRequest(testClient(), PR, OPTS);
    expect(text(g, 'app/big.py')).toBe('x = 1\n');
    scope.done();
  });

  it('fetches a non-UTF-8 file over REST so scan() sees its real bytes', async () => {
    const latin1 = Buffer.concat([Buffer.from('# -*- coding: latin-1 -*-\nname = "'), Buffer.from([0xe9]), Buffer.from('"\n')]);
    const blobSha = sha1('latin1');
    const { scope } = github();
    mockListFiles(scope, [listed('app/legacy.py', { sha: blobSha })]);
    scope.post('/api/graphql').reply(200, {
      data: { repository: { f0: blob('# -*- coding: latin-1 -*-\nname = "é"\n', { oid: blobSha, byteSize: latin1.length }) } },
    });
    scope.get(`/api/v3/repos/acme/shop/git/blobs/${blobSha}`).reply(200, latin1, { 'content-type': 'application/vnd.github.raw' });
    const g = await gatherPullRequest(testClient(), PR, OPTS);
    expect(Buffer.from(g.sources[0]?.content as Uint8Array).equals(latin1)).toBe(true);
    scope.done();
  });

  it('skips files over maxFileSize without downloading them', async () => {
    const { scope, requests } = github();
    mockListFiles(scope, [listed('app/generated.py'), listed('app/huge_truncated.py'), listed('app/small.py')]);
    scope.post('/api/graphql').reply(200, {
      data: {
        repository: {
          f0: blob('x = 1\n'.repeat(200), { byteSize: 1200 }),
          f1: { oid: sha1('h'), text: null, isBinary: false, isTruncated: true, byteSize: 50 * MiB },
          f2: blob('y = 2\n'),
        },
      },
    });
    const g = await gatherPullRequest(testClient(), PR, { maxFileSize: 1024 });
    expect(requests).toHaveLength(2); // no REST download for the 50 MiB file
    expect(g.skipped).toEqual([
      { path: 'app/generated.py', reason: 'larger than the 1 KiB limit (1.2 KiB)' },
      { path: 'app/huge_truncated.py', reason: 'larger than the 1 KiB limit (50 MiB)' },
    ]);
    expect(g.sources.map((s) => s.path)).toEqual(['app/small.py']);
    scope.done();
  });

  it('a file GraphQL cannot resolve is skipped with a reason, without further requests', async () => {
    const { scope, requests } = github();
    mockListFiles(scope, [listed('app/gone.py'), listed('app/here.py')]);
    scope.post('/api/graphql').reply(200, { data: { repository: { f0: null, f1: blob('ok = 1\n') } } });
    const g = await gatherPullRequest(testClient(), PR, OPTS);
    expect(requests).toHaveLength(2);
    expect(g.skipped).toEqual([{ path: 'app/gone.py', reason: 'not found at the head commit aaaaaaa' }]);
    expect(g.sources.map((s) => s.path)).toEqual(['app/here.py']);
    scope.done();
  });

  it('a REST fallback that fails (404, 500) becomes a skipped file, not an exception', async () => {
    const [shaA, shaB] = [sha1('a'), sha1('b')];
    const { scope } = github();
    mockListFiles(scope, [listed('app/a.py', { sha: shaA }), listed('app/b.py', { sha: shaB })]);
    const truncatedBlob = (oid: string): Record<string, unknown> => ({ oid, text: null, isBinary: false, isTruncated: true, byteSize: 4000 });
    scope.post('/api/graphql').reply(200, { data: { repository: { f0: truncatedBlob(shaA), f1: truncatedBlob(shaB) } } });
    scope.get(`/api/v3/repos/acme/shop/git/blobs/${shaA}`).reply(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/git/blobs#get-a-blob', status: '404' });
    scope.get(`/api/v3/repos/acme/shop/git/blobs/${shaB}`).reply(500, { message: 'Server Error' });

    const g = await gatherPullRequest(testClient(), PR, OPTS);

    expect(g.skipped).toEqual([
      { path: 'app/a.py', reason: 'could not be fetched: not found at the head commit aaaaaaa (HTTP 404)', error: true },
      { path: 'app/b.py', reason: 'could not be fetched from GitHub (HTTP 500)', error: true },
    ]);
    expect(g.sources).toEqual([]);
    expect(g.apiCalls).toBe(4);
    scope.done();
  });

  it('skips a directory or submodule that matched a Python name', async () => {
    const { scope } = github();
    mockListFiles(scope, [listed('vendored.py', { patch: undefined })]);
    scope.post('/api/graphql').reply(200, { data: { repository: { f0: {} } } });
    const g = await gatherPullRequest(testClient(), PR, OPTS);
    expect(reasonOf(g, 'vendored.py')).toBe('not a regular file at the head commit (a directory or submodule)');
    scope.done();
  });
});

describe('gatherPullRequest: GraphQL failures', () => {
  const somethingWentWrong = {
    message: 'Something went wrong while executing your query. Please include `C0DE:1234:5678` when reporting this issue.',
  };

  it('uses partial data from a failed query and fetches only the missing files over REST', async () => {
    const missingSha = sha1('missing');
    const { scope, requests } = github();
    mockListFiles(scope, [listed('app/a.py'), listed('app/b.py', { sha: missingSha }), listed('app/c.py')]);
    scope.post('/api/graphql').reply(200, {
      data: { repository: { f0: blob('a = 1\n'), f1: null, f2: blob('c = 3\n') } },
      errors: [{ ...somethingWentWrong, path: ['repository', 'f1'] }],
    });
    scope.get(`/api/v3/repos/acme/shop/git/blobs/${missingSha}`).reply(200, 'b = 2\n', { 'content-type': 'application/vnd.github.raw' });

    const g = await gatherPullRequest(testClient(), PR, OPTS);

    expect(requests).toEqual([
      'GET /api/v3/repos/acme/shop/pulls/7/files?per_page=100',
      'POST /api/graphql',
      `GET /api/v3/repos/acme/shop/git/blobs/${missingSha}`,
    ]);
    expect([text(g, 'app/a.py'), text(g, 'app/b.py'), text(g, 'app/c.py')]).toEqual(['a = 1\n', 'b = 2\n', 'c = 3\n']);
    expect(g.skipped).toEqual([]);
    scope.done();
  });

  it('reads partial data where the retry plugin leaves it (error.response.data.data) after resending', async () => {
    const RetryOctokit = Octokit.plugin(retry);
    const client = new RetryOctokit({
      baseUrl: GITHUB_API,
      auth: 'test-token',
      retry: { retries: 1, retryAfterBaseValue: 1 },
      log: { debug() {}, info() {}, warn() {}, error() {} },
    });
    const missingSha = sha1('f1');
    const { scope, requests } = github();
    mockListFiles(scope, [listed('app/a.py'), listed('app/b.py', { sha: missingSha })]);
    const partial = { data: { repository: { f0: blob('a = 1\n'), f1: null } }, errors: [somethingWentWrong] };
    scope.post('/api/graphql').times(2).reply(200, partial); // sent, then resent once by the plugin
    scope.get(`/api/v3/repos/acme/shop/git/blobs/${missingSha}`).reply(200, 'b = 2\n', { 'content-type': 'application/vnd.github.raw' });

    const g = await gatherPullRequest(client, PR, OPTS);

    expect(requests.filter((r) => r === 'POST /api/graphql')).toHaveLength(2);
    expect([text(g, 'app/a.py'), text(g, 'app/b.py')]).toEqual(['a = 1\n', 'b = 2\n']);
    // The plugin's resend is invisible to the app: apiCalls counts the requests gather made.
    expect(g.apiCalls).toBe(3);
    scope.done();
  });

  it('a batch that fails outright (502) falls back to REST for at most maxRestFallbacks files', async () => {
    const paths = ['app/a.py', 'app/b.py', 'app/c.py', 'app/d.py'];
    const { scope, requests } = github();
    mockListFiles(scope, paths.map((p) => listed(p)));
    scope.post('/api/graphql').reply(502, { message: 'Server Error' });
    for (const p of paths.slice(0, 2)) {
      scope.get(`/api/v3/repos/acme/shop/git/blobs/${sha1(`blob:${p}`)}`).reply(200, pyText(p), { 'content-type': 'application/vnd.github.raw' });
    }

    const g = await gatherPullRequest(testClient(), PR, { ...OPTS, maxRestFallbacks: 2 });

    expect(requests).toHaveLength(4);
    expect(g.apiCalls).toBe(4);
    expect(g.sources.map((s) => s.path)).toEqual(['app/a.py', 'app/b.py']);
    const reason = 'not fetched: GitHub\u2019s GraphQL API did not return it, and the limit of 2 single-file downloads was reached';
    expect(g.skipped).toEqual([
      { path: 'app/c.py', reason, error: true },
      { path: 'app/d.py', reason, error: true },
    ]);
    scope.done();
  });

  it('throws only when the file list itself cannot be read', async () => {
    const { scope } = github();
    scope.get(FILES_PATH).query({ per_page: '100' }).reply(404, { message: 'Not Found' });
    await expect(gatherPullRequest(testClient(), PR, OPTS)).rejects.toMatchObject({ status: 404 });
    scope.done();
  });
});

describe('blobQuery', () => {
  it('declares one variable per expression and aliases each object', () => {
    const q = blobQuery(2);
    expect(q).toContain('query pysecBlobs($owner: String!, $name: String!, $e0: String!, $e1: String!)');
    expect(q).toContain('f0: object(expression: $e0) { ... on Blob { oid text isBinary isTruncated byteSize } }');
    expect(q).toContain('f1: object(expression: $e1)');
    expect(q).not.toContain('f2:');
  });

  it('fits a full batch', () => {
    expect(blobQuery(BLOB_BATCH_SIZE).match(/object\(expression/g)).toHaveLength(50);
  });
});

describe('changedLinesFor', () => {
  it('maps patched files to their added lines and unpatched ones to all', () => {
    const added = new Set([3, 4]);
    const g = {
      files: [
        { path: 'a.py', status: 'modified', kind: 'python', changes: { added, commentable: new Set([2, 3, 4]), hunks: [{ start: 2, end: 4 }] } },
        { path: 'b.py', status: 'added', kind: 'python' },
        { path: 'requirements.txt', status: 'modified', kind: 'manifest', changes: { added: new Set([1]), commentable: new Set([1]), hunks: [] } },
      ] satisfies ChangedFile[],
    };
    const m = changedLinesFor(g);
    expect(m.get('a.py')).toBe(added);
    expect(m.get('b.py')).toBe('all');
    expect(m.get('requirements.txt')).toEqual(new Set([1]));
    expect(m.has('c.py')).toBe(false);
  });
});

describe('path classifiers', () => {
  const cases: [string, 'python' | 'manifest' | undefined][] = [
    ['app.py', 'python'],
    ['src/pkg/__init__.py', 'python'],
    ['gui/launch.pyw', 'python'],
    ['SCRIPT.PY', 'python'],
    ['setup.py', 'python'],
    ['stubs/mod.pyi', undefined],
    ['notes.py.txt', undefined],
    ['app.pyc', undefined],
    ['requirements.txt', 'manifest'],
    ['requirements-dev.txt', 'manifest'],
    ['requirements_test.txt', 'manifest'],
    ['requirements.in', 'manifest'],
    ['Requirements.txt', 'manifest'],
    ['requirements/base.txt', 'manifest'],
    ['requirements/prod.in', 'manifest'],
    ['deploy/requirements/dev.in', 'manifest'],
    ['reqs/dev.in', undefined],
    ['requirements/README.md', undefined],
    ['constraints.txt', 'manifest'],
    ['constraints-py312.txt', 'manifest'],
    ['pyproject.toml', 'manifest'],
    ['services/api/pyproject.toml', 'manifest'],
    ['poetry.lock', 'manifest'],
    ['uv.lock', 'manifest'],
    ['pdm.lock', 'manifest'],
    ['Pipfile', 'manifest'],
    ['Pipfile.lock', 'manifest'],
    ['pylock.toml', 'manifest'],
    ['pylock.dev.toml', 'manifest'],
    ['setup.cfg', 'manifest'],
    ['environment.yml', 'manifest'],
    ['environment.yaml', 'manifest'],
    ['.python-version', 'manifest'],
    ['runtime.txt', 'manifest'],
    ['Dockerfile', 'manifest'],
    ['docker/Dockerfile.prod', 'manifest'],
    ['worker.Dockerfile', 'manifest'],
    ['package.json', undefined],
    ['README.md', undefined],
    ['notes.txt', undefined],
    ['config.toml', undefined],
    ['docker-compose.yml', undefined],
  ];
  it.each(cases)('%s → %s', (path, kind) => {
    expect(classifyPath(path)).toBe(kind);
    expect(isPythonPath(path)).toBe(kind === 'python');
    if (kind === 'manifest') expect(isManifestPath(path)).toBe(true);
  });
});

describe('declaresNonUtf8Coding', () => {
  it.each([
    ['# -*- coding: latin-1 -*-\nx = 1\n', true],
    ['#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\n', true],
    ['# coding: utf-8\n', false],
    ['# -*- coding: UTF-8 -*-\n', false],
    ['x = 1\n# coding: latin-1\n', false],
    ['import os\n', false],
    ['', false],
  ])('%j → %s', (src, expected) => {
    expect(declaresNonUtf8Coding(src)).toBe(expected);
  });
});
