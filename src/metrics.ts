/**
 * Prometheus metrics (issue 6). One `Registry` per app instance (never prom-client's global
 * default registry), so tests and several apps in one process do not collide. Served on
 * `/metrics` by src/http.ts.
 *
 * Labels are bounded on purpose: webhook event names (`name.action`), job states, rule ids and
 * severities, HTTP status classes. Never a repository, a pull request or a SHA.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { isRetryable } from './queue/retry.js';

export const METRIC_PREFIX = 'pysec_';

/** `retried`: an attempt that GitHub failed and that the queue runs again (not a failure yet). */
export const JOB_STATES = ['queued', 'started', 'completed', 'failed', 'retried', 'superseded', 'skipped'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** What runReview reports (a narrow view, so the job does not depend on prom-client). */
export interface ReviewObserver {
  scanDuration(seconds: number): void;
  findings(findings: readonly { ruleId: string; severity: string }[]): void;
}

/** The parts of an Octokit client the GitHub request hooks need. */
export interface HookableOctokit {
  hook: {
    after(name: 'request', fn: (response: { status: number; headers: Record<string, unknown> }) => void): void;
    error(name: 'request', fn: (error: unknown) => unknown): void;
  };
}

export interface PysecMetrics extends ReviewObserver {
  readonly registry: Registry;
  webhookReceived(name: string, action?: string): void;
  job(state: JobState): void;
  /** A job starts running: counts it, observes its queue wait; call the result when it ends. */
  jobStarted(queueWaitSeconds: number): () => void;
  reviewDuration(seconds: number): void;
  /** One GitHub API response (or a failure without one: `status` undefined). */
  githubResponse(status: number | undefined, headers?: Record<string, unknown>): void;
  /** Counts every request of this client (idempotent: a client is hooked once). */
  instrumentOctokit(octokit: HookableOctokit): void;
}

const INSTRUMENTED = Symbol('pysec metrics hooks added');

export interface MetricsOptions {
  /** Process metrics (CPU, memory, event loop lag, GC…) prefixed `pysec_`. Default true. */
  defaultMetrics?: boolean;
}

export function createMetrics(opts: MetricsOptions = {}): PysecMetrics {
  const registry = new Registry();
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
  const registers = [registry];

  const webhooks = new Counter({
    name: 'pysec_webhooks_received_total',
    help: 'Webhook deliveries received, by event (name.action)',
    labelNames: ['event'] as const,
    registers,
  });
  const jobs = new Counter({
    name: 'pysec_jobs_total',
    help: 'Review jobs by state transition: queued, started, completed, failed, superseded, skipped',
    labelNames: ['state'] as const,
    registers,
  });
  // Every state starts at 0, so rate() and absence alerts work before the first review.
  for (const state of JOB_STATES) jobs.inc({ state }, 0);
  const running = new Gauge({ name: 'pysec_jobs_running', help: 'Review jobs running now', registers });
  const queueWait = new Histogram({
    name: 'pysec_queue_wait_seconds',
    help: 'Time a review job waited in the queue before it started',
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600],
    registers,
  });
  const scanDuration = new Histogram({
    name: 'pysec_scan_duration_seconds',
    help: 'Time to scan the gathered files of one pull request (rules and dependency checks)',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers,
  });
  const reviewDuration = new Histogram({
    name: 'pysec_review_duration_seconds',
    help: 'Time of one whole review job: config, check run, gather, scan, publish',
    buckets: [0.1, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300],
    registers,
  });
  const findings = new Counter({
    name: 'pysec_findings_total',
    help: 'Findings reported by reviews, by rule and severity',
    labelNames: ['rule', 'severity'] as const,
    registers,
  });
  const githubRequests = new Counter({
    name: 'pysec_github_requests_total',
    help: 'GitHub API responses by status class (2xx, 3xx, 4xx, 5xx; "error" when no response arrived)',
    labelNames: ['status_class'] as const,
    registers,
  });
  const rateLimit = new Gauge({
    name: 'pysec_github_rate_limit_remaining',
    help: 'x-ratelimit-remaining of the latest GitHub API response that carried it',
    registers,
  });

  const githubResponse = (status: number | undefined, headers?: Record<string, unknown>): void => {
    const statusClass = typeof status === 'number' && status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'error';
    githubRequests.inc({ status_class: statusClass });
    const remaining = Number.parseInt(String(headers?.['x-ratelimit-remaining'] ?? ''), 10);
    if (Number.isFinite(remaining)) rateLimit.set(remaining);
  };

  return {
    registry,
    webhookReceived(name, action) {
      webhooks.inc({ event: action ? `${name}.${action}` : name });
    },
    job(state) {
      jobs.inc({ state });
    },
    jobStarted(queueWaitSeconds) {
      jobs.inc({ state: 'started' });
      queueWait.observe(Math.max(0, queueWaitSeconds));
      running.inc();
      let ended = false;
      return () => {
        if (ended) return;
        ended = true;
        running.dec();
      };
    },
    reviewDuration(seconds) {
      reviewDuration.observe(seconds);
    },
    scanDuration(seconds) {
      scanDuration.observe(seconds);
    },
    findings(list) {
      for (const f of list) findings.inc({ rule: f.ruleId, severity: f.severity });
    },
    githubResponse,
    instrumentOctokit(octokit) {
      const marked = octokit as unknown as Record<symbol, boolean>;
      if (marked[INSTRUMENTED]) return;
      marked[INSTRUMENTED] = true;
      octokit.hook.after('request', (response) => githubResponse(response.status, response.headers));
      octokit.hook.error('request', (error) => {
        const e = error as { status?: unknown; response?: { headers?: Record<string, unknown> } };
        githubResponse(typeof e.status === 'number' ? e.status : undefined, e.response?.headers);
        throw error;
      });
    },
  };
}

/**
 * Runs one review job under the job metrics: `started` and the queue wait (from `queuedAt`, ms
 * since the epoch), the running gauge, the review duration, then `completed`, `skipped` or
 * `failed` (a job that throws is `failed`). Shared by every queue's worker path.
 */
export async function observeJob<T extends { status: 'completed' | 'failed' | 'skipped' }>(
  metrics: PysecMetrics | undefined,
  queuedAt: number,
  run: () => Promise<T>,
): Promise<T> {
  if (!metrics) return run();
  const ended = metrics.jobStarted((Date.now() - queuedAt) / 1000);
  const started = performance.now();
  let state: JobState = 'failed';
  try {
    const result = await run();
    state = result.status;
    return result;
  } catch (err) {
    // runReview throws only to hand a retryable GitHub error back to the queue for another
    // attempt (the last attempt completes the check run and returns): not a failed job yet.
    if (isRetryable(err)) state = 'retried';
    throw err;
  } finally {
    metrics.job(state);
    metrics.reviewDuration((performance.now() - started) / 1000);
    ended();
  }
}
