/**
 * The review queue the app uses: in-process without `REDIS_URL` (the embedded default), BullMQ on
 * Redis with it, so N replicas share one durable queue. Both take the same `Job`; the memory queue
 * calls `job.run`, the Redis queue stores `job.data` and runs `handlers.process(data)` in whichever
 * replica's worker picks it up — so every job must carry both. Both retry GitHub's transient
 * errors with the same backoff, supersede older jobs of a pull request (running ones through
 * their AbortSignal), and bound the reviews of one installation running at once.
 */
import { availableParallelism } from 'node:os';
import { Redis } from 'ioredis';
import { createBullmqQueue, type AttemptInfo, type QueueLogger } from './bullmq.js';
import { createMemoryQueue, type CloseOptions, type Job, type JobQueue, type ReviewJobData } from './memory.js';

export type { AttemptInfo, QueueLogger } from './bullmq.js';
export type { CloseOptions, Job, JobQueue, QueueSize, ReviewJobData } from './memory.js';
export { JobAborted, currentJobContext, type JobContext, type ResumeState } from './context.js';

export interface QueueHandlers {
  /** Runs a review from its data (Redis queue): rebuild the installation client, then review. */
  process: (data: ReviewJobData, info: AttemptInfo) => Promise<void>;
  /** A queued review a newer commit replaced (Redis queue; the memory queue calls `job.superseded`). */
  superseded?: (data: ReviewJobData) => Promise<void>;
  /** A job that threw and will not be retried (memory queue; the Redis queue logs failures itself). */
  onError?: (err: unknown, job: Job) => void;
}

/** How the queue runs reviews (env: see `queueSettingsFromEnv`). */
export interface QueueSettings {
  /** Reviews running at once in this process. */
  concurrency: number;
  /** Reviews of one installation running at once (across replicas on Redis). */
  installationConcurrency: number;
  /** Runs per review, the first included, for GitHub 5xx / 429 / rate limits / timeouts. */
  attempts: number;
  /** First retry delay (doubled each retry, never shorter than retry-after). */
  backoffMs: number;
  maxBackoffMs: number;
  /** SIGTERM: how long running reviews may take to finish. */
  shutdownGraceMs: number;
  /** Timeout of one GitHub API request (Octokit's retries included). */
  githubTimeoutMs: number;
  /**
   * Redis only: BullMQ's stalled-job recovery. A worker holds a job's lock this long (renewed
   * while it runs); a job whose lock expired is taken over by the next stalled check.
   */
  stalled?: StalledSettings;
}

export interface StalledSettings {
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  maxStalledCount?: number;
}

export const DEFAULT_QUEUE_SETTINGS: Readonly<Omit<QueueSettings, 'concurrency'>> = {
  installationConcurrency: 2,
  attempts: 5,
  backoffMs: 2000,
  maxBackoffMs: 10 * 60 * 1000,
  shutdownGraceMs: 25_000,
  githubTimeoutMs: 30_000,
};

/** The defaults: one review per CPU. */
export function defaultQueueSettings(): QueueSettings {
  return { concurrency: availableParallelism(), ...DEFAULT_QUEUE_SETTINGS };
}

/**
 * PYSEC_CONCURRENCY (default: the number of CPUs), PYSEC_INSTALLATION_CONCURRENCY (2),
 * PYSEC_ATTEMPTS (5), PYSEC_SHUTDOWN_GRACE_MS (25000), PYSEC_GITHUB_TIMEOUT_MS (30000).
 * A value that is not a positive integer is ignored (the default applies).
 */
