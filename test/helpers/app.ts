/**
 * Shared pieces of the App-level tests (nock handler tests and the end-to-end test): a
 * throwaway private key, the webhook payload fixtures, and the pull request they describe
 * (acme/shop#7, one modified Python file with a command injection on an added line and an
 * unsafe pickle.loads on an unchanged line).
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

/** An RSA key made for this test run: Probot signs its app JWT with it; nobody checks it. */
let cachedKey: string | undefined;
export function testPrivateKey(): string {
  cachedKey ??= generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  }).privateKey;
  return cachedKey;
}

const EVENTS_DIR = fileURLToPath(new URL('../fixtures/events/', import.meta.url));

/** A webhook payload from test/fixtures/events/<name>.json (a fresh copy each call). */
export function loadEvent<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(`${EVENTS_DIR}${name}.json`, 'utf8')) as T;
}

/** The event name (X-GitHub-Event) of a fixture: the part before the first dot. */
export function eventName(fixture: string): string {
  return fixture.split('.')[0] as string;
}

export const INSTALLATION_ID = 4242;
export const OWNER = 'acme';
export const REPO = 'shop';
export const PR_NUMBER = 7;
/** head.sha / base.sha of every fixture. */
export const HEAD_SHA = '6dcb09b5b57875f334f61aebed695e2e4193db5e';
export const BASE_SHA = '9049f1265b7d61be4a8904a9a27120d2064dab3b';

/** app/views.py at the head commit. */
export const VIEWS_PY = [
  'import pickle',
  'import subprocess',
  '',
  'from flask import Flask, request',
  '',
  'app = Flask(__name__)',
  '',
  '',
  '@app.route("/restore", methods=["POST"])',
  'def restore():',
  '    return pickle.loads(request.data)',
  '',
  '',
  '@app.route("/ping")',
  'def ping():',
  '    host = request.args["host"]',
  '    return subprocess.check_output("ping -c 1 " + host, shell=True)',
  '',
].join('\n');

/** The line of the command injection (added by the PR) and of the pickle.loads (unchanged). */
export const SHELL_LINE = 17;
export const PICKLE_LINE = 11;

/** The PR adds lines 12-17 (the /ping endpoint) after three lines of context. */
export const VIEWS_PATCH = [
  '@@ -9,3 +9,9 @@ app = Flask(__name__)',
  ' @app.route("/restore", methods=["POST"])',
  ' def restore():',
  '     return pickle.loads(request.data)',
  '+',
  '+',
  '+@app.route("/ping")',
  '+def ping():',
  '+    host = request.args["host"]',
  '+    return subprocess.check_output("ping -c 1 " + host, shell=True)',
].join('\n');

/** Git's blob id of a text (what listFiles' `sha` and GraphQL's `oid` carry). */
export function blobSha(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** An item of `GET /repos/{owner}/{repo}/pulls/{n}/files`, as GitHub sends it. */
export function listedFile(
  filename: string,
  content: string,
  patch: string | undefined,
  status: 'added' | 'modified' | 'removed' | 'renamed' = 'modified',
): Record<string, unknown> {
  const additions = patch ? patch.split('\n').filter((l) => l.startsWith('+')).length : 0;
  const deletions = patch ? patch.split('\n').filter((l) => l.startsWith('-')).length : 0;
  const sha = blobSha(content);
  const path = filename.split('/').map(encodeURIComponent).join('/');
  return {
    sha,
    filename,
    status,
    additions,
    deletions,
    changes: additions + deletions,
    blob_url: `https://github.com/${OWNER}/${REPO}/blob/${HEAD_SHA}/${path}`,
    raw_url: `https://github.com/${OWNER}/${REPO}/raw/${HEAD_SHA}/${path}`,
    contents_url: `https://api.github.com/repos/${OWNER}/${REPO}/contents/${path}?ref=${HEAD_SHA}`,
    ...(patch !== undefined ? { patch } : {}),
  };
}

/** The PR's files: the Python file and a Markdown file pysec ignores. */
export function prFiles(): Record<string, unknown>[] {
  return [
    listedFile('app/views.py', VIEWS_PY, VIEWS_PATCH),
    listedFile('docs/ping.md', '# Ping\n\nGET /ping?host=example.com\n', '@@ -0,0 +1,3 @@\n+# Ping\n+\n+GET /ping?host=example.com', 'added'),
  ];
}

/** The GraphQL answer for the blob query of app/views.py (alias f0). */
export function blobAnswer(text = VIEWS_PY): Record<string, unknown> {
  return {
    data: {
      repository: {
        f0: { oid: blobSha(text), text, isBinary: false, isTruncated: false, byteSize: Buffer.byteLength(text) },
      },
    },
  };
}

/** A check run as POST /repos/{owner}/{repo}/check-runs answers. */
export function checkRunResponse(id: number, body: Record<string, unknown>): Record<string, unknown> {
  return {
    id,
    node_id: `CR_kwDOABPHjc8AAAAB${id}`,
    head_sha: body.head_sha,
    external_id: body.external_id ?? '',
    url: `https://api.github.com/repos/${OWNER}/${REPO}/check-runs/${id}`,
    html_url: `https://github.com/${OWNER}/${REPO}/runs/${id}`,
    details_url: 'https://github.com/apps/pysec',
    status: body.status ?? 'queued',
    conclusion: body.conclusion ?? null,
    started_at: body.started_at ?? null,
    completed_at: null,
    output: { title: null, summary: null, text: null, annotations_count: 0, annotations_url: '' },
    name: body.name,
    check_suite: { id: 31415926 },
    app: { id: 1, slug: 'pysec', name: 'pysec' },
    pull_requests: [],
  };
}

/** What GET /repos/{owner}/{repo}/pulls/{n} answers for the fixtures' PR. */
export function pullRequestResponse(over: Record<string, unknown> = {}): Record<string, unknown> {
  const event = loadEvent<{ pull_request: Record<string, unknown> }>('pull_request.opened');
  return { ...event.pull_request, ...over };
}

/** A patch that adds every line of `text` (a new file): every finding in it is on a changed line. */
export function addedPatch(text: string): string {
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  return [`@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`)].join('\n');
}

