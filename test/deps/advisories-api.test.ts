import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { OsvApiClient, parseRetryAfter } from '../../src/deps/advisories/api.js';
import type { OsvApiOptions } from '../../src/deps/advisories/api.js';
import { AdvisoryUnavailable } from '../../src/deps/advisories/source.js';
import { Lru } from '../../src/deps/advisories/lru.js';
import { matchPackage } from '../../src/deps/advisories/match.js';

// A loopback address that nothing listens on: nock answers every request.
const BASE = 'http://127.0.0.1:9';
const OSV_DIR = fileURLToPath(new URL('../../../shared/data/osv/', import.meta.url));
const real = (id: string) => JSON.parse(readFileSync(`${OSV_DIR}${id}.json`, 'utf8')) as { id: string; modified: string };

interface BatchBody {
  queries: { package: { name: string; ecosystem: string }; version?: string; page_token?: string }[];
}

function client(extra: OsvApiOptions = {}): { api: OsvApiClient; waits: number[] } {
  const waits: number[] = [];
  const api = new OsvApiClient({
    baseUrl: `${BASE}/`,
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 0.5,
    retries: 3,
    backoffMs: 100,
    ...extra,
  });
  return { api, waits };
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('OsvApiClient', () => {
  it('django 3.2.10: querybatch, then the details, matched to 3.2.24', async () => {
    const ids = ['PYSEC-2023-61', 'PYSEC-2023-222', 'PYSEC-2024-28'];
    const bodies: BatchBody[] = [];
    const scope = nock(BASE)
      .post('/v1/querybatch', (b: BatchBody) => {
        bodies.push(b);
        return true;
      })
      .reply(200, { results: [{ vulns: ids.map((id) => ({ id, modified: real(id).modified })) }, {}] });
    for (const id of ids) scope.get(`/v1/vulns/${id}`).reply(200, real(id));
    const { api } = client();
    const found = await api.advisoriesFor([
      { name: 'Django', version: '3.2.10' },
      { name: 'six', version: '1.16.0' },
      { name: 'django', version: '3.2.10' }, // asked twice: queried once
    ]);
    expect(bodies).toEqual([
      {
        queries: [
          { package: { name: 'django', ecosystem: 'PyPI' }, version: '3.2.10' },
          { package: { name: 'six', ecosystem: 'PyPI' }, version: '1.16.0' },
        ],
      },
    ]);
    expect(found.get('six')).toEqual([]);
    const m = matchPackage('django', '3.2.10', found.get('django') ?? []);
    expect(m.fix.version).toBe('3.2.24');
    expect(m.groups).toHaveLength(3);
    expect(scope.isDone()).toBe(true);
    expect(api.problems()).toEqual([]);
  });

  it('2,500 queries → 3 querybatch requests of 1,000, 1,000 and 500', async () => {
    const sizes: number[] = [];
    nock(BASE)
      .post('/v1/querybatch')
      .times(3)
      .reply(200, (_uri, body) => {
        const n = (body as BatchBody).queries.length;
        sizes.push(n);
        return { results: Array.from({ length: n }, () => ({})) };
      });
    const { api } = client();
    const packages = Array.from({ length: 2500 }, (_, i) => ({ name: `pkg-${i}`, version: '1.0' }));
    const found = await api.advisoriesFor(packages);
    expect(sizes).toEqual([1000, 1000, 500]);
    expect(found.size).toBe(2500);
    expect(api.requests).toBe(3);
  });

  it('follows next_page_token for the queries that have one, and caches by (id, modified)', async () => {
    const bodies: BatchBody[] = [];
    const rec = real('PYSEC-2023-192');
    const ghsa = real('GHSA-v845-jxx5-vc9f');
    const scope = nock(BASE)
      .post('/v1/querybatch', (b: BatchBody) => {
        bodies.push(b);
        return b.queries.length === 2;
      })
      .reply(200, { results: [{ vulns: [{ id: rec.id, modified: rec.modified }], next_page_token: 'tok-1' }, { vulns: [] }] })
      .post('/v1/querybatch', (b: BatchBody) => {
        bodies.push(b);
        return b.queries.length === 1 && b.queries[0]?.page_token === 'tok-1';
      })
      .reply(200, { results: [{ vulns: [{ id: ghsa.id, modified: ghsa.modified }] }] })
      .get(`/v1/vulns/${rec.id}`)
      .reply(200, rec)
      .get(`/v1/vulns/${ghsa.id}`)
      .reply(200, ghsa);
    const { api } = client();
    const found = await api.advisoriesFor([
      { name: 'urllib3', version: '1.26.16' },
      { name: 'idna', version: '3.4' },
    ]);
    expect(bodies[1]).toEqual({ queries: [{ package: { name: 'urllib3', ecosystem: 'PyPI' }, version: '1.26.16', page_token: 'tok-1' }] });
    expect(found.get('urllib3')?.map((r) => r.id)).toEqual(['PYSEC-2023-192', 'GHSA-v845-jxx5-vc9f']);
    expect(scope.isDone()).toBe(true);
    expect(api.cacheSize).toBe(2);

    // Second run: same (id, modified) → no GET; a changed modified → fetched again.
    const again = nock(BASE)
      .post('/v1/querybatch')
      .reply(200, { results: [{ vulns: [{ id: rec.id, modified: rec.modified }, { id: ghsa.id, modified: '2099-01-01T00:00:00Z' }] }] })
      .get(`/v1/vulns/${ghsa.id}`)
      .reply(200, { ...ghsa, modified: '2099-01-01T00:00:00Z' });
    const second = await api.advisoriesFor([{ name: 'urllib3', version: '1.26.16' }]);
    expect(second.get('urllib3')?.map((r) => [r.id, r.modified])).toEqual([
      [rec.id, rec.modified],
      [ghsa.id, '2099-01-01T00:00:00Z'],
    ]);
    expect(again.isDone()).toBe(true);
  });

  it('retries 503 and 429 (honouring Retry-After), a network error, then succeeds', async () => {
    const scope = nock(BASE)
      .post('/v1/querybatch')
      .reply(503, 'busy')
      .post('/v1/querybatch')
      .reply(429, 'slow down', { 'Retry-After': '2' })
      .post('/v1/querybatch')
      .replyWithError({ code: 'ECONNRESET', message: 'socket hang up' })
      .post('/v1/querybatch')
      .reply(200, { results: [{}] });
    const { api, waits } = client();
    const found = await api.advisoriesFor([{ name: 'flask', version: '3.0.0' }]);
    expect(found.get('flask')).toEqual([]);
    // backoff 100·2^n with equal jitter at random()=0.5 → 75 %; the 429 waits its Retry-After
    expect(waits).toEqual([75, 2000, 300]);
    expect(scope.isDone()).toBe(true);
  });

  it('retries exhausted → AdvisoryUnavailable with the reason', async () => {
    nock(BASE).post('/v1/querybatch').times(4).reply(502, 'bad gateway');
    const { api, waits } = client();
    const err = await api.advisoriesFor([{ name: 'flask', version: '3.0.0' }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdvisoryUnavailable);
    expect(err).toMatchObject({
      kind: 'http',
      reason: `OSV API at ${BASE} could not be reached: HTTP 502 (POST /v1/querybatch, 4 attempts)`,
    });
    expect(waits).toEqual([75, 150, 300]);
  });

  it('a Retry-After beyond the limit gives up at once', async () => {
    nock(BASE).post('/v1/querybatch').reply(429, '', { 'Retry-After': '3600' });
    const { api, waits } = client();
    await expect(api.advisoriesFor([{ name: 'flask', version: '3.0.0' }])).rejects.toMatchObject({
      kind: 'rate-limited',
      reason: expect.stringContaining('retry after 3600 s'),
    });
    expect(waits).toEqual([]);
  });

  it('a network failure on every attempt', async () => {
    nock(BASE).post('/v1/querybatch').times(2).replyWithError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' });
    const { api } = client({ retries: 1 });
    await expect(api.advisoriesFor([{ name: 'a', version: '1' }])).rejects.toMatchObject({ kind: 'network', reason: expect.stringContaining('network error') });
  });

  it('times out (AbortSignal.timeout), retries, then reports the timeout', async () => {
    nock(BASE).post('/v1/querybatch').times(2).delay(400).reply(200, { results: [{}] });
    const { api } = client({ retries: 1, timeoutMs: 50 });
    const started = Date.now();
    const err = await api.advisoriesFor([{ name: 'a', version: '1' }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdvisoryUnavailable);
    expect(err).toMatchObject({ kind: 'timeout', reason: expect.stringContaining('timed out after 50 ms') });
    expect(Date.now() - started).toBeLessThan(380);
  });

  it.each([
    ['not JSON', '<html>oops</html>'],
    ['no results', { vulns: [] }],
    ['wrong count', { results: [{}, {}] }],
    ['wrong types', { results: [{ vulns: [{ id: 42 }] }] }],
  ])('a malformed querybatch response (%s) is AdvisoryUnavailable', async (_label, body) => {
    nock(BASE).post('/v1/querybatch').reply(200, body as never);
    const { api } = client();
    await expect(api.advisoriesFor([{ name: 'a', version: '1' }])).rejects.toMatchObject({ kind: 'malformed-response' });
  });

  it('a 400 is not retried', async () => {
    nock(BASE).post('/v1/querybatch').reply(400, { code: 3, message: 'Invalid query.' });
    const { api, waits } = client();
    await expect(api.advisoriesFor([{ name: 'a', version: '1' }])).rejects.toMatchObject({
      kind: 'http',
      reason: expect.stringContaining('HTTP 400 to querybatch: {"code":3,"message":"Invalid query."}'),
    });
    expect(waits).toEqual([]);
  });

  it('a malformed or missing record is a problem; the others are used', async () => {
    const good = real('PYSEC-2023-62');
    nock(BASE)
      .post('/v1/querybatch')
      .reply(200, {
        results: [
          {
            vulns: [
              { id: good.id, modified: good.modified },
              { id: 'BAD-1', modified: 'x' },
              { id: 'GONE-1', modified: 'x' },
              { id: 'HTML-1', modified: 'x' },
            ],
          },
        ],
      })
      .get(`/v1/vulns/${good.id}`)
      .reply(200, good)
      .get('/v1/vulns/BAD-1')
      .reply(200, { id: 'BAD-1', affected: 7 })
      .get('/v1/vulns/GONE-1')
      .reply(404, { code: 5, message: 'Bug not found.' })
      .get('/v1/vulns/HTML-1')
      .reply(200, '<html>');
    const { api } = client({ concurrency: 1 });
    const found = await api.advisoriesFor([{ name: 'flask', version: '2.2.0' }]);
    expect(found.get('flask')?.map((r) => r.id)).toEqual(['PYSEC-2023-62']);
    expect(api.problems()).toEqual([
      { where: 'BAD-1', message: expect.stringContaining('malformed record: BAD-1: not an OSV record') },
      { where: 'GONE-1', message: expect.stringContaining('has no record GONE-1 (HTTP 404)') },
      { where: 'HTML-1', message: expect.stringContaining('malformed record: invalid JSON') },
    ]);
  });

  it('no packages → no request', async () => {
    const { api } = client();
    expect((await api.advisoriesFor([])).size).toBe(0);
    expect(api.requests).toBe(0);
  });

  it('a package without a version is queried without one', async () => {
    let body: BatchBody | undefined;
    nock(BASE)
      .post('/v1/querybatch', (b: BatchBody) => {
        body = b;
        return true;
      })
      .reply(200, { results: [{}] });
    await client().api.advisoriesFor([{ name: 'Flask' }]);
    expect(body).toEqual({ queries: [{ package: { name: 'flask', ecosystem: 'PyPI' } }] });
  });
});

describe('helpers', () => {
  it('parseRetryAfter', () => {
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('Lru evicts the least recently used', () => {
    const lru = new Lru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1);
    lru.set('c', 3);
    expect([lru.has('a'), lru.has('b'), lru.has('c')]).toEqual([true, false, true]);
    expect(lru.size).toBe(2);
    expect(() => new Lru(0)).toThrow(RangeError);
  });
});
