/**
 * Observability (issue 6): the Prometheus metrics, the /metrics, /healthz and /readyz endpoints
 * on a real Probot server (127.0.0.1 only), and the review's structured logs (delivery, repo,
 * PR and job id on every line; never the installation token).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import nock from 'nock';
import { pino } from 'pino';
import { Probot, ProbotOctokit, Server } from 'probot';
import { createApp } from '../src/app.js';
import { checkReadiness, createHttpHandler, type ReadinessProbe } from '../src/http.js';
import { createMetrics, JOB_STATES, observeJob, type PysecMetrics } from '../src/metrics.js';
import { runReview } from '../src/github/job.js';
import { defaultConfig } from '../src/config/schema.js';
import { createMemoryQueue, type Job, type JobQueue } from '../src/queue/memory.js';
import { GITHUB_API, GITHUB_ORIGIN, testClient, testPr } from './helpers/github.js';
import { HEAD_SHA, INSTALLATION_ID, blobAnswer, checkRunResponse, loadEvent, prFiles, testPrivateKey } from './helpers/app.js';

const REPO_PATH = '/api/v3/repos/acme/shop';
const CHECK_RUN_ID = 5550009;
const TOKEN = 'ghs_metricsTestInstallationToken0000000';

/** The value of one series, or undefined when it does not exist. */
async function value(metrics: PysecMetrics, name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  const metric = metrics.registry.getSingleMetric(name);
  if (!metric) return undefined;
  const { values } = await metric.get();
  const hit = values.find((v) => Object.entries(labels).every(([k, l]) => (v.labels as Record<string, unknown>)[k] === l));
  return hit?.value;
}

/** A histogram's observation count. */
async function count(metrics: PysecMetrics, name: string): Promise<number | undefined> {
  const metric = metrics.registry.getSingleMetric(name);
  const { values } = (await metric?.get()) ?? { values: [] };
  return values.find((v) => (v as { metricName?: string }).metricName === `${name}_count`)?.value;
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('metric names and labels', () => {
  it('registers exactly the documented pysec metrics, with their labels, on its own registry', async () => {
    const metrics = createMetrics();
    const json = await metrics.registry.getMetricsAsJSON();
    const ours = Object.fromEntries(
      json
        .filter((m) => /^pysec_(webhooks|jobs|queue|scan|review|findings|github)_/.test(m.name))
        .map((m) => [m.name, { type: String(m.type), labels: [...new Set(m.values.flatMap((v) => Object.keys(v.labels)))].filter((l) => l !== 'le') }]),
    );
    expect(Object.keys(ours).sort()).toEqual(
      [
        'pysec_findings_total',
        'pysec_github_rate_limit_remaining',
        'pysec_github_requests_total',
        'pysec_jobs_running',
        'pysec_jobs_total',
        'pysec_queue_wait_seconds',
        'pysec_review_duration_seconds',
        'pysec_scan_duration_seconds',
        'pysec_webhooks_received_total',
      ].sort(),
    );
    expect(ours.pysec_jobs_total).toEqual({ type: 'counter', labels: ['state'] });
    expect(ours.pysec_jobs_running?.type).toBe('gauge');
    for (const h of ['pysec_queue_wait_seconds', 'pysec_scan_duration_seconds', 'pysec_review_duration_seconds']) {
      expect(ours[h]?.type).toBe('histogram');
    }
    // Every job state is exported at 0 before anything happened.
    for (const state of JOB_STATES) expect(await value(metrics, 'pysec_jobs_total', { state })).toBe(0);

    metrics.webhookReceived('pull_request', 'opened');
    metrics.findings([{ ruleId: 'shell-command-built', severity: 'high' }]);
    metrics.githubResponse(200, { 'x-ratelimit-remaining': '4999' });
    const text = await metrics.registry.metrics();
    expect(text).toContain('pysec_webhooks_received_total{event="pull_request.opened"} 1');
    expect(text).toContain('pysec_findings_total{rule="shell-command-built",severity="high"} 1');
    expect(text).toContain('pysec_github_requests_total{status_class="2xx"} 1');
    expect(text).toContain('pysec_github_rate_limit_remaining 4999');
    // Default process metrics, prefixed.
    expect(text).toMatch(/^pysec_process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^pysec_nodejs_eventloop_lag_seconds /m);
    expect(text).not.toMatch(/^process_cpu/m);
  });

  it('two apps in one process keep separate registries', async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.job('queued');
    expect(await value(a, 'pysec_jobs_total', { state: 'queued' })).toBe(1);
    expect(await value(b, 'pysec_jobs_total', { state: 'queued' })).toBe(0);
  });

  it('jobStarted counts, observes the wait and the running gauge returns to 0 once', async () => {
    const m = createMetrics({ defaultMetrics: false });
    const end = m.jobStarted(0.25);
    expect(await value(m, 'pysec_jobs_running')).toBe(1);
    end();
    end();
    expect(await value(m, 'pysec_jobs_running')).toBe(0);
    expect(await count(m, 'pysec_queue_wait_seconds')).toBe(1);
    expect(await value(m, 'pysec_jobs_total', { state: 'started' })).toBe(1);
  });
});

