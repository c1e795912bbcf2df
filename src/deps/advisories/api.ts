/**
 * The OSV API as an advisory source (https://google.github.io/osv.dev/api/):
 *
 * 1. `POST /v1/querybatch` with up to 1,000 queries per request
 *    (`{package: {name, ecosystem: 'PyPI'}, version}`), following each query's `next_page_token`;
 * 2. `GET /v1/vulns/{id}` for each vulnerability found, cached by (id, modified) in a bounded LRU.
 *
 * Every request has a timeout (AbortSignal.timeout) and is retried on 429, 5xx, network errors and
 * timeouts with exponential backoff and jitter (a `Retry-After` header is honoured). When OSV
 * cannot be used the returned promise rejects with `AdvisoryUnavailable` and a reason for the report.
 * The base URL and `fetch` are injectable; nothing here reads the environment.
 */
import { z } from 'zod';
import { normalizeName } from '../types.js';
import { Lru } from './lru.js';
import type { OsvRecord } from './osv.js';
import { parseOsvRecord } from './osv.js';
import type { AdvisoryProblem, AdvisorySource, AdvisoryUnavailableKind, PackageQuery } from './source.js';
import { AdvisoryUnavailable } from './source.js';

export interface OsvApiOptions {
  /** Default https://api.osv.dev */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Per request (headers and body), default 10,000 ms. */
  timeoutMs?: number;
  /** Attempts after the first one, default 3. */
  retries?: number;
  /** Base of the exponential backoff, default 500 ms (doubling, with jitter). */
  backoffMs?: number;
  /** Cap of one backoff wait, default 10,000 ms. */
  maxBackoffMs?: number;
  /** A longer `Retry-After` than this gives up at once (default 60,000 ms). */
  maxRetryAfterMs?: number;
  /** Queries per querybatch request (OSV allows 1,000), default 1,000. */
  batchSize?: number;
  /** Safety bound on page-token rounds, default 50. */
  maxPages?: number;
  /** Records kept in the (id, modified) LRU, default 5,000. */
  cacheSize?: number;
  /** Parallel GET /v1/vulns requests, default 8. */
  concurrency?: number;
  /** For tests: how to wait between attempts. */
  sleep?: (ms: number) => Promise<void>;
  /** For tests: the jitter's random source in [0, 1). */
  random?: () => number;
  userAgent?: string;
}

const batchResponseSchema = z.object({
  results: z.array(
    z.object({
      vulns: z.array(z.object({ id: z.string(), modified: z.string().optional() })).nullish(),
      next_page_token: z.string().nullish(),
    }),
  ),
});

interface Fetched {
  status: number;
  text: string;
}

interface Query {
  name: string;
  version?: string;
  pageToken?: string;
  /** Index into the unique query list. */
  index: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `Retry-After`: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const t = Date.parse(v);
  if (Number.isNaN(t)) return undefined;
  return Math.max(0, t - now);
}

export class OsvApiClient implements AdvisorySource {
  readonly baseUrl: string;
  readonly #fetch: typeof fetch;
  readonly #opts: Required<Omit<OsvApiOptions, 'baseUrl' | 'fetch' | 'userAgent'>> & { userAgent: string | undefined };
  readonly #cache: Lru<string, OsvRecord>;
  #problems: AdvisoryProblem[] = [];
  /** Requests sent (attempts included), for tests and budgets. */
  requests = 0;

