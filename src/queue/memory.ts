/**
 * The embedded job queue: in-process, with the same interface as the Redis-backed queue
 * (./bullmq.ts). Webhook handlers only enqueue; reviews run here, after the webhook is answered.
 *
 * - A job id already queued, waiting for a retry or running is not added again (redeliveries,
 *   double deliveries).
 * - A newer job for the same group (repository + pull request) supersedes the older ones: a
 *   queued one that never ran is dropped (`superseded` is called); a running one has its
 *   signal aborted (`JobAborted('superseded')`) so it stops at its next step boundary and
 *   completes its own check run; one waiting for a retry (it may have a check run already) is
 *   run again at once with its signal aborted, for the same reason.
 * - At most `concurrency` jobs run at once, one per group (two runs of one pull request could
 *   both read the existing comments before either posts, and comment a finding twice), and at
 *   most `installationConcurrency` per GitHub App installation.
 * - Retries: a job that throws an error `isRetryable` accepts runs again after `backoffDelay`
 *   (exponential, honouring retry-after), up to `attempts` runs; the job sees which attempt it
 *   is in its `JobContext`. Other errors go to `onError`; nothing crashes the app.
 * - Shutdown (`close({ graceMs })`): stop taking jobs, drop queued ones that never ran (nothing
 *   survives the process anyway: use Redis for durability), let running ones finish; at the
 *   deadline abort them (`JobAborted('shutdown')`) so they complete their check runs, and
 *   give them `abortWaitMs` to do so.
 */
import type { PullRequestRef } from '../github/contracts.js';
import { JobAborted, runInJobContext, type JobContext, type QueueLogger, type ResumeState } from './context.js';
import { backoffDelay, describeFailure, isRetryable } from './retry.js';

/**
 * A review as serialisable data, for queues that store jobs outside the process (the Redis
 * queue in ./bullmq.ts): the worker rebuilds the installation client from `installationId`.
 */
export interface ReviewJobData extends PullRequestRef {
  installationId: number;
  /** Review drafts regardless of configuration (an explicit re-run). */
  force: boolean;
  /** X-GitHub-Delivery of the webhook that queued the review (for logs). */
  deliveryId?: string;
}

export interface QueueSize {
  queued: number;
  running: number;
}

export interface Job {
  /** Deduplication id: repository + PR + head SHA. */
  id: string;
  /** Jobs of the same group supersede each other (repository + PR). */
  group: string;
  /** Runs the job in this process (the memory queue); `ctx` is also `currentJobContext()` inside. */
  run: (ctx: JobContext) => Promise<void>;
  /** The same job as data, required by the Redis queue (which never calls `run`); the memory queue ignores it. */
  data?: ReviewJobData;
  /** Concurrency key (default: `data.installationId`); jobs without one are only bound by `concurrency`. */
  installation?: string;
  /** Called instead of `run` when a newer job of the group replaced this one before it started. */
  superseded?: () => Promise<void>;
}

export interface CloseOptions {
  /** How long running jobs may take to finish before they are told to stop. Default: no limit. */
  graceMs?: number;
}

export interface JobQueue {
  /** False when the job id is already queued or running (the Redis queue answers asynchronously). */
  add(job: Job): boolean | Promise<boolean>;
  /** Resolves when nothing is queued, waiting for a retry or running. */
  onIdle(): Promise<void>;
  size(): QueueSize | Promise<QueueSize>;
  /** Graceful shutdown: stop taking jobs, let running ones finish (within `graceMs`). */
  close?(opts?: CloseOptions): Promise<void>;
}

export interface MemoryQueueOptions {
  /** Jobs running at once. Default 2. */
  concurrency?: number;
  /** Jobs of one installation running at once. Default 2. */
  installationConcurrency?: number;
  /** Runs per job, the first included. Default 1 (no retries; the app passes more). */
  attempts?: number;
  /** First retry delay, doubled for each further retry. Default 2 s. */
  backoffMs?: number;
  /** Longest retry delay, retry-after included. Default 10 min. */
  maxBackoffMs?: number;
  /** After the grace period, how long aborted jobs get to complete their check runs. Default 5 s. */
  abortWaitMs?: number;
  /** A job that threw and will not be retried. */
  onError?: (err: unknown, job: Job) => void;
  log?: QueueLogger;
}

/** The memory queue answers synchronously. */
export interface MemoryQueue extends JobQueue {
  add(job: Job): boolean;
  size(): QueueSize;
  close(opts?: CloseOptions): Promise<void>;
}

interface Entry {
  job: Job;
  /** The attempt the next run will be (1-based). */
  attempt: number;
  controller: AbortController;
  state: ResumeState;
  timer?: NodeJS.Timeout;
}

function installationKey(job: Job): string | undefined {
  return job.installation ?? (job.data ? String(job.data.installationId) : undefined);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref());