describe('metrics of one review (runReview through nock)', () => {
  it('records scan duration, findings by rule and severity, GitHub calls by status class and the rate limit', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const pr = testPr({ headSha: HEAD_SHA });
    const rl = (n: number): Record<string, string> => ({ 'x-ratelimit-remaining': String(n) });
    nock(GITHUB_ORIGIN)
      .get(`${REPO_PATH}/contents/.github%2Fpysec.yml`)
      .reply(404, { message: 'Not Found' }, rl(4990))
      .post(`${REPO_PATH}/check-runs`)
      .reply(201, (_u, body) => checkRunResponse(CHECK_RUN_ID, body as Record<string, unknown>), rl(4989))
      .get(`${REPO_PATH}/pulls/7/files`)
      .query({ per_page: '100' })
      .reply(200, prFiles(), rl(4988))
      .post('/api/graphql')
      .reply(200, blobAnswer())
      .get(`${REPO_PATH}/pulls/7/comments`)
      .query({ per_page: '100' })
      .reply(200, [], rl(4987))
      .post(`${REPO_PATH}/pulls/7/reviews`)
      .reply(200, { id: 80 }, rl(4986))
      .patch(`${REPO_PATH}/check-runs/${CHECK_RUN_ID}`)
      .reply(200, (_u, body) => checkRunResponse(CHECK_RUN_ID, body as Record<string, unknown>), rl(4985));

    const client = testClient();
    metrics.instrumentOctokit(client as never);
    metrics.instrumentOctokit(client as never); // hooked once, not twice
    const quiet = { info() {}, warn() {}, error() {}, debug() {} };
    const result = await runReview({
      client,
      pr,
      log: quiet,
      metrics,
      loadConfig: async () => {
        await client.rest.repos.getContent({ owner: 'acme', repo: 'shop', path: '.github/pysec.yml' }).catch(() => undefined);
        return { config: defaultConfig(), notices: [] };
      },
    });
    expect(result).toMatchObject({ status: 'completed', outcome: { conclusion: 'failure' } });
    expect(await count(metrics, 'pysec_scan_duration_seconds')).toBe(1);
    expect(await value(metrics, 'pysec_findings_total', { rule: 'command-injection' })).toBe(1);
    expect(await value(metrics, 'pysec_findings_total', { rule: 'unsafe-deserialization' })).toBe(1);
    const json = await metrics.registry.getSingleMetric('pysec_findings_total')?.get();
    for (const v of json?.values ?? []) expect(['critical', 'high', 'medium', 'low', 'info']).toContain(v.labels.severity);
    expect(await value(metrics, 'pysec_github_requests_total', { status_class: '2xx' })).toBe(6);
    expect(await value(metrics, 'pysec_github_requests_total', { status_class: '4xx' })).toBe(1);
    // The last response that carried the header (GraphQL's did not).
    expect(await value(metrics, 'pysec_github_rate_limit_remaining')).toBe(4985);
  });
});

// ---- a real Probot server on 127.0.0.1 ----