export interface StandInRequest {
  method: string;
  /** Path without the query. */
  path: string;
  url: string;
  body: unknown;
  at: number;
  /** What the stand-in answered (undefined: it never answered). */
  status?: number;
}

/**
 * A fault: the first `times` requests matching `method` and `path` get `reply` instead of the
 * normal answer, or no answer at all (`hang`). `process: true` first handles the request as
 * GitHub would (e.g. stores the posted review) and only then fails or hangs — a request that
 * succeeded on GitHub's side whose answer never arrived.
 */
export interface Fault {
  method: string;
  path: string | RegExp;
  times: number;
  reply: 'hang' | { status: number; body?: unknown; headers?: Record<string, string> };
  process?: boolean;
}

export interface StandInCheckRun {
  id: number;
  headSha: string;
  externalId: string;
  status: string;
  conclusion: string | null;
  title: string | null;
  summary: string | null;
}

export interface StandInComment {
  id: number;
  path: string;
  line: number;
  body: string;
}

/**
 * A GitHub stand-in on 127.0.0.1 (node:http) for end-to-end tests: acme/shop#7 with the files
 * `files` (default: the fixtures' app/views.py), REST under /api/v3 and GraphQL at /api/graphql.
 * It keeps state as GitHub would — check runs (listed per commit), review comments posted with
 * reviews (served back by GET /pulls/7/comments) — records every request, and injects `faults`.
 */
