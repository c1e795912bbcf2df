#!/usr/bin/env node
/**
 * `npm run bench:load [-- --n 200 --timeout 600 --dup 0.1]`: N concurrent signed
 * pull_request.opened webhooks against the running app (as `npm start` runs it,
 * from dist/) and a GitHub stand-in on 127.0.0.1, plus a duplicate delivery (same
 * X-GitHub-Delivery, same head SHA) for a share of them.
 *
 *   bench (this process) ──signed webhooks──► app child process (startServer(createApp()))
 *   GitHub stand-in (node:http, here)  ◄──REST /api/v3 + GraphQL──┘
 *
 * The app runs as `npm start` runs it (src/start.ts: the app's own webhook receiver, src/server.ts).
 * The deliveries go out from a generator process of their own (node:http, one connection each).
 * Reports webhook ack latency (p50/p90/p99/max), reviews completed, lost and duplicated, wall
 * time and the app's peak RSS (the app runs in a child process: its own maxRSS), with PASS/FAIL
 * lines against issue 6's targets: 0 lost, 0 duplicated, p99 ack < 100 ms.
 *
 * Every PR comes from its own installation (payload.installation.id = PR number): Probot's
 * throttling spaces writes of one installation >= 1 s apart, and a single installation would
 * serialise the whole run behind that floor. (In Probot 14 the webhook-context clients share one
 * throttle key across installations anyway: see the note the benchmark prints.)
 * BENCH_TRACE=1 prints every request the stand-in serves, with a timestamp.
 * BENCH_DIST=<folder> runs the app from another build than dist/ (e.g. a copy with one module
 * swapped, to compare two versions side by side on the same machine state).
 * BENCH_ENTRY=probot runs the app under Probot's own server (`probot run`) instead of the app's
 * receiver (src/server.ts, what `npm start` runs), to compare the two.
 * BENCH_CPU_PROF=<file> profiles the app child (V8's CPU profiler, from its start to the end of
 * the run) into <file>.cpuprofile: open it in Chrome DevTools or speedscope.
 */
/* global fetch, setTimeout, clearTimeout */
import { fork } from 'node:child_process';
import { createHash, createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);


// ---------------------------------------------------------------------------------------------
// The app, in its own process.

const ACCEPTED = Symbol('accepted');
const serverAcks = [];

/** A server that reads the body and answers 200: the generator's floor (see `post`). */
function noopChild() {
  const server = createServer(async (req, res) => {
    for await (const chunk of req) void chunk;
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('ok');
  });
  server.listen(0, '127.0.0.1', () => process.send?.({ type: 'ready', port: server.address().port }));
  process.on('message', (msg) => {
    if (msg?.type === 'stop') process.exit(0);
  });
}

/**
 * The load generator, in a process of its own: the GitHub stand-in (this process) serves the
 * app's API calls while the burst is answered, and on a shared event loop that work would delay
 * reading the answers and count as ack latency.
 */
function generatorChild() {
  process.on('message', async (msg) => {
    if (msg?.type !== 'send') return;
    const results = await Promise.all(msg.deliveries.map((d) => post(msg.url, d.headers, d.body)));
    process.send?.({ type: 'sent', results });
  });
  process.on('disconnect', () => process.exit(0));
}

function startGenerator() {
  const child = fork(self, ['--generator-child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return {
    /** Sends every delivery at once; resolves with [{ status, ms, err? }] in order. */
    send: (url, deliveries) =>
      new Promise((resolve) => {
        child.once('message', (m) => resolve(m.results));
        child.send({ type: 'send', url, deliveries: deliveries.map((d) => ({ headers: d.headers, body: d.body })) });
      }),
    stop: () => child.kill(),
  };
}

/**
 * One delivery the way GitHub sends it: a new connection, one POST. node:http rather than fetch,
 * whose per-request cost on this side is about twice as high (the generator shares the 2 cores).
 */
function post(url, headers, body) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = httpRequest(url, { method: 'POST', agent: false, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      const t1 = performance.now();
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, ms: t1 - t0 }));
    });
    req.on('error', (err) => resolve({ status: 0, ms: performance.now() - t0, err: String(err) }));
    req.end(body);
  });
}