async function freePort(): Promise<number> {
  const srv = createNetServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

describe('HTTP endpoints on a Probot server', () => {
  let server: Server;
  let url = '';
  let probe: ReadinessProbe = async () => true;
  const metrics = createMetrics();

  beforeAll(async () => {
    nock.enableNetConnect('127.0.0.1');
    const port = await freePort();
    server = new Server({
      Probot: Probot.defaults({ appId: 1, privateKey: testPrivateKey(), secret: 'test-secret' }),
      host: '127.0.0.1',
      port,
      log: pino({ level: 'silent' }),
      enableStaticFiles: false,
    });
    await server.load(createApp({ metrics, ready: () => probe() }));
    await server.start();
    url = `http://127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server?.stop();
    nock.disableNetConnect();
  });

  it('GET /metrics serves the registry in the Prometheus text format', async () => {
    metrics.webhookReceived('issue_comment', 'created');
    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    expect(text).toContain('# TYPE pysec_jobs_total counter');
    expect(text).toContain('pysec_webhooks_received_total{event="issue_comment.created"} 1');
    expect(text).toContain('# TYPE pysec_scan_duration_seconds histogram');
    expect(text).toMatch(/^pysec_process_resident_memory_bytes \d+/m);
  });

  it('GET /healthz answers ok', async () => {
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
  });

  it('GET /readyz: 200 when the probe says ready, 503 with the reason when not', async () => {
    probe = async () => true;
    let res = await fetch(`${url}/readyz`);
    expect([res.status, await res.text()]).toEqual([200, 'ready']);

    probe = async () => 'redis: connect ECONNREFUSED 127.0.0.1:6379';
    res = await fetch(`${url}/readyz`);
    expect([res.status, await res.text()]).toEqual([503, 'not ready: redis: connect ECONNREFUSED 127.0.0.1:6379']);

    probe = async () => false;
    res = await fetch(`${url}/readyz`);
    expect([res.status, await res.text()]).toEqual([503, 'not ready: not ready']);

    probe = async () => {
      throw new Error('PING failed\nstack');
    };
    res = await fetch(`${url}/readyz`);
    expect([res.status, await res.text()]).toEqual([503, 'not ready: readiness check failed: PING failed']);
    probe = async () => true;
  });

  it('leaves other paths to Probot: /ping, 404, the webhook endpoint', async () => {
    expect((await fetch(`${url}/ping`)).status).toBe(200);
    expect((await fetch(`${url}/nothing-here`)).status).toBe(404);
    expect((await fetch(`${url}/metrics`, { method: 'POST' })).status).toBe(404);
    const hook = await fetch(`${url}/api/github/webhooks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(hook.status).toBe(400);
  });
});

describe('readiness probe', () => {
  it('no probe: ready; a probe slower than the timeout: not ready', async () => {
    expect(await checkReadiness(undefined)).toBe(true);
    const started = Date.now();
    expect(await checkReadiness(() => new Promise(() => {}), 50)).toBe('readiness check timed out after 50 ms');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('the handler ignores other methods and paths', async () => {
    const handler = createHttpHandler({ registry: createMetrics({ defaultMetrics: false }).registry });
    expect(await handler({ method: 'GET', url: '/other' } as never, {} as never)).toBe(false);
    expect(await handler({ method: 'DELETE', url: '/healthz' } as never, {} as never)).toBe(false);
  });
});

// ---- one webhook through Probot: metrics and logs ----

/** Probot's Octokit without retries and throttling (see test/github/handlers.test.ts). */
const TestOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { ...(options.throttle as object), enabled: false },
}));