export class GitHubStandIn {
  readonly requests: StandInRequest[] = [];
  readonly checkRuns = new Map<number, StandInCheckRun>();
  readonly comments: StandInComment[] = [];
  /** Reviews GitHub accepted (processed), with their comments. */
  readonly reviews: { commitId: string; comments: { path: string; line: number; body: string }[] }[] = [];
  faults: Fault[] = [];
  files: { path: string; content: string; status?: 'added' | 'modified' }[] = [{ path: 'app/views.py', content: VIEWS_PY }];
  private server: HttpServer = createServer((req, res) => void this.handle(req, res));
  private nextId = 9000;
  port = 0;

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/v3`;
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Requests with this method whose path ends with `suffix`. */
  calls(method: string, suffix: string): StandInRequest[] {
    return this.requests.filter((r) => r.method === method && r.path.endsWith(suffix));
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
    const rec: StandInRequest = { method: req.method ?? '', path: url.split('?')[0] ?? '', url, body, at: Date.now() };
    this.requests.push(rec);
    const fault = this.faults.find(
      (f) => f.times > 0 && f.method === rec.method && (typeof f.path === 'string' ? rec.path.endsWith(f.path) : f.path.test(rec.path)),
    );
    if (fault) fault.times--;
    let answer: [number, unknown, Record<string, string>?] | undefined;
    if (!fault || fault.process) answer = this.route(rec);
    if (fault) answer = fault.reply === 'hang' ? undefined : [fault.reply.status, fault.reply.body ?? { message: 'fault' }, fault.reply.headers];
    if (!answer) return; // never answers: the client must time out
    const [status, payload, headers] = answer;
    rec.status = status;
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(payload));
  }

  private route(r: StandInRequest): [number, unknown] {
    const repo = `/api/v3/repos/${OWNER}/${REPO}`;
    const { method, path } = r;
    const body = (r.body ?? {}) as Record<string, unknown>;
    if (method === 'POST' && /^\/api\/v3\/app\/installations\/\d+\/access_tokens$/.test(path)) {
      return [201, { token: 'ghs_standInToken00000000000000000000000', expires_at: new Date(Date.now() + 3_600_000).toISOString() }];
    }
    if (method === 'GET' && path.endsWith('/contents/.github%2Fpysec.yml')) return [404, { message: 'Not Found' }];
    if (method === 'POST' && path === `${repo}/check-runs`) {
      const id = this.nextId++;
      this.checkRuns.set(id, {
        id,
        headSha: String(body.head_sha),
        externalId: String(body.external_id ?? ''),
        status: String(body.status ?? 'queued'),
        conclusion: null,
        title: null,
        summary: null,
      });
      return [201, checkRunResponse(id, body)];
    }
    const update = new RegExp(`^${repo}/check-runs/(\\d+)$`).exec(path);
    if (method === 'PATCH' && update) {
      const run = this.checkRuns.get(Number(update[1]));
      if (!run) return [404, { message: 'Not Found' }];
      const output = body.output as { title?: string; summary?: string } | undefined;
      if (typeof body.status === 'string') run.status = body.status;
      if (typeof body.conclusion === 'string') run.conclusion = body.conclusion;
      if (output?.title) run.title = output.title;
      if (output?.summary) run.summary = output.summary;
      return [200, checkRunResponse(run.id, { name: 'pysec', head_sha: run.headSha, ...body })];
    }
    const list = new RegExp(`^${repo}/commits/([0-9a-f]+)/check-runs$`).exec(path);
    if (method === 'GET' && list) {
      const runs = [...this.checkRuns.values()].filter((c) => c.headSha === list[1]);
      return [
        200,
        {
          total_count: runs.length,
          check_runs: runs.map((c) => ({ ...checkRunResponse(c.id, { name: 'pysec', head_sha: c.headSha, external_id: c.externalId }), status: c.status })),
        },
      ];
    }
    if (method === 'GET' && path === `${repo}/pulls/${PR_NUMBER}/files`) {
      return [200, this.files.map((f) => listedFile(f.path, f.content, f.status === 'modified' ? undefined : addedPatch(f.content), f.status ?? 'added'))];
    }
    if (method === 'GET' && path === `${repo}/pulls/${PR_NUMBER}/comments`) {
      return [200, this.comments.map((c) => ({ id: c.id, path: c.path, line: c.line, body: c.body, in_reply_to_id: null }))];
    }
    if (method === 'POST' && path === `${repo}/pulls/${PR_NUMBER}/reviews`) {
      const comments = (body.comments ?? []) as { path: string; line: number; body: string }[];
      this.reviews.push({ commitId: String(body.commit_id), comments });
      for (const c of comments) this.comments.push({ id: this.nextId++, path: c.path, line: c.line, body: c.body });
      return [200, { id: this.nextId++, state: 'COMMENTED', commit_id: body.commit_id }];
    }
    if (method === 'POST' && path === '/api/graphql') return [200, this.graphql(body as { query?: string; variables?: Record<string, string> })];
    return [404, { message: 'Not Found' }];
  }

  /** The blob query: answers every `SHA:path` expression for a file it has. */
  private graphql(body: { query?: string; variables?: Record<string, string> }): unknown {
    if (!body.query?.includes('object(expression:')) return { data: { repository: { pullRequest: null } } };
    const repository: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(body.variables ?? {})) {
      if (!/^e\d+$/.test(name)) continue;
      const file = this.files.find((f) => value.endsWith(`:${f.path}`));
      repository[`f${name.slice(1)}`] = file
        ? { oid: blobSha(file.content), text: file.content, isBinary: false, isTruncated: false, byteSize: Buffer.byteLength(file.content) }
        : null;
    }
    return { data: { repository } };
  }
}