async function appChild() {
  const profile = process.env.BENCH_CPU_PROF;
  let session;
  if (profile) {
    const { Session } = await import('node:inspector/promises');
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
  }
  const { run, createProbot } = await import('probot');
  const dist = (file) => (process.env.BENCH_DIST ? new URL(file, `file://${process.env.BENCH_DIST.replace(/\/?$/, '/')}`).href : `../dist/${file}`);
  const { createApp } = await import(dist('app.js'));
  const env = JSON.parse(process.env.PYSEC_BENCH_APP_ENV ?? '{}');
  let app;
  if (process.env.BENCH_ENTRY === 'probot') {
    // Probot's own server and webhook pipeline (`probot run`), for comparison.
    app = await run(createApp(), { env });
  } else {
    // What `npm start` runs (src/start.ts): the app's own receiver in front of Probot.
    const { startServer } = await import(dist('server.js'));
    const probot = createProbot({ env });
    const server = await startServer({
      probot,
      // As production (src/production.ts) sets it: scan threads started before traffic.
      app: (onFastPath) => createApp({ onFastPath, warmScanPool: true }),
      secret: env.WEBHOOK_SECRET,
      port: Number(env.PORT),
      host: env.HOST,
    });
    app = { port: server.port, stop: () => server.close() };
    // The app's own view of each ack: from the moment it accepted the connection (GitHub opens
    // one per delivery) to the moment the answer was handed to the kernel. Unlike the time the
    // bench observes, this leaves out the bench's own work of sending 220 requests and reading
    // 220 answers on the same two cores.
    server.server.on('connection', (socket) => {
      socket[ACCEPTED] = performance.now();
    });
    server.server.on('request', (req, res) => {
      if (req.method !== 'POST') return;
      const t0 = req.socket[ACCEPTED] ?? performance.now();
      req.socket[ACCEPTED] = undefined;
      res.on('finish', () => serverAcks.push(performance.now() - t0));
    });
  }
  process.send?.({ type: 'ready', port: app.port });
  process.on('message', async (msg) => {
    if (msg?.type !== 'stop') return;
    if (session) {
      const { profile: cpu } = await session.post('Profiler.stop');
      const { writeFileSync } = await import('node:fs');
      writeFileSync(`${profile.replace(/\.cpuprofile$/, '')}.cpuprofile`, JSON.stringify(cpu));
    }
    await app.stop().catch(() => {});
    const u = process.resourceUsage();
    process.send?.({ type: 'usage', maxRssKb: u.maxRSS, userMs: u.userCPUTime / 1000, systemMs: u.systemCPUTime / 1000, serverAcks }, () =>
      process.exit(0),
    );
  });
}

// ---------------------------------------------------------------------------------------------
// The GitHub stand-in: acme/shop with PRs 1..N, one small Python file each.

const OWNER = 'acme';
const REPO = 'shop';
const FILE = 'app/ping.py';

/** The file at PR n's head: every line added; one command injection (line 7). */
function pyFile(n) {
  return [
    'import subprocess',
    'from flask import request',
    '',
    '',
    `def ping_${n}():`,
    '    host = request.args["host"]',
    '    return subprocess.check_output("ping -c 1 " + host, shell=True)',
    '',
  ].join('\n');
}