export function queueSettingsFromEnv(env: Record<string, string | undefined>): QueueSettings {
  const settings = defaultQueueSettings();
  const read = (name: string): number | undefined => {
    const raw = env[name]?.trim();
    if (!raw || !/^\d+$/.test(raw)) return undefined;
    const n = Number(raw);
    return n >= 1 ? n : undefined;
  };
  return {
    ...settings,
    concurrency: read('PYSEC_CONCURRENCY') ?? settings.concurrency,
    installationConcurrency: read('PYSEC_INSTALLATION_CONCURRENCY') ?? settings.installationConcurrency,
    attempts: read('PYSEC_ATTEMPTS') ?? settings.attempts,
    shutdownGraceMs: read('PYSEC_SHUTDOWN_GRACE_MS') ?? settings.shutdownGraceMs,
    githubTimeoutMs: read('PYSEC_GITHUB_TIMEOUT_MS') ?? settings.githubTimeoutMs,
  };
}

export interface CreateQueueOptions {
  /** `redis://…` or `rediss://…`; absent: the in-process queue. */
  redisUrl?: string;
  concurrency: number;
  /** Default 2. */
  installationConcurrency?: number;
  /** Default: memory 1 (no retries), Redis 5. The app passes its settings. */
  attempts?: number;
  backoffMs?: number;
  maxBackoffMs?: number;
  log: QueueLogger;
  handlers: QueueHandlers;
  /** Default `pysec-reviews`. */
  queueName?: string;
  /** Default `pysec`. */
  prefix?: string;
  /** BullMQ stalled-job recovery timing (default 30 s lock, 30 s check, 2 takeovers). */
  stalled?: StalledSettings;
}

export interface AppQueue extends JobQueue {
  readonly kind: 'memory' | 'redis';
  /** Stop taking jobs; wait for running ones (at most `graceMs`, then see each queue's close). */
  close(opts?: CloseOptions): Promise<void>;
}

export function createQueue(opts: CreateQueueOptions): AppQueue {
  const retry = {
    ...(opts.attempts !== undefined ? { attempts: opts.attempts } : {}),
    ...(opts.backoffMs !== undefined ? { backoffMs: opts.backoffMs } : {}),
    ...(opts.maxBackoffMs !== undefined ? { maxBackoffMs: opts.maxBackoffMs } : {}),
    ...(opts.installationConcurrency !== undefined ? { installationConcurrency: opts.installationConcurrency } : {}),
  };
  if (!opts.redisUrl) {
    const memory = createMemoryQueue({
      concurrency: opts.concurrency,
      ...retry,
      log: opts.log,
      ...(opts.handlers.onError ? { onError: opts.handlers.onError } : {}),
    });
    return {
      kind: 'memory',
      add: (job) => memory.add(job),
      onIdle: () => memory.onIdle(),
      size: () => memory.size(),
      close: (closeOpts) => memory.close(closeOpts),
    };
  }
  // BullMQ's workers block on Redis: commands must wait for a reconnect rather than fail after N retries.
  const connection = new Redis(opts.redisUrl, { maxRetriesPerRequest: null });
  connection.on('error', (err: Error) => opts.log.error({ err: err.message }, 'Redis connection error'));
  const bull = createBullmqQueue({
    connection,
    queueName: opts.queueName ?? 'pysec-reviews',
    prefix: opts.prefix ?? 'pysec',
    concurrency: opts.concurrency,
    ...retry,
    process: opts.handlers.process,
    ...(opts.handlers.superseded ? { superseded: opts.handlers.superseded } : {}),
    log: opts.log,
    ...(opts.stalled?.lockDurationMs ? { lockDuration: opts.stalled.lockDurationMs } : {}),
    ...(opts.stalled?.stalledIntervalMs ? { stalledInterval: opts.stalled.stalledIntervalMs } : {}),
    ...(opts.stalled?.maxStalledCount !== undefined ? { maxStalledCount: opts.stalled.maxStalledCount } : {}),
  });
  return {
    kind: 'redis',
    add: (job) => bull.add(job),
    onIdle: () => bull.onIdle(),
    size: () => bull.size(),
    async close(closeOpts) {
      await bull.close(closeOpts);
      await connection.quit();
    },
  };
}