export function createMemoryQueue(opts: MemoryQueueOptions = {}): MemoryQueue {
  const concurrency = Math.max(1, opts.concurrency ?? 2);
  const perInstallation = Math.max(1, opts.installationConcurrency ?? 2);
  const attempts = Math.max(1, opts.attempts ?? 1);
  const backoffMs = opts.backoffMs ?? 2000;
  const maxBackoffMs = opts.maxBackoffMs ?? 10 * 60 * 1000;
  const abortWaitMs = opts.abortWaitMs ?? 5000;
  const log = opts.log;

  const queued: Entry[] = [];
  /** Waiting for their retry timer. */
  const delayed = new Map<string, Entry>();
  const running = new Map<string, Entry>();
  const busyGroups = new Set<string>();
  const perInstallationRunning = new Map<string, number>();
  let idleWaiters: (() => void)[] = [];
  let closing = false;

  const isIdle = (): boolean => queued.length === 0 && delayed.size === 0 && running.size === 0;
  const settle = (): void => {
    if (!isIdle()) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
  };

  const installationFull = (job: Job): boolean => {
    const key = installationKey(job);
    return key !== undefined && (perInstallationRunning.get(key) ?? 0) >= perInstallation;
  };

  /** Run a delayed entry now (its signal is aborted: it only completes its check run). */
  const wake = (entry: Entry): void => {
    clearTimeout(entry.timer);
    delayed.delete(entry.job.id);
    queued.unshift(entry);
  };

  const pump = (): void => {
    while (running.size < concurrency) {
      // While closing, only aborted entries run: they complete the check runs of earlier attempts.
      const index = queued.findIndex(
        (e) => !busyGroups.has(e.job.group) && !installationFull(e.job) && (!closing || e.controller.signal.aborted),
      );
      if (index < 0) break;
      start(queued.splice(index, 1)[0] as Entry);
    }
  };

  const start = (entry: Entry): void => {
    const { job } = entry;
    const key = installationKey(job);
    running.set(job.id, entry);
    busyGroups.add(job.group);
    if (key !== undefined) perInstallationRunning.set(key, (perInstallationRunning.get(key) ?? 0) + 1);
    const attempt = entry.attempt;
    const ctx: JobContext = {
      jobId: job.id,
      attempt,
      maxAttempts: attempts,
      final: attempt >= attempts,
      signal: entry.controller.signal,
      state: entry.state,
      save: async (patch) => void Object.assign(entry.state, patch),
    };
    void runInJobContext(ctx, () => job.run(ctx))
      .catch((err: unknown) => failed(entry, err))
      .finally(() => {
        running.delete(job.id);
        busyGroups.delete(job.group);
        if (key !== undefined) {
          const n = (perInstallationRunning.get(key) ?? 1) - 1;
          if (n > 0) perInstallationRunning.set(key, n);
          else perInstallationRunning.delete(key);
        }
        pump();
        settle();
      });
  };

  const failed = (entry: Entry, err: unknown): void => {
    const { job } = entry;
    const retry = isRetryable(err) && entry.attempt < attempts && !entry.controller.signal.aborted;
    if (!retry) {
      opts.onError?.(err, job);
      return;
    }
    entry.attempt++;
    if (closing) {
      // No time for a retry: run once more, aborted, so the job completes what it started.
      entry.controller.abort(new JobAborted('shutdown'));
      queued.unshift(entry);
      return;
    }
    const delay = backoffDelay(entry.attempt - 1, err, backoffMs, maxBackoffMs);
    log?.warn({ job: job.id, attempt: entry.attempt - 1, delay, err: describeFailure(err) }, 'review failed; will retry');
    delayed.set(job.id, entry);
    entry.timer = setTimeout(() => {
      if (delayed.get(job.id) !== entry) return;
      delayed.delete(job.id);
      queued.push(entry);
      pump();
    }, delay);
  };

  return {
    add(job) {
      if (closing) {
        log?.warn({ job: job.id }, 'shutting down: review not queued');
        return false;
      }
      if (running.has(job.id) || delayed.has(job.id) || queued.some((e) => e.job.id === job.id)) return false;
      // Built only when something is superseded: an Error captures a stack trace, which is
      // measurable on the webhook path when nothing needs it.
      let cached: JobAborted | undefined;
      const reason = (): JobAborted => (cached ??= new JobAborted('superseded', job.id));
      for (let i = queued.length - 1; i >= 0; i--) {
        const old = queued[i];
        if (!old || old.job.group !== job.group) continue;
        if (old.attempt > 1) {
          // It ran before and may have a check run: it runs once more, aborted, to complete it.
          old.controller.abort(reason());
          continue;
        }
        queued.splice(i, 1);
        void old.job.superseded?.().catch((err: unknown) => opts.onError?.(err, old.job));
      }
      for (const old of [...delayed.values()]) {
        if (old.job.group !== job.group) continue;
        old.controller.abort(reason());
        wake(old);
      }
      for (const old of running.values()) if (old.job.group === job.group) old.controller.abort(reason());
      queued.push({ job, attempt: 1, controller: new AbortController(), state: {} });
      // Start on the next tick so the webhook handler returns first.
      setImmediate(pump);
      return true;
    },
    onIdle() {
      if (isIdle()) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    size() {
      return { queued: queued.length + delayed.size, running: running.size };
    },
    async close(closeOpts = {}) {
      closing = true;
      const dropped = queued.filter((e) => e.attempt === 1 && !e.controller.signal.aborted);
      for (const e of dropped) queued.splice(queued.indexOf(e), 1);
      if (dropped.length > 0) log?.warn({ jobs: dropped.map((e) => e.job.id) }, 'shutting down: queued reviews dropped (re-run them)');
      // Jobs that ran before may own a check run: one last, aborted run completes it.
      const shutdown = new JobAborted('shutdown');
      for (const e of queued) if (!e.controller.signal.aborted) e.controller.abort(shutdown);
      for (const e of [...delayed.values()]) {
        e.controller.abort(shutdown);
        wake(e);
      }
      pump();
      settle();
      const idle = new Promise<void>((resolve) => {
        if (isIdle()) resolve();
        else idleWaiters.push(resolve);
      });
      const grace = closeOpts.graceMs;
      if (grace === undefined || !Number.isFinite(grace)) return idle;
      const finished = await Promise.race([idle.then(() => true), sleep(grace).then(() => false)]);
      if (finished) return;
      log?.warn({ jobs: [...running.keys()], graceMs: grace }, 'shutdown grace period over: stopping running reviews');
      for (const e of running.values()) e.controller.abort(shutdown);
      await Promise.race([idle, sleep(abortWaitMs)]);
    },
  };
}
