/**
 * End to end over real HTTP, on 127.0.0.1 only (no nock in this file):
 *
 *   test ──signed webhook──► the app's server (src/server.ts, as `npm start` runs it)
 *                                   │ REST  http://127.0.0.1:<port>/api/v3   (GHE_HOST + GHE_PROTOCOL=http)
 *                                   ▼ GraphQL http://127.0.0.1:<port>/api/graphql
 *                            a GitHub stand-in (node:http) that serves one pull request with a
 *                            vulnerable Python file and records every request
 *
 * The app runs with Probot's production Octokit (throttling and retries on), so a review takes
 * the ~3-4 s Probot's write throttling imposes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { createProbot } from 'probot';
import { startServer, type RunningServer } from '../../src/server.js';
import { createApp } from '../../src/app.js';
import { CHECK_NAME, FINGERPRINT_MARKER, type PullRequestRef } from '../../src/github/contracts.js';
import type { ReviewJobResult } from '../../src/github/job.js';
import {
  HEAD_SHA,
  INSTALLATION_ID,
  SHELL_LINE,
  VIEWS_PY,
  blobSha,
  checkRunResponse,
  loadEvent,
  prFiles,
  testPrivateKey,
} from '../helpers/app.js';

const SECRET = 'e2e-webhook-secret';
const CHECK_RUN_ID = 7770001;
const TOKEN = 'ghs_e2eInstallationToken000000000000000';

interface RecordedRequest {
  method: string;
  url: string;
  authorization: string;
  body: unknown;
}

/** The stand-in for GitHub: just the endpoints a review uses. */
class GitHubStandIn {
  readonly requests: RecordedRequest[] = [];
  private server: HttpServer = createServer((req, res) => void this.handle(req, res));
  private waiters: { test: (r: RecordedRequest) => boolean; resolve: (r: RecordedRequest) => void }[] = [];
  port = 0;

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Resolves with the first recorded request (past or future) that passes `test`. */
  waitFor(test: (r: RecordedRequest) => boolean, timeoutMs = 20_000): Promise<RecordedRequest> {
    const seen = this.requests.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching request within ${timeoutMs} ms; got:\n${this.summary()}`)), timeoutMs);
      this.waiters.push({
        test,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
      });
    });
  }

  summary(): string {
    return this.requests.map((r) => `${r.method} ${r.url}`).join('\n');
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
    const rec: RecordedRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      authorization: String(req.headers.authorization ?? ''),
      body,
    };
    this.requests.push(rec);
    const [status, answer, type] = this.route(rec);
    res.writeHead(status, { 'content-type': type ?? 'application/json; charset=utf-8' });
    res.end(typeof answer === 'string' ? answer : JSON.stringify(answer));
    for (const w of [...this.waiters]) {
      if (w.test(rec)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(rec);
      }
    }
  }

  private route(r: RecordedRequest): [number, unknown, string?] {
    const { method, url } = r;
    const path = url.split('?')[0];
    const repo = '/api/v3/repos/acme/shop';
    if (method === 'POST' && path === `/api/v3/app/installations/${INSTALLATION_ID}/access_tokens`) {
      return [201, { token: TOKEN, expires_at: new Date(Date.now() + 3_600_000).toISOString(), permissions: {}, repository_selection: 'all' }];
    }
    if (method === 'GET' && path?.endsWith('/contents/.github%2Fpysec.yml')) return [404, { message: 'Not Found' }];
    if (method === 'POST' && path === `${repo}/check-runs`) return [201, checkRunResponse(CHECK_RUN_ID, r.body as Record<string, unknown>)];
    if (method === 'PATCH' && path === `${repo}/check-runs/${CHECK_RUN_ID}`) {
      return [200, checkRunResponse(CHECK_RUN_ID, { name: CHECK_NAME, head_sha: HEAD_SHA, ...(r.body as object) })];
    }
    if (method === 'GET' && path === `${repo}/pulls/7/files`) return [200, prFiles()];
    if (method === 'GET' && path === `${repo}/pulls/7/comments`) return [200, []];
    if (method === 'POST' && path === `${repo}/pulls/7/reviews`) return [200, { id: 80, state: 'COMMENTED', commit_id: HEAD_SHA }];
    if (method === 'POST' && path === '/api/graphql') return [200, this.graphql(r.body as { query: string; variables: Record<string, string> })];
    return [404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' }];
  }

  /** The blob query: answers every `SHA:path` expression it knows (only app/views.py). */
  private graphql(body: { query: string; variables: Record<string, string> }): unknown {
    if (!body.query.includes('object(expression:')) return { data: { repository: { pullRequest: null } } };
    const repository: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(body.variables)) {
      if (!/^e\d+$/.test(name)) continue;
      const alias = `f${name.slice(1)}`;
      repository[alias] =
        value === `${HEAD_SHA}:app/views.py`
          ? { oid: blobSha(VIEWS_PY), text: VIEWS_PY, isBinary: false, isTruncated: false, byteSize: Buffer.byteLength(VIEWS_PY) }
          : null;
    }
    return { data: { repository } };
  }
}

async function freePort(): Promise<number> {
  const srv = createNetServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

function sign(body: string, secret = SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

const github = new GitHubStandIn();
let app: RunningServer;
let appUrl = '';
const reviewed: { pr: PullRequestRef; result: ReviewJobResult }[] = [];
const reviewWaiters: (() => void)[] = [];

beforeAll(async () => {
  await github.start();
  const port = await freePort();
  // As `npm start` (src/start.ts) runs it: Probot configured from the environment, behind the
  // app's own webhook receiver (pull request deliveries take its fast path).
  const probot = createProbot({
    env: {
      APP_ID: '1',
      PRIVATE_KEY: testPrivateKey(),
      WEBHOOK_SECRET: SECRET,
      GHE_HOST: `127.0.0.1:${github.port}`,
      GHE_PROTOCOL: 'http',
      LOG_LEVEL: 'fatal',
      LOG_FORMAT: 'json',
    },
  });
  app = await startServer({
    probot,
    app: (onFastPath) =>
      createApp({
        onFastPath,
        onReviewed: (pr, result) => {
          reviewed.push({ pr, result });
          for (const w of reviewWaiters.splice(0)) w();
        },
      }),
    secret: SECRET,
    host: '127.0.0.1',
    port,
  });
  appUrl = `http://127.0.0.1:${app.port}`;
});