describe('a review delivered through Probot', () => {
  it('counts the webhook and the job, and every review log line names delivery, repo, PR and job, never the token', async () => {
    const lines: Record<string, unknown>[] = [];
    const raw: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
          raw.push(line);
          lines.push(JSON.parse(line) as Record<string, unknown>);
        }
        done();
      },
    });
    const metrics = createMetrics({ defaultMetrics: false });
    const queue = createMemoryQueue({ concurrency: 1 });
    const probot = new Probot({
      appId: 1,
      privateKey: testPrivateKey(),
      baseUrl: GITHUB_API,
      Octokit: TestOctokit,
      log: pino({ level: 'trace' }, sink),
    });
    await probot.load(createApp({ queue, metrics }));

    const notFound = { message: 'Not Found' };
    nock(GITHUB_ORIGIN)
      .post(`/api/v3/app/installations/${INSTALLATION_ID}/access_tokens`)
      .reply(201, { token: TOKEN, expires_at: new Date(Date.now() + 3_600_000).toISOString(), permissions: {}, repository_selection: 'all' })
      .get(`${REPO_PATH}/contents/.github%2Fpysec.yml`)
      .reply(404, notFound)
      .get('/api/v3/repos/acme/.github/contents/.github%2Fpysec.yml')
      .reply(404, notFound)
      .post(`${REPO_PATH}/check-runs`)
      .reply(201, (_u, body) => checkRunResponse(CHECK_RUN_ID, body as Record<string, unknown>))
      .get(`${REPO_PATH}/pulls/7/files`)
      .query({ per_page: '100' })
      .reply(200, prFiles())
      .post('/api/graphql')
      .reply(200, blobAnswer())
      .get(`${REPO_PATH}/pulls/7/comments`)
      .query({ per_page: '100' })
      .reply(200, [])
      .post(`${REPO_PATH}/pulls/7/reviews`)
      .reply(200, { id: 80 })
      .patch(`${REPO_PATH}/check-runs/${CHECK_RUN_ID}`)
      .reply(200, (_u, body) => checkRunResponse(CHECK_RUN_ID, body as Record<string, unknown>), { 'x-ratelimit-remaining': '4321' });

    const delivery = 'c0ffee00-0000-11f0-8000-000000000001';
    await probot.receive({ id: delivery, name: 'pull_request', payload: loadEvent('pull_request.opened') } as never);
    await queue.onIdle();
    expect(nock.isDone()).toBe(true);

    // Metrics.
    expect(await value(metrics, 'pysec_webhooks_received_total', { event: 'pull_request.opened' })).toBe(1);
    for (const [state, n] of [['queued', 1], ['started', 1], ['completed', 1], ['failed', 0], ['skipped', 0]] as const) {
      expect([state, await value(metrics, 'pysec_jobs_total', { state })]).toEqual([state, n]);
    }
    expect(await value(metrics, 'pysec_jobs_running')).toBe(0);
    expect(await count(metrics, 'pysec_queue_wait_seconds')).toBe(1);
    expect(await count(metrics, 'pysec_review_duration_seconds')).toBe(1);
    expect(await count(metrics, 'pysec_scan_duration_seconds')).toBe(1);
    // Every request of the event's client: the installation token (its auth hook requests it through
    // the same client), check run create/update, files, GraphQL, comments, review = 7; two config 404s.
    expect(await value(metrics, 'pysec_github_requests_total', { status_class: '2xx' })).toBe(7);
    expect(await value(metrics, 'pysec_github_requests_total', { status_class: '4xx' })).toBe(2);
    expect(await value(metrics, 'pysec_github_rate_limit_remaining')).toBe(4321);

    // Logs: the review's own lines carry every id.
    const job = `acme/shop#7@${HEAD_SHA}`;
    const review = lines.filter((l) => l.job === job);
    expect(review.map((l) => l.msg)).toEqual(expect.arrayContaining(['review queued', 'review completed']));
    for (const l of review) {
      expect(l).toMatchObject({ delivery, job, repo: 'acme/shop', pr: 7 });
    }
    // No secret anywhere in what was logged, even at trace level.
    const all = raw.join('\n');
    expect(raw.length).toBeGreaterThan(5);
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain('PRIVATE KEY');
    expect(all).not.toMatch(/authorization/i);
    // No file contents at info (the production level). At debug, Probot's own request logging
    // prints every GitHub request body, and review comments quote code: documented in README.
    const info = raw.filter((_, i) => Number(lines[i]?.level) >= 30).join('\n');
    expect(info).toContain('review completed');
    expect(info).not.toContain('pickle.loads(request.data)');
    expect(info).not.toContain('check_output');
  });
});

