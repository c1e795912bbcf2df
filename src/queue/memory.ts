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
export interface Job {
  /** Deduplication id: repository + PR + head SHA. */
  id: string;
  /** Jobs of the same group supersede each other (repository + PR). */
  group: string;
  run: () => Promise<void>;
  /** Called instead of `run` when a newer job of the group replaced this one before it started. */
  superseded?: () => Promise<void>;
}

export interface JobQueue {
  /** False when the job id is already queued or running. */
  add(job: Job): boolean;
  /** Resolves when nothing is queued or running. */
  onIdle(): Promise<void>;
  size(): { queued: number; running: number };
}

export function createMemoryQueue(opts: { concurrency?: number; onError?: (err: unknown, job: Job) => void } = {}): JobQueue {
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