afterAll(async () => {
  await app?.close();
  await github.stop();
});

async function sendWebhook(
  name: string,
  payload: unknown,
  opts: { signature?: string; delivery?: string } = {},
): Promise<Response> {
  const body = JSON.stringify(payload);
  return fetch(`${appUrl}/api/github/webhooks`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/e2e',
      'x-github-event': name,
      'x-github-delivery': opts.delivery ?? '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      'x-github-hook-id': '292430182',
      'x-github-hook-installation-target-id': '1',
      'x-github-hook-installation-target-type': 'integration',
      'x-hub-signature-256': opts.signature ?? sign(body),
    },
    body,
  });
}

describe('the app over real HTTP', () => {
  it('answers its health check', async () => {
    const res = await fetch(`${appUrl}/ping`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('PONG');
  });

  it('a webhook with a bad signature is refused with 4xx and makes no API call', async () => {
    const payload = loadEvent('pull_request.opened');
    const before = github.requests.length;
    const bad = await sendWebhook('pull_request', payload, { signature: sign(JSON.stringify(payload), 'not-the-secret') });
    expect(bad.status).toBe(401);
    expect(await bad.text()).toContain('signature does not match');
    const missing = await fetch(`${appUrl}/api/github/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-github-delivery': 'x' },
      body: JSON.stringify(payload),
    });
    expect(missing.status).toBe(400);
    expect((await missing.text()).toLowerCase()).toContain('x-hub-signature-256');
    // Give a wrongly accepted delivery the time to reach GitHub, then check it did not.
    await new Promise((r) => setTimeout(r, 300));
    expect(github.requests.length).toBe(before);
    expect(reviewed).toEqual([]);
  });

  it('pull_request.opened: answers at once, then posts the review and completes the check run', async () => {
    const done = new Promise<void>((resolve) => reviewWaiters.push(resolve));
    const res = await sendWebhook('pull_request', loadEvent('pull_request.opened'));
    expect(res.status).toBe(200);
    // The answer does not wait for the review (GitHub gives a webhook 10 s).
    expect(github.requests.some((r) => r.method === 'PATCH')).toBe(false);

    const completed = await github.waitFor((r) => r.method === 'PATCH' && (r.body as { status?: string }).status === 'completed');
    await done;

    // The installation token was fetched with the app's JWT; every other call used the token.
    const [tokenRequest, ...calls] = github.requests;
    expect(tokenRequest?.url).toBe(`/api/v3/app/installations/${INSTALLATION_ID}/access_tokens`);
    expect(tokenRequest?.authorization).toMatch(/^bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    for (const c of calls) expect(c.authorization).toBe(`token ${TOKEN}`);
    // REST under /api/v3, GraphQL at /api/graphql: GHE_HOST + GHE_PROTOCOL did their job.
    for (const c of github.requests) expect(c.url).toMatch(/^\/api\/(v3\/|graphql$)/);

    const create = github.requests.find((r) => r.method === 'POST' && r.url.endsWith('/check-runs'));
    expect(create?.body).toMatchObject({ name: 'pysec', head_sha: HEAD_SHA, status: 'in_progress', external_id: '7' });

    const review = github.requests.find((r) => r.url === '/api/v3/repos/acme/shop/pulls/7/reviews');
    const rb = review?.body as { event: string; commit_id: string; comments: { path: string; line: number; side: string; body: string }[] };
    expect(rb.event).toBe('COMMENT');
    expect(rb.commit_id).toBe(HEAD_SHA);
    expect(rb.comments.map((c) => [c.path, c.line, c.side])).toEqual([['app/views.py', SHELL_LINE, 'RIGHT']]);
    expect(rb.comments[0]?.body).toMatch(FINGERPRINT_MARKER);
    expect(rb.comments[0]?.body).toContain('command-injection');

    const cb = completed.body as { conclusion: string; output: { title: string; summary: string; annotations: unknown[] } };
    expect(cb.conclusion).toBe('failure');
    expect(cb.output.title).toMatch(/2 findings/);
    expect(cb.output.annotations).toHaveLength(2);
    // The review happened after the check run was created and before it was completed.
    const order = github.requests.map((r) => `${r.method} ${r.url.split('?')[0]}`);
    const idx = (s: string): number => order.indexOf(s);
    expect(idx('POST /api/v3/repos/acme/shop/check-runs')).toBeLessThan(idx('POST /api/v3/repos/acme/shop/pulls/7/reviews'));
    expect(idx('POST /api/v3/repos/acme/shop/pulls/7/reviews')).toBeLessThan(idx(`PATCH /api/v3/repos/acme/shop/check-runs/${CHECK_RUN_ID}`));
    expect(order.filter((o) => o.startsWith('PATCH'))).toHaveLength(1);
    // Nothing the stand-in does not serve was asked for (config lookups answer 404 on purpose).
    expect(order).toEqual([
      `POST /api/v3/app/installations/${INSTALLATION_ID}/access_tokens`,
      'GET /api/v3/repos/acme/shop/contents/.github%2Fpysec.yml',
      'GET /api/v3/repos/acme/.github/contents/.github%2Fpysec.yml',
      'POST /api/v3/repos/acme/shop/check-runs',
      'GET /api/v3/repos/acme/shop/pulls/7/files',
      'POST /api/graphql',
      'GET /api/v3/repos/acme/shop/pulls/7/comments',
      'POST /api/v3/repos/acme/shop/pulls/7/reviews',
      `PATCH /api/v3/repos/acme/shop/check-runs/${CHECK_RUN_ID}`,
    ]);
    expect(reviewed[0]?.result).toMatchObject({ status: 'completed', outcome: { posted: 1, conclusion: 'failure' } });
  });
});