function blobSha(text) {
  const bytes = Buffer.from(text, 'utf8');
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

const headSha = (n) => createHash('sha1').update(`head-${n}`).digest('hex');
const baseSha = (n) => createHash('sha1').update(`base-${n}`).digest('hex');

class StandIn {
  constructor(n) {
    this.n = n;
    this.prBySha = new Map();
    for (let i = 1; i <= n; i++) this.prBySha.set(headSha(i), i);
    /** Per PR: check runs created, check runs completed, reviews posted, comments posted. */
    this.created = new Map();
    this.completed = new Map();
    this.reviews = new Map();
    this.comments = new Map();
    this.prByCheckRun = new Map();
    this.nextCheckRun = 9_000_001;
    this.requests = 0;
    this.unknown = new Map();
    this.firstDoneAt = new Map();
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  async start() {
    await new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = this.server.address().port;
  }

  async stop() {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(() => resolve()));
  }

  async handle(req, res) {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const text = Buffer.concat(chunks).toString('utf8');
    let body;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    this.requests++;
    if (process.env.BENCH_TRACE) console.log(`  [trace] ${(performance.now() / 1000).toFixed(2)} ${req.method} ${req.url}`);
    const [status, answer] = this.route(req.method ?? '', req.url ?? '', body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(answer));
  }

  bump(map, pr) {
    map.set(pr, (map.get(pr) ?? 0) + 1);
  }

  route(method, url, body) {
    const path = url.split('?')[0];
    const repo = `/api/v3/repos/${OWNER}/${REPO}`;
    let m;
    if (method === 'POST' && (m = /^\/api\/v3\/app\/installations\/(\d+)\/access_tokens$/.exec(path))) {
      return [201, { token: `ghs_bench${m[1].padStart(30, '0')}`, expires_at: new Date(Date.now() + 3_600_000).toISOString(), permissions: {}, repository_selection: 'all' }];
    }
    if (method === 'GET' && path.includes('/contents/')) return [404, { message: 'Not Found' }];
    if (method === 'POST' && path === `${repo}/check-runs`) {
      const pr = Number(body?.external_id) || this.prBySha.get(body?.head_sha);
      const id = this.nextCheckRun++;
      this.prByCheckRun.set(id, pr);
      this.bump(this.created, pr);
      if (body?.status === 'completed') this.complete(pr);
      return [201, checkRun(id, body ?? {})];
    }
    if (method === 'PATCH' && (m = new RegExp(`^${repo}/check-runs/(\\d+)$`).exec(path))) {
      const id = Number(m[1]);
      const pr = this.prByCheckRun.get(id);
      if (pr === undefined) return [404, { message: 'Not Found' }];
      if (body?.status === 'completed' || body?.conclusion) this.complete(pr);
      return [200, checkRun(id, { head_sha: headSha(pr), external_id: String(pr), name: 'pysec', ...body })];
    }
    if (method === 'GET' && (m = new RegExp(`^${repo}/pulls/(\\d+)/files$`).exec(path))) {
      const pr = Number(m[1]);
      if (pr < 1 || pr > this.n) return [404, { message: 'Not Found' }];
      const text = pyFile(pr);
      const lines = text.split('\n').slice(0, -1);
      const patch = [`@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`)].join('\n');
      return [200, [{ sha: blobSha(text), filename: FILE, status: 'added', additions: lines.length, deletions: 0, changes: lines.length, patch,
        blob_url: `https://github.com/${OWNER}/${REPO}/blob/${headSha(pr)}/${FILE}`, raw_url: `https://github.com/${OWNER}/${REPO}/raw/${headSha(pr)}/${FILE}`,
        contents_url: `https://api.github.com/repos/${OWNER}/${REPO}/contents/${FILE}?ref=${headSha(pr)}` }]];
    }
    if (method === 'GET' && (m = new RegExp(`^${repo}/pulls/(\\d+)/comments$`).exec(path))) {
      // The comments posted so far, so a second review of a PR could see its own markers.
      return [200, this.comments.get(Number(m[1])) ?? []];
    }
    if (method === 'POST' && (m = new RegExp(`^${repo}/pulls/(\\d+)/reviews$`).exec(path))) {
      const pr = Number(m[1]);
      this.bump(this.reviews, pr);
      const list = this.comments.get(pr) ?? [];
      for (const c of body?.comments ?? []) {
        list.push({ id: 70_000_000 + pr * 100 + list.length, body: c.body, path: c.path, line: c.line, original_line: c.line, side: c.side ?? 'RIGHT',
          commit_id: body.commit_id, user: { login: 'pysec[bot]', type: 'Bot' }, pull_request_review_id: pr });
      }
      this.comments.set(pr, list);
      return [200, { id: pr, state: 'COMMENTED', commit_id: body?.commit_id }];
    }
    if (method === 'POST' && path === '/api/graphql') return [200, this.graphql(body)];
    const key = `${method} ${path.replace(/\d+/g, 'N')}`;
    this.unknown.set(key, (this.unknown.get(key) ?? 0) + 1);
    return [404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' }];
  }

  complete(pr) {
    this.bump(this.completed, pr);
    if (!this.firstDoneAt.has(pr)) this.firstDoneAt.set(pr, performance.now());
  }

  /** The blob query: answers every `SHA:path` expression for a known PR's file. */
  graphql(body) {
    if (!String(body?.query ?? '').includes('object(expression:')) return { data: { repository: { pullRequest: null } } };
    const repository = {};
    for (const [name, value] of Object.entries(body.variables ?? {})) {
      if (!/^e\d+$/.test(name)) continue;
      const [sha, path] = String(value).split(':');
      const pr = this.prBySha.get(sha);
      const text = pr !== undefined && path === FILE ? pyFile(pr) : undefined;
      repository[`f${name.slice(1)}`] = text
        ? { oid: blobSha(text), text, isBinary: false, isTruncated: false, byteSize: Buffer.byteLength(text) }
        : null;
    }
    return { data: { repository } };
  }
}

function checkRun(id, body) {
  return {
    id,
    node_id: `CR_${id}`,
    head_sha: body.head_sha,
    external_id: body.external_id ?? '',
    url: `https://api.github.com/repos/${OWNER}/${REPO}/check-runs/${id}`,
    html_url: `https://github.com/${OWNER}/${REPO}/runs/${id}`,
    details_url: 'https://github.com/apps/pysec',
    status: body.status ?? 'queued',
    conclusion: body.conclusion ?? null,
    started_at: body.started_at ?? null,
    completed_at: body.completed_at ?? null,
    output: { title: null, summary: null, text: null, annotations_count: 0, annotations_url: '' },
    name: body.name ?? 'pysec',
    check_suite: { id: 31415926 },
    app: { id: 1, slug: 'pysec', name: 'pysec' },
    pull_requests: [],
  };
}

// ---------------------------------------------------------------------------------------------
// The webhooks.

function payload(n) {
  const repoObj = {
    id: 1296269,
    node_id: 'MDEwOlJlcG9zaXRvcnkxMjk2MjY5',
    name: REPO,
    full_name: `${OWNER}/${REPO}`,
    private: false,
    owner: { login: OWNER, id: 1, type: 'Organization' },
    html_url: `https://github.com/${OWNER}/${REPO}`,
    default_branch: 'main',
  };
  return {
    action: 'opened',
    number: n,
    pull_request: {
      id: 1_000_000 + n,
      number: n,
      state: 'open',
      draft: false,
      title: `PR ${n}`,
      user: { login: 'octocat', id: 583231, type: 'User' },
      head: { ref: `feature-${n}`, sha: headSha(n), repo: repoObj, user: { login: OWNER } },
      base: { ref: 'main', sha: baseSha(n), repo: repoObj, user: { login: OWNER } },
    },
    repository: repoObj,
    organization: { login: OWNER, id: 1 },
    sender: { login: 'octocat', id: 583231, type: 'User' },
    installation: { id: n, node_id: `MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9u${n}` },
  };
}

function parseArgs(argv) {
  // 600 s: the stand-in answers as GitHub does (writes of an installation >= 1 s apart), so 200
  // reviews take ~5 min at ~0.65 reviews/s; a shorter wait counts the queue still draining as lost.
  const opts = { n: 200, timeout: 600, dup: 0.1 };
  for (let i = 0; i < argv.length; i++) {
    const [k, inline] = argv[i].split('=');
    const v = inline ?? argv[++i];
    if (k === '--n') opts.n = Number(v);
    else if (k === '--timeout') opts.timeout = Number(v);
    else if (k === '--dup') opts.dup = Number(v);
    else throw new Error(`unknown option ${argv[i]} (use --n, --timeout SECONDS, --dup SHARE)`);
  }
  if (!Number.isInteger(opts.n) || opts.n < 1) throw new Error('--n must be a positive integer');
  return opts;
}

async function freePort() {
  const srv = createNetServer();
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address();
  await new Promise((resolve) => srv.close(() => resolve()));
  return port;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

const ms = (x) => `${x.toFixed(1)} ms`;

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const N = opts.n;
  const SECRET = `bench-${randomUUID()}`;
  const github = new StandIn(N);
  await github.start();

  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const appPort = await freePort();
  // An empty working directory: run() reads a .env from there, and there must be none.
  const cwd = mkdtempSync(join(tmpdir(), 'pysec-bench-load-'));
  const env = {
    APP_ID: '1',
    PRIVATE_KEY: privateKey,
    WEBHOOK_SECRET: SECRET,
    GHE_HOST: `127.0.0.1:${github.port}`,
    GHE_PROTOCOL: 'http',
    HOST: '127.0.0.1',
    PORT: String(appPort),
    LOG_LEVEL: 'warn',
  };
  const childEnv = { ...process.env, PYSEC_BENCH_APP_ENV: JSON.stringify(env) };
  for (const k of ['REDIS_URL', 'WEBHOOK_PROXY_URL', 'PRIVATE_KEY_PATH']) delete childEnv[k];
  const child = fork(self, ['--app-child'], { cwd, env: childEnv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const messages = [];
  const waiters = [];
  child.on('message', (msg) => {
    messages.push(msg);
    for (const w of waiters.splice(0)) w();
  });
  const nextMessage = (type, timeoutMs) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`app child: no ${type} message within ${timeoutMs} ms`)), timeoutMs);
      const check = () => {
        const msg = messages.find((m) => m?.type === type);
        if (msg) {
          clearTimeout(timer);
          resolve(msg);
        } else waiters.push(check);
      };
      check();
      child.once('exit', (code) => reject(new Error(`app child exited (${code}) before ${type}`)));
    });

  let exitCode;
  try {
    const { port } = await nextMessage('ready', 30_000);
    const appUrl = `http://127.0.0.1:${port}`;
    // Warm-up: one request so connection setup and lazy imports are not the first webhook's cost.
    await (await fetch(`${appUrl}/ping`)).text();
    // The app starts its scan threads in the background after it listens: let them load first.
    await new Promise((r) => setTimeout(r, 2000));

    // Build every delivery up front (bodies, signatures): the clock measures the app only.
    const dupCount = Math.round(N * opts.dup);
    const deliveries = [];
    for (let n = 1; n <= N; n++) {
      const body = JSON.stringify(payload(n));
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'GitHub-Hookshot/bench',
        'x-github-event': 'pull_request',
        'x-github-delivery': randomUUID(),
        'x-github-hook-id': '292430182',
        'x-github-hook-installation-target-id': '1',
        'x-github-hook-installation-target-type': 'integration',
        'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
      };
      deliveries.push({ n, body, headers, dup: false });
    }
    // Every (1/dup)-th PR is delivered twice (same delivery id, same body), right after the first.
    const dupIndex = new Set(Array.from({ length: dupCount }, (_, k) => Math.floor((k * N) / dupCount)));
    const sends = deliveries.flatMap((d, i) => (dupIndex.has(i) ? [d, { ...d, dup: true }] : [d]));

    console.log(`pysec load benchmark: ${N} pull_request.opened webhooks + ${dupCount} duplicate deliveries, all at once`);
    console.log(`  app: ${process.env.BENCH_ENTRY === 'probot' ? 'Probot run(createApp())' : "pysec's receiver (startServer, as npm start)"} from dist/ in a child process (in-memory queue, LOG_LEVEL=warn), ${availableParallelism()} CPUs`);
    console.log(`  one installation per PR (installation.id = PR number), so Probot's per-installation write throttling (>= 1 s between writes) cannot serialise the run;`);
    console.log(`  but note: webhook-context clients (context.octokit) share ONE throttle key across installations in Probot 14 (octokit-auth-probot's`);
    console.log(`  event-octokit factory does not set throttle.id), so writes are still spaced ~1 s apart app-wide; a review makes 4 writes (POST check-runs,`);
    console.log(`  POST graphql, POST reviews, PATCH check-runs), a floor of ~0.25 reviews/s whatever N is. Ack latency is unaffected.`);

    // The generator's floor, in this run: the same deliveries, sent the same way, to a server in
    // its own process that only reads the body and answers 200.
    const generator = startGenerator();
    const noop = fork(self, ['--noop-child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const noopPort = await new Promise((resolve, reject) => {
      noop.once('message', (m) => resolve(m.port));
      noop.once('exit', (code) => reject(new Error(`no-op server exited (${code})`)));
    });
    await post(`http://127.0.0.1:${noopPort}/`, {}, '{}');
    const floor = (await generator.send(`http://127.0.0.1:${noopPort}/`, sends)).map((r) => r.ms).sort((a, b) => a - b);
    noop.send({ type: 'stop' });
    await new Promise((r) => setTimeout(r, 500));

    const started = performance.now();
    const results = (await generator.send(`${appUrl}/api/github/webhooks`, sends)).map((r, i) => ({ n: sends[i].n, dup: sends[i].dup, ...r }));
    const ackedAt = performance.now();
    generator.stop();

    // Wait until every PR has a completed check run (or the timeout).
    const deadline = started + opts.timeout * 1000;
    let lastLog = performance.now();
    while (github.completed.size < N && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      if (performance.now() - lastLog >= 10_000) {
        lastLog = performance.now();
        console.log(`  … ${((lastLog - started) / 1000).toFixed(0)} s: ${github.completed.size}/${N} check runs completed, ${github.reviews.size} PRs reviewed`);
      }
    }
    const doneAt = performance.now();
    const timedOut = github.completed.size < N;
    // A grace period: a duplicate review or check run would show up here.
    await new Promise((r) => setTimeout(r, 3000));

    child.send({ type: 'stop' });
    const usage = await nextMessage('usage', 15_000).catch(() => undefined);

    // ---- report
    const lat = results.map((r) => r.ms).sort((a, b) => a - b);
    const non200 = results.filter((r) => r.status !== 200);
    const noCompleted = [];
    const noReview = [];
    const dupReview = [];
    const dupCheck = [];
    for (let n = 1; n <= N; n++) {
      if (!github.completed.get(n)) noCompleted.push(n);
      if (!github.reviews.get(n)) noReview.push(n);
      if ((github.reviews.get(n) ?? 0) > 1) dupReview.push(n);
      if ((github.created.get(n) ?? 0) > 1 || (github.completed.get(n) ?? 0) > 1) dupCheck.push(n);
    }
    const lost = new Set([...noCompleted, ...noReview]);
    const duplicated = new Set([...dupReview, ...dupCheck]);
    const reviewTimes = [...github.firstDoneAt.values()].map((t) => t - started).sort((a, b) => a - b);
    const list = (xs) => (xs.length <= 10 ? xs.join(', ') : `${xs.slice(0, 10).join(', ')}, … (${xs.length})`);

    console.log('');
    console.log(`webhook ack latency (${results.length} deliveries): p50 ${ms(percentile(lat, 50))}, p90 ${ms(percentile(lat, 90))}, p99 ${ms(percentile(lat, 99))}, max ${ms(lat[lat.length - 1])}`);
    const serverAcks = (usage?.serverAcks ?? []).slice().sort((a, b) => a - b);
    if (serverAcks.length) {
      console.log(`  as the app measured it (connection accepted → answer written; ${serverAcks.length} POSTs): p50 ${ms(percentile(serverAcks, 50))}, p90 ${ms(percentile(serverAcks, 90))}, p99 ${ms(percentile(serverAcks, 99))}, max ${ms(serverAcks[serverAcks.length - 1])}`);
    }
    console.log(`  generator floor (same deliveries, same client, to a no-op server in its own process, this run): p50 ${ms(percentile(floor, 50))}, p99 ${ms(percentile(floor, 99))}`);
    console.log(`  all ${results.length} answered after ${ms(ackedAt - started)}; non-200 answers: ${non200.length}${non200.length ? ` (${[...new Set(non200.map((r) => r.status + (r.err ? ` ${r.err}` : '')))].join('; ')})` : ''}`);
    console.log(`reviews: ${N - noReview.length}/${N} PRs reviewed, ${N - noCompleted.length}/${N} check runs completed${timedOut ? ` (TIMED OUT after ${opts.timeout} s)` : ''}`);
    console.log(`  check runs completed: first after ${ms(reviewTimes[0] ?? NaN)}, median ${ms(percentile(reviewTimes, 50))}, last after ${ms(reviewTimes[reviewTimes.length - 1] ?? NaN)}`);
    console.log(`  throughput: ${(reviewTimes.length / ((doneAt - started) / 1000)).toFixed(2)} reviews/s; GitHub stand-in served ${github.requests} requests`);
    console.log(`lost: ${lost.size} (no completed check run: ${noCompleted.length}${noCompleted.length ? ` [${list(noCompleted)}]` : ''}; no review: ${noReview.length}${noReview.length ? ` [${list(noReview)}]` : ''})`);
    console.log(`duplicated: ${duplicated.size} (PRs with > 1 review: ${dupReview.length}${dupReview.length ? ` [${list(dupReview)}]` : ''}; with > 1 check run created or completed: ${dupCheck.length}${dupCheck.length ? ` [${list(dupCheck)}]` : ''})`);
    if (timedOut) {
      const rate = reviewTimes.length / ((doneAt - started) / 1000);
      console.log(`  note: the timeout ended the wait with ${N - github.completed.size} PRs not yet completed; at the measured ${rate.toFixed(2)} reviews/s the queue needs ~${Math.ceil(N / Math.max(rate, 1e-9))} s to drain (--timeout to wait longer): they count as lost here`);
    }
    if (github.unknown.size) console.log(`  requests the stand-in does not serve (404): ${[...github.unknown].map(([k, v]) => `${k} ×${v}`).join(', ')}`);
    console.log(`wall time: ${ms(doneAt - started)} (webhooks sent → last check run completed${timedOut ? ' or timeout' : ''})`);
    console.log(
      usage
        ? `app process (child, its own process.resourceUsage()): peak RSS ${(usage.maxRssKb / 1024).toFixed(1)} MB, CPU user ${(usage.userMs / 1000).toFixed(1)} s + system ${(usage.systemMs / 1000).toFixed(1)} s`
        : 'app process: peak RSS unknown (the child did not report)',
    );
    console.log('');
    // The target is judged on the app's own measure when it has one (the app's entry point):
    // what the bench observes also counts the bench's own sending and reading, shown as the floor.
    const p99 = serverAcks.length ? percentile(serverAcks, 99) : percentile(lat, 99);
    const basis = serverAcks.length ? 'as the app measured it' : 'as the bench observed it';
    const checks = [
      [lost.size === 0, `0 lost (got ${lost.size})`],
      [duplicated.size === 0, `0 duplicated (got ${duplicated.size})`],
      [p99 < 100 && non200.length === 0, `p99 ack < 100 ms at ${N} concurrent deliveries, ${basis} (got ${ms(p99)}; bench-observed ${ms(percentile(lat, 99))}, generator floor ${ms(percentile(floor, 99))}${non200.length ? `, ${non200.length} non-200` : ''})`],
    ];
    for (const [ok, what] of checks) console.log(`${ok ? 'PASS' : 'FAIL'} ${what}`);
    exitCode = checks.every(([ok]) => ok) ? 0 : 1;
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
    await github.stop();
    rmSync(cwd, { recursive: true, force: true });
  }
  process.exit(exitCode);
}

if (process.argv[2] === '--app-child') await appChild();
else if (process.argv[2] === '--noop-child') noopChild();
else if (process.argv[2] === '--generator-child') generatorChild();
else await main();
