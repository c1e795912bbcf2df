/**
 * The embedded job queue: in-process, with the interface the Redis-backed queue will share
 * (issue 6). Webhook handlers only enqueue; reviews run here, after the webhook is answered.
 *
 * - A job id already queued or running is not added again (redeliveries, double deliveries).
 * - A newer job for the same group (repository + pull request) supersedes a queued older one:
 *   reviewing a commit that is no longer the head is wasted work.
 * - At most `concurrency` jobs run at once, and one per group; a job that throws is logged,
 *   never crashes the app.
 */
import type { PullRequestRef } from '../github/contracts.js';

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
  /** Runs the job in this process (the memory queue). */
  run: () => Promise<void>;
  /** The same job as data, required by the Redis queue (which never calls `run`); the memory queue ignores it. */
  data?: ReviewJobData;
  /** Called instead of `run` when a newer job of the group replaced this one before it started. */
  superseded?: () => Promise<void>;
}

export interface JobQueue {
  /** False when the job id is already queued or running (the Redis queue answers asynchronously). */
  add(job: Job): boolean | Promise<boolean>;
  /** Resolves when nothing is queued or running. */
  onIdle(): Promise<void>;
  size(): QueueSize | Promise<QueueSize>;
  /** Graceful shutdown: stop taking jobs, wait for running ones (the memory queue has nothing to close). */
  close?(): Promise<void>;
}

/** The memory queue answers synchronously. */
export interface MemoryQueue extends JobQueue {
  add(job: Job): boolean;
  size(): QueueSize;
}

export function createMemoryQueue(opts: { concurrency?: number; onError?: (err: unknown, job: Job) => void } = {}): MemoryQueue {
  const concurrency = Math.max(1, opts.concurrency ?? 2);
  const queued: Job[] = [];
  const running = new Set<string>();
  let idleWaiters: (() => void)[] = [];

  const settle = (): void => {
    if (queued.length === 0 && running.size === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
    }
  };

  /** Groups with a running job: one review per pull request at a time, or two runs could
   * both read the existing comments before either posts, and comment the same finding twice. */
  const busyGroups = new Set<string>();

  const pump = (): void => {
    while (running.size < concurrency) {
      const index = queued.findIndex((j) => !busyGroups.has(j.group));
      if (index < 0) break;
      const job = queued.splice(index, 1)[0] as Job;
      running.add(job.id);
      busyGroups.add(job.group);
      void job
        .run()
        .catch((err: unknown) => opts.onError?.(err, job))
        .finally(() => {
          running.delete(job.id);
          busyGroups.delete(job.group);
          pump();
          settle();
        });
    }
  };

  return {
    add(job) {
      if (running.has(job.id) || queued.some((j) => j.id === job.id)) return false;
      // Supersede queued (not running) jobs of the same PR.
      for (let i = queued.length - 1; i >= 0; i--) {
        const old = queued[i];
        if (old && old.group === job.group) {
          queued.splice(i, 1);
          void old.superseded?.().catch((err: unknown) => opts.onError?.(err, old));
        }
      }
      queued.push(job);
      // Start on the next tick so the webhook handler returns first.
      setImmediate(pump);
      return true;
    },
    onIdle() {
      if (queued.length === 0 && running.size === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    size() {
      return { queued: queued.length, running: running.size };
    },
  };
}
