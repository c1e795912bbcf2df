/**
 * A GitHub stand-in for the multi-process end-to-end tests (node:http on 127.0.0.1, in the test
 * process): one repository (acme/shop) with one pull request (#7) whose head commit can move
 * (`pushHead`), serving only what a review uses, and recording every request.
 *
 * - Every app process gets its installation token from `POST /app/installations/{id}/access_tokens`
 *   with its app JWT. The token names the JWT's `iss` (the APP_ID the process was started with),
 *   so `processOf(request)` tells which process made any later request: the tests start each
 *   replica with its own APP_ID for that purpose.
 * - Check runs are kept with their latest state (`checkRuns`), and listed per commit
 *   (`GET /commits/{ref}/check-runs`), so a worker that recovers a job may look its run up.
 * - Review comments posted with a review are served back by `GET /pulls/7/comments`, so a
 *   second review of the same commit sees pysec's fingerprint markers.
 * - `holdBlobs(test)`: the GraphQL blob query of a matching request gets no answer until
 *   `release()` (or never, if its process is killed): the review stops mid-gather, at a known
 *   point, in a known process.
 */
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CHECK_NAME } from '../../../src/github/contracts.js';
import { PR_NUMBER, VIEWS_PY, blobSha, checkRunResponse, listedFile, loadEvent } from '../../helpers/app.js';

export const OWNER = 'acme';
export const REPO = 'shop';
const REPO_PATH = `/api/v3/repos/${OWNER}/${REPO}`;

export interface RecordedRequest {
  method: string;
  url: string;
  path: string;
  authorization: string;
  body: unknown;
  at: number;
}

export interface CheckRunState {
  id: number;
  headSha: string;
  /** APP_ID of the process that created it. */
  createdBy: string | undefined;
  status: string;
  conclusion: string | null;
  title: string | null;
}

export interface PostedReview {
  commitId: string;
  comments: { path: string; line: number; side?: string; body: string }[];
  by: string | undefined;
  at: number;
}

interface Held {
  req: RecordedRequest;
  res: ServerResponse;
  answer: () => unknown;
}

/**
 * app/views.py at a head commit: the fixtures' file (an unsafe pickle.loads and a command
 * injection), added by the PR, with both dangerous calls naming the commit, so each commit's
 * findings have fingerprints of their own (a review of the final head has something new to say
 * even after a superseded commit's review was posted).
 */
export function viewsAt(sha: string): string {
  const tag = sha.slice(0, 8);
  return VIEWS_PY.replace('pickle.loads(request.data)', `pickle.loads(request.data, encoding="${tag}")`).replace(
    '"ping -c 1 "',
    `"ping -c 1 -p ${tag} "`,
  );
}

/** The PR adds the whole file. */
function patchAt(sha: string): string {
  const lines = viewsAt(sha).split('\n').slice(0, -1);
  return [`@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`)].join('\n');
}

/** `sha1("head-<n>")`: a deterministic head commit per push. */
export function headSha(n: number): string {
  return blobSha(`head-${n}`);
}

export class GitHubStandIn {
  readonly requests: RecordedRequest[] = [];
  readonly checkRuns = new Map<number, CheckRunState>();
  readonly reviews: PostedReview[] = [];
  /** The PR's current head commit (what `pushHead` set last). */
  head: string;
  private nextCheckRunId = 9_100_001;
  private comments: Record<string, unknown>[] = [];
  private holdTest: ((r: RecordedRequest) => boolean) | undefined;
  private held: Held[] = [];
  private waiters: { test: () => boolean; resolve: () => void }[] = [];
  private server: HttpServer = createServer((req, res) => void this.handle(req, res));
  port = 0;

  constructor(initialHead = headSha(1)) {
    this.head = initialHead;
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const h of this.held.splice(0)) h.res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Forget every request, check run, review and comment (between tests sharing the replicas). */
  reset(head: string): void {
    this.release();
    this.requests.length = 0;
    this.checkRuns.clear();
    this.reviews.length = 0;
    this.comments = [];
    this.head = head;
  }

