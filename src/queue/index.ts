/**
 * The review queue the app uses: in-process without `REDIS_URL` (the embedded default), BullMQ on
 * Redis with it, so N replicas share one durable queue. Both take the same `Job`; the memory queue
 * calls `job.run`, the Redis queue stores `job.data` and runs `handlers.process(data)` in whichever
 * replica's worker picks it up — so every job must carry both.
 */
import { Redis } from 'ioredis';
import { createBullmqQueue, type AttemptInfo, type QueueLogger } from './bullmq.js';
import { createMemoryQueue, type Job, type JobQueue, type ReviewJobData } from './memory.js';

export type { AttemptInfo, QueueLogger } from './bullmq.js';
export type { Job, JobQueue, QueueSize, ReviewJobData } from './memory.js';

export interface QueueHandlers {
  /** Runs a review from its data (Redis queue): rebuild the installation client, then review. */
  process: (data: ReviewJobData, info: AttemptInfo) => Promise<void>;
  /** A queued review a newer commit replaced (Redis queue; the memory queue calls `job.superseded`). */
  superseded?: (data: ReviewJobData) => Promise<void>;
  /** A job that threw (memory queue; the Redis queue logs failures itself). */
  onError?: (err: unknown, job: Job) => void;
}

export interface CreateQueueOptions {
  /** `redis://…` or `rediss://…`; absent: the in-process queue. */
  redisUrl?: string;
  concurrency: number;
  log: QueueLogger;
  handlers: QueueHandlers;
  /** Default `pysec-reviews`. */
  queueName?: string;
  /** Default `pysec`. */
  prefix?: string;
}

export interface AppQueue extends JobQueue {
  readonly kind: 'memory' | 'redis';
  close(): Promise<void>;
}

export function createQueue(opts: CreateQueueOptions): AppQueue {
  if (!opts.redisUrl) {
    const memory = createMemoryQueue({
      concurrency: opts.concurrency,
      ...(opts.handlers.onError ? { onError: opts.handlers.onError } : {}),
    });
    return {
      kind: 'memory',
      add: (job) => memory.add(job),
      onIdle: () => memory.onIdle(),
      size: () => memory.size(),
      // Running jobs finish; nothing survives the process anyway.
      close: () => memory.onIdle(),
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
    process: opts.handlers.process,
    ...(opts.handlers.superseded ? { superseded: opts.handlers.superseded } : {}),
    log: opts.log,
  });
  return {
    kind: 'redis',
    add: (job) => bull.add(job),
    onIdle: () => bull.onIdle(),
    size: () => bull.size(),
    async close() {
      await bull.close();
      await connection.quit();
    },
  };
}