  constructor(options: OsvApiOptions = {}) {
    this.baseUrl = (options.baseUrl ?? 'https://api.osv.dev').replace(/\/+$/, '');
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#opts = {
      timeoutMs: options.timeoutMs ?? 10_000,
      retries: options.retries ?? 3,
      backoffMs: options.backoffMs ?? 500,
      maxBackoffMs: options.maxBackoffMs ?? 10_000,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
      batchSize: Math.min(Math.max(1, options.batchSize ?? 1000), 1000),
      maxPages: options.maxPages ?? 50,
      cacheSize: options.cacheSize ?? 5000,
      concurrency: Math.max(1, options.concurrency ?? 8),
      sleep: options.sleep ?? defaultSleep,
      random: options.random ?? Math.random,
      userAgent: options.userAgent,
    };
    this.#cache = new Lru(this.#opts.cacheSize);
  }

  get description(): string {
    return `OSV API at ${this.baseUrl}`;
  }

  problems(): AdvisoryProblem[] {
    return [...this.#problems];
  }

  get cacheSize(): number {
    return this.#cache.size;
  }

  async advisoriesFor(packages: readonly PackageQuery[]): Promise<Map<string, OsvRecord[]>> {
    this.#problems = [];
    const out = new Map<string, OsvRecord[]>();
    const unique: { name: string; version?: string }[] = [];
    const seen = new Set<string>();
    for (const p of packages) {
      const name = normalizeName(p.name);
      if (!out.has(name)) out.set(name, []);
      const version = p.version?.trim() || undefined;
      const key = `${name}\u0000${version ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      unique.push(version === undefined ? { name } : { name, version });
    }
    if (unique.length === 0) return out;

    const hits = await this.queryBatch(unique);
    // One GET per distinct (id, modified); cached ones are free.
    const wanted = new Map<string, { id: string; modified: string }>();
    for (const list of hits) for (const v of list) wanted.set(`${v.id}\u0000${v.modified}`, v);
    const records = await this.#details([...wanted.values()]);
    hits.forEach((list, i) => {
      const name = (unique[i] as { name: string }).name;
      const target = out.get(name) as OsvRecord[];
      for (const v of list) {
        const r = records.get(`${v.id}\u0000${v.modified}`);
        if (r && !target.some((t) => t.id === r.id)) target.push(r);
      }
    });
    return out;
  }

  /**
   * `POST /v1/querybatch` for the queries (split into batches), following page tokens. Returns,
   * per query, the vulnerabilities' ids and modified times.
   */
  async queryBatch(queries: readonly { name: string; version?: string }[]): Promise<{ id: string; modified: string }[][]> {
    const results: { id: string; modified: string }[][] = queries.map(() => []);
    let pending: Query[] = queries.map((q, index) => ({ ...q, index }));
    for (let round = 0; pending.length > 0; round++) {
      if (round > this.#opts.maxPages) {
        throw new AdvisoryUnavailable('malformed-response', `${this.description} kept returning page tokens (more than ${this.#opts.maxPages} pages)`);
      }
      const next: Query[] = [];
      for (let i = 0; i < pending.length; i += this.#opts.batchSize) {
        const chunk = pending.slice(i, i + this.#opts.batchSize);
        const body = {
          queries: chunk.map((q) => ({
            package: { name: q.name, ecosystem: 'PyPI' },
            ...(q.version !== undefined ? { version: q.version } : {}),
            ...(q.pageToken !== undefined ? { page_token: q.pageToken } : {}),
          })),
        };
        const res = await this.#request('POST', '/v1/querybatch', JSON.stringify(body));
        if (res.status !== 200) {
          throw new AdvisoryUnavailable('http', `${this.description} answered HTTP ${res.status} to querybatch${snippet(res.text)}`);
        }
        const parsed = batchResponseSchema.safeParse(safeJson(res.text));
        if (!parsed.success || parsed.data.results.length !== chunk.length) {
          throw new AdvisoryUnavailable(
            'malformed-response',
            `${this.description} sent a malformed querybatch response${parsed.success ? ` (${parsed.data.results.length} results for ${chunk.length} queries)` : ''}`,
          );
        }
        parsed.data.results.forEach((r, j) => {
          const q = chunk[j] as Query;
          const target = results[q.index] as { id: string; modified: string }[];
          for (const v of r.vulns ?? []) target.push({ id: v.id, modified: v.modified ?? '' });
          if (r.next_page_token) next.push({ ...q, pageToken: r.next_page_token });
        });
      }
      pending = next;
    }
    return results;
  }

  /** `GET /v1/vulns/{id}` for each, through the LRU. Keyed `id\0modified`. */
  async #details(wanted: { id: string; modified: string }[]): Promise<Map<string, OsvRecord>> {
    const out = new Map<string, OsvRecord>();
    const todo: { id: string; modified: string }[] = [];
    for (const w of wanted) {
      const key = `${w.id}\u0000${w.modified}`;
      const hit = this.#cache.get(key);
      if (hit) out.set(key, hit);
      else todo.push(w);
    }
    let next = 0;
    const worker = async () => {
      while (next < todo.length) {
        const w = todo[next++] as { id: string; modified: string };
        const record = await this.vuln(w.id);
        if (!record) continue;
        const key = `${w.id}\u0000${w.modified}`;
        out.set(key, record);
        this.#cache.set(key, record);
        // A record fetched now may be newer than the listing said: cache it under its own stamp too.
        if (record.modified && record.modified !== w.modified) this.#cache.set(`${w.id}\u0000${record.modified}`, record);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#opts.concurrency, todo.length) }, worker));
    return out;
  }

  /** One record by id (not cached). A missing or malformed record is a problem and undefined. */
  async vuln(id: string): Promise<OsvRecord | undefined> {
    const res = await this.#request('GET', `/v1/vulns/${encodeURIComponent(id)}`);
    if (res.status === 404) {
      this.#problems.push({ where: id, message: `${this.description} has no record ${id} (HTTP 404)` });
      return undefined;
    }
    if (res.status !== 200) {
      throw new AdvisoryUnavailable('http', `${this.description} answered HTTP ${res.status} for ${id}${snippet(res.text)}`);
    }
    const json = safeJson(res.text);
    const parsed = json === undefined ? { ok: false as const, problem: 'invalid JSON' } : parseOsvRecord(json);
    if (!parsed.ok) {
      this.#problems.push({ where: id, message: `${this.description} sent a malformed record: ${parsed.problem}` });
      return undefined;
    }
    return parsed.record;
  }

  #backoff(attempt: number): number {
    const exp = Math.min(this.#opts.maxBackoffMs, this.#opts.backoffMs * 2 ** attempt);
    // "Equal jitter": half fixed, half random, so waits grow yet clients spread out.
    return Math.round(exp / 2 + this.#opts.random() * (exp / 2));
  }

  async #request(method: 'GET' | 'POST', path: string, body?: string): Promise<Fetched> {
    const url = `${this.baseUrl}${path}`;
    const attempts = this.#opts.retries + 1;
    let last: { kind: AdvisoryUnavailableKind; detail: string; cause?: unknown } = { kind: 'network', detail: 'no attempt made' };
    for (let attempt = 0; attempt < attempts; attempt++) {
      const isLast = attempt === attempts - 1;
      let wait: number | undefined;
      try {
        this.requests++;
        const headers: Record<string, string> = { accept: 'application/json' };
        if (body !== undefined) headers['content-type'] = 'application/json';
        if (this.#opts.userAgent) headers['user-agent'] = this.#opts.userAgent;
        const res = await this.#fetch(url, {
          method,
          headers,
          ...(body !== undefined ? { body } : {}),
          signal: AbortSignal.timeout(this.#opts.timeoutMs),
        });
        if (res.status === 429 || res.status >= 500) {
          const retryAfter = parseRetryAfter(res.headers.get('retry-after'));
          await res.body?.cancel().catch(() => undefined);
          last = {
            kind: res.status === 429 ? 'rate-limited' : 'http',
            detail: res.status === 429 ? 'rate limited (HTTP 429)' : `HTTP ${res.status}`,
          };
          if (retryAfter !== undefined && retryAfter > this.#opts.maxRetryAfterMs) {
            throw new AdvisoryUnavailable(
              last.kind,
              `${this.description} ${last.detail} asked to retry after ${Math.ceil(retryAfter / 1000)} s`,
            );
          }
          wait = retryAfter;
        } else {
          return { status: res.status, text: await res.text() };
        }
      } catch (err) {
        if (err instanceof AdvisoryUnavailable) throw err;
        const e = err as Error;
        if (e.name === 'TimeoutError' || e.name === 'AbortError') {
          last = { kind: 'timeout', detail: `timed out after ${this.#opts.timeoutMs} ms`, cause: err };
        } else {
          const cause = (e as { cause?: { code?: string; message?: string } }).cause;
          last = { kind: 'network', detail: `network error (${cause?.code ?? cause?.message ?? e.message})`, cause: err };
        }
      }
      if (!isLast) await this.#opts.sleep(wait ?? this.#backoff(attempt));
    }
    throw new AdvisoryUnavailable(
      last.kind,
      `${this.description} could not be reached: ${last.detail} (${method} ${path}, ${attempts} attempt${attempts === 1 ? '' : 's'})`,
      { cause: last.cause },
    );
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function snippet(text: string): string {
  const t = text.trim().replace(/\s+/g, ' ');
  return t ? `: ${t.length > 120 ? `${t.slice(0, 117)}...` : t}` : '';
}