  /** A new commit on the PR (what a synchronize event announces). */
  pushHead(sha: string): void {
    this.head = sha;
  }

  /** Leave matching GraphQL blob queries unanswered until `release()`. */
  holdBlobs(test: (r: RecordedRequest) => boolean): void {
    this.holdTest = test;
  }

  /** Answer every held request and stop holding. */
  release(): void {
    this.holdTest = undefined;
    for (const h of this.held.splice(0)) {
      if (!h.res.destroyed) this.reply(h.res, 200, h.answer());
    }
  }

  /** The APP_ID of the process that made a request (from its installation token). */
  processOf(r: RecordedRequest): string | undefined {
    return /^token ghs_app(\d+)_/.exec(r.authorization)?.[1];
  }

  /** Resolves once `test()` holds (checked after every request), or rejects after `timeoutMs`. */
  until(test: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new Error(`stand-in: ${what} did not happen within ${timeoutMs} ms; requests:\n${this.summary()}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push({ test, resolve: done });
    });
  }

  summary(): string {
    return this.requests.map((r) => `${r.at.toFixed(0).padStart(6)} ms  ${this.processOf(r) ?? '-'}  ${r.method} ${r.url}`).join('\n');
  }

  private readonly t0 = performance.now();

  private reply(res: ServerResponse, status: number, answer: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(answer));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // keep the text
    }
    const url = req.url ?? '';
    const rec: RecordedRequest = {
      method: req.method ?? '',
      url,
      path: url.split('?')[0] ?? '',
      authorization: String(req.headers.authorization ?? ''),
      body,
      at: performance.now() - this.t0,
    };
    this.requests.push(rec);
    if (rec.method === 'POST' && rec.path === '/api/graphql' && this.holdTest?.(rec) && this.isBlobQuery(rec)) {
      this.held.push({ req: rec, res, answer: () => this.graphql(rec.body as GraphqlBody) });
    } else {
      const [status, answer] = this.route(rec);
      this.reply(res, status, answer);
    }
    for (const w of [...this.waiters]) {
      if (w.test()) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  }

  private isBlobQuery(r: RecordedRequest): boolean {
    return String((r.body as GraphqlBody | undefined)?.query ?? '').includes('object(expression:');
  }

  private route(r: RecordedRequest): [number, unknown] {
    const { method, path } = r;
    let m: RegExpExecArray | null;
    if (method === 'POST' && (m = /^\/api\/v3\/app\/installations\/(\d+)\/access_tokens$/.exec(path))) {
      const app = jwtIssuer(r.authorization) ?? '0';
      return [
        201,
        {
          token: `ghs_app${app}_${m[1]}_${'0'.repeat(20)}`,
          expires_at: new Date(Date.now() + 3_600_000).toISOString(),
          permissions: {},
          repository_selection: 'all',
        },
      ];
    }
    if (method === 'GET' && path.includes('/contents/')) return [404, { message: 'Not Found' }];
    if (method === 'POST' && path === `${REPO_PATH}/check-runs`) {
      const b = (r.body ?? {}) as Record<string, unknown>;
      const id = this.nextCheckRunId++;
      this.checkRuns.set(id, {
        id,
        headSha: String(b.head_sha),
        createdBy: this.processOf(r),
        status: String(b.status ?? 'queued'),
        conclusion: (b.conclusion as string | undefined) ?? null,
        title: null,
      });
      return [201, checkRunResponse(id, b)];
    }
    if ((m = new RegExp(`^${REPO_PATH}/check-runs/(\\d+)$`).exec(path))) {
      const run = this.checkRuns.get(Number(m[1]));
      if (!run) return [404, { message: 'Not Found' }];
      if (method === 'PATCH') {
        const b = (r.body ?? {}) as { status?: string; conclusion?: string; output?: { title?: string } };
        if (b.status) run.status = b.status;
        if (b.conclusion) {
          run.conclusion = b.conclusion;
          run.status = 'completed';
        }
        if (b.output?.title) run.title = b.output.title;
      }
      return [200, this.checkRunView(run)];
    }
    if (method === 'GET' && (m = new RegExp(`^${REPO_PATH}/commits/([^/]+)/check-runs$`).exec(path))) {
      const runs = [...this.checkRuns.values()].filter((c) => c.headSha === m?.[1]).sort((a, b) => b.id - a.id);
      return [200, { total_count: runs.length, check_runs: runs.map((c) => this.checkRunView(c)) }];
    }
    if (method === 'GET' && path === `${REPO_PATH}/pulls/${PR_NUMBER}`) {
      const event = loadEvent<{ pull_request: Record<string, unknown> & { head: Record<string, unknown> } }>('pull_request.synchronize');
      return [200, { ...event.pull_request, head: { ...event.pull_request.head, sha: this.head } }];
    }
    if (method === 'GET' && path === `${REPO_PATH}/pulls/${PR_NUMBER}/files`) return [200, [listedFile('app/views.py', viewsAt(this.head), patchAt(this.head), 'added')]];
    if (method === 'GET' && path === `${REPO_PATH}/pulls/${PR_NUMBER}/comments`) return [200, this.comments];
    if (method === 'POST' && path === `${REPO_PATH}/pulls/${PR_NUMBER}/reviews`) {
      const b = (r.body ?? {}) as { commit_id?: string; comments?: { path: string; line: number; side?: string; body: string }[] };
      const review: PostedReview = { commitId: String(b.commit_id), comments: b.comments ?? [], by: this.processOf(r), at: r.at };
      this.reviews.push(review);
      for (const c of review.comments) {
        this.comments.push({
          id: 71_000_000 + this.comments.length,
          body: c.body,
          path: c.path,
          line: c.line,
          original_line: c.line,
          side: c.side ?? 'RIGHT',
          commit_id: review.commitId,
          user: { login: 'pysec[bot]', type: 'Bot' },
          pull_request_review_id: this.reviews.length,
        });
      }
      return [200, { id: this.reviews.length, state: 'COMMENTED', commit_id: review.commitId }];
    }
    if (method === 'POST' && path === '/api/graphql') return [200, this.graphql(r.body as GraphqlBody)];
    return [404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' }];
  }

  private checkRunView(c: CheckRunState): Record<string, unknown> {
    return {
      ...checkRunResponse(c.id, { name: CHECK_NAME, head_sha: c.headSha, external_id: String(PR_NUMBER), status: c.status, conclusion: c.conclusion }),
      output: { title: c.title, summary: null, text: null, annotations_count: 0, annotations_url: '' },
    };
  }

  /** The blob query: `<sha>:app/views.py` is `viewsAt(sha)`; every other expression is null. */
  private graphql(body: GraphqlBody | undefined): unknown {
    if (!String(body?.query ?? '').includes('object(expression:')) return { data: { repository: { pullRequest: null } } };
    const repository: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(body?.variables ?? {})) {
      if (!/^e\d+$/.test(name)) continue;
      const [sha, path] = String(value).split(':');
      const text = path === 'app/views.py' && sha ? viewsAt(sha) : undefined;
      repository[`f${name.slice(1)}`] = text
        ? { oid: blobSha(text), text, isBinary: false, isTruncated: false, byteSize: Buffer.byteLength(text) }
        : null;
    }
    return { data: { repository } };
  }
}

interface GraphqlBody {
  query?: string;
  variables?: Record<string, unknown>;
}

/** The `iss` claim of an app JWT (`Authorization: bearer <jwt>`). */
function jwtIssuer(authorization: string): string | undefined {
  const part = /^bearer [\w-]+\.([\w-]+)\.[\w-]+$/i.exec(authorization)?.[1];
  if (!part) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as { iss?: unknown };
    return claims.iss === undefined ? undefined : String(claims.iss);
  } catch {
    return undefined;
  }
}