describe('job states the queue reports', () => {
  it('a job the queue supersedes counts as superseded; a duplicate is not queued twice', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const jobs: Job[] = [];
    const queue: JobQueue = {
      add: (job) => {
        if (jobs.some((j) => j.id === job.id)) return false;
        jobs.push(job);
        return true;
      },
      onIdle: async () => {},
      size: () => ({ queued: jobs.length, running: 0 }),
    };
    const probot = new Probot({ appId: 1, privateKey: testPrivateKey(), baseUrl: GITHUB_API, log: pino({ level: 'silent' }) });
    await probot.load(createApp({ queue, metrics }));
    const payload = loadEvent('pull_request.synchronize');
    await probot.receive({ id: 'd1', name: 'pull_request', payload } as never);
    await probot.receive({ id: 'd2', name: 'pull_request', payload } as never); // redelivery
    expect(jobs).toHaveLength(1);
    await jobs[0]?.superseded?.();
    expect(await value(metrics, 'pysec_webhooks_received_total', { event: 'pull_request.synchronize' })).toBe(2);
    expect(await value(metrics, 'pysec_jobs_total', { state: 'queued' })).toBe(1);
    expect(await value(metrics, 'pysec_jobs_total', { state: 'superseded' })).toBe(1);
    expect(await value(metrics, 'pysec_jobs_total', { state: 'started' })).toBe(0);
  });
});

describe('observeJob', () => {
  it('a job that throws counts as failed, and the running gauge returns to 0', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    await expect(
      observeJob(metrics, Date.now() - 1500, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await observeJob(metrics, Date.now(), async () => ({ status: 'skipped' as const }));
    expect(await value(metrics, 'pysec_jobs_total', { state: 'failed' })).toBe(1);
    expect(await value(metrics, 'pysec_jobs_total', { state: 'skipped' })).toBe(1);
    expect(await value(metrics, 'pysec_jobs_total', { state: 'started' })).toBe(2);
    expect(await value(metrics, 'pysec_jobs_running')).toBe(0);
    expect(await count(metrics, 'pysec_review_duration_seconds')).toBe(2);
    // The 1.5 s wait landed in the 2 s bucket, not the 1 s one.
    const wait = (await metrics.registry.getSingleMetric('pysec_queue_wait_seconds')?.get())?.values ?? [];
    const bucket = (le: number): number | undefined => wait.find((v) => v.labels.le === le)?.value;
    expect([bucket(1), bucket(2)]).toEqual([1, 2]);
  });

  it('an attempt that hands a retryable GitHub error back to the queue counts as retried, not failed', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const busy = Object.assign(new Error('Service Unavailable'), { status: 503 });
    await expect(
      observeJob(metrics, Date.now(), async () => {
        throw busy;
      }),
    ).rejects.toBe(busy);
    expect(await value(metrics, 'pysec_jobs_total', { state: 'retried' })).toBe(1);
    expect(await value(metrics, 'pysec_jobs_total', { state: 'failed' })).toBe(0);
    expect(await value(metrics, 'pysec_jobs_running')).toBe(0);
  });

  it('a queue that answers asynchronously (Redis) still counts queued once', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const ids = new Set<string>();
    const queue: JobQueue = {
      add: async (job) => !ids.has(job.id) && Boolean(ids.add(job.id)),
      onIdle: async () => {},
      size: async () => ({ queued: ids.size, running: 0 }),
    };
    const probot = new Probot({ appId: 1, privateKey: testPrivateKey(), baseUrl: GITHUB_API, log: pino({ level: 'silent' }) });
    await probot.load(createApp({ queue, metrics }));
    const payload = loadEvent('pull_request.opened');
    await probot.receive({ id: 'd1', name: 'pull_request', payload } as never);
    await probot.receive({ id: 'd2', name: 'pull_request', payload } as never);
    await new Promise((r) => setImmediate(r));
    expect(await value(metrics, 'pysec_jobs_total', { state: 'queued' })).toBe(1);
  });
});
