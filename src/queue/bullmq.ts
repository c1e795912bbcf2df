/**
 * The Redis-backed job queue (BullMQ), for N replicas sharing one durable queue (issue 6).
 * Same `JobQueue` interface as the memory queue, but a job travels as data (`job.data`, a
 * `ReviewJobData`): the worker — in whichever replica picks it up — rebuilds the GitHub client
 * from the installation id and runs the review through `process`.
 *
 * - Dedupe: the BullMQ job id is the memory queue's id (repository + PR + head SHA), so a
 *   redelivery or a double delivery to two replicas adds nothing while the job is queued or
 *   running. Finished jobs are removed, as in the memory queue, so a later rescan runs again.
 * - Superseding: Redis keeps the latest job id per group (repository + PR). Adding a newer job
 *   removes the older one if it is still waiting or delayed, and a worker skips any job that is
 *   no longer its group's latest when it starts (`superseded` is called instead).
 * - One running job per group: a Redis lock per group (SET NX PX, refreshed while the job runs,
 *   expiring if the worker dies). A job whose group is busy goes back to `delayed` for
 *   `groupRetryMs` without using up an attempt (BullMQ's DelayedError pattern).
 * - Retries: errors `isRetryable` accepts (GitHub 5xx, 429, secondary rate limits, network
 *   errors) are retried up to `attempts` times with exponential backoff that honours
 *   `retry-after`; every other error fails the job at once (UnrecoverableError).
 * - Crash safety: BullMQ's stalled-job recovery. A worker holds each job's lock for
 *   `lockDuration` (renewed at half of it while the job runs); every `stalledInterval` workers
 *   look for active jobs whose lock expired (the worker died) and put them back in `wait`, up to
 *   `maxStalledCount` times, after which the job fails. Defaults: 30 s, 30 s, 2 — a killed
 *   worker's review restarts within about a minute, and a job that kills its worker twice
 *   is not retried forever.
 */
import { createHash, randomUUID } from 'node:crypto';
import { DelayedError, Queue, UnrecoverableError, Worker, type Job as BullJob } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Job, JobQueue, QueueSize, ReviewJobData } from './memory.js';

export interface QueueLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

/** What the worker tells `process` about the attempt it is running. */
export interface AttemptInfo {
  jobId: string;
  /** 1 for the first run. */
  attempt: number;
  maxAttempts: number;
  /** No retry follows if this attempt throws: the review must complete its check run now. */
  final: boolean;
}

export interface BullmqQueueOptions {
  /** An ioredis client with `maxRetriesPerRequest: null` (BullMQ's workers need it). The caller owns it: `close()` leaves it open. */
  connection: Redis;
  queueName: string;
  /** Redis key prefix (BullMQ's `prefix`). Default `pysec`. */
  prefix?: string;
  /** Jobs this process runs at once (across all groups). */
  concurrency: number;
  process: (data: ReviewJobData, info: AttemptInfo) => Promise<void>;
  /** Called instead of `process` for a job a newer job of its group replaced. */
  superseded?: (data: ReviewJobData) => Promise<void>;
  log: QueueLogger;
  /** False: only enqueue, run no worker in this process. Default true. */
  worker?: boolean;
  /** Attempts per job, the first included. Default 5. */
  attempts?: number;
  /** First retry delay; doubled for each further retry. Default 2 s. */
  backoffMs?: number;
  /** Longest retry delay, `retry-after` included. Default 10 min. */
  maxBackoffMs?: number;
  /** How long a job waits before trying again when its group is busy. Default 1 s. */
  groupRetryMs?: number;
  /** Group lock lifetime, refreshed every third of it while the job runs. Default 60 s. */
  groupLockMs?: number;
  /** BullMQ stalled-job recovery (see the module comment). */
  lockDuration?: number;
  stalledInterval?: number;
  maxStalledCount?: number;
  /** `onIdle()` polling interval. Default 100 ms. */
  idlePollMs?: number;
}

/** What a BullMQ job stores. */
interface StoredJob {
  review: ReviewJobData;
  group: string;
  /** Unique per `add` call: tells the caller whether its add created the job. */
  token: string;
}

export interface BullmqQueue extends JobQueue {
  add(job: Job): Promise<boolean>;
  size(): Promise<QueueSize>;
  close(): Promise<void>;
  /** The BullMQ queue (tests, metrics). */
  readonly queue: Queue<StoredJob>;
}

/** BullMQ forbids ':' in custom ids (it separates key parts) and integer-looking ids. */
export function safeJobId(id: string): string {
  const safe = id.replace(/[%:]/g, (c) => encodeURIComponent(c));
  return /^\d+$/.test(safe) ? `j${safe}` : safe;
}

/** Group keys must not grow with the group's name: hash it. */
function groupHash(group: string): string {
  return createHash('sha256').update(group).digest('hex').slice(0, 32);
}

/** If the job does not exist: remember it as the group's latest and return the previous latest. */
const CLAIM_LATEST = `
if redis.call('EXISTS', KEYS[1]) == 1 then return {0, ''} end
local old = redis.call('GET', KEYS[2])
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
return {1, old or ''}`;

/** Undo CLAIM_LATEST when the add failed, unless someone newer claimed the group since. */
const RESTORE_LATEST = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
end
return 1`;

/** Take (or re-take, after a stall) the group lock for a job. */
const LOCK = `
local cur = redis.call('GET', KEYS[1])
if cur == false or cur == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`;

const REFRESH = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

const UNLOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** The latest-job pointer outlives any plausible queue wait. */
const LATEST_TTL_MS = 7 * 24 * 3600 * 1000;

interface HttpishError {
  status?: unknown;
  code?: unknown;
  name?: unknown;
  message?: unknown;
  cause?: unknown;
  response?: { headers?: Record<string, unknown> };
}

const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

function header(err: HttpishError, name: string): string | undefined {
  const value = err.response?.headers?.[name];
  return value === undefined || value === null ? undefined : String(value);
}

/**
 * Worth retrying: GitHub 5xx, 408, 429, a 403 that is a rate limit (primary: remaining 0;
 * secondary: `retry-after` or the message says so), timeouts and network errors.
 * Everything else (404, 422, a bug) fails the same way on every try.
 */
export function isRetryable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 3) return false;
  const e = err as HttpishError;
  const message = typeof e.message === 'string' ? e.message : '';
  if (typeof e.status === 'number') {
    if (e.status >= 500 || e.status === 408 || e.status === 429) return true;
    if (e.status === 403) {
      return (
        header(e, 'retry-after') !== undefined ||
        header(e, 'x-ratelimit-remaining') === '0' ||
        /secondary rate limit|rate limit exceeded|abuse detection/i.test(message)
      );
    }
    return false;
  }
  if (typeof e.code === 'string' && TRANSIENT_CODES.has(e.code)) return true;
  if (e.name === 'AbortError' || e.name === 'TimeoutError') return true;
  // undici: `TypeError: fetch failed` with the socket error as its cause.
  if (e.cause !== undefined) return isRetryable(e.cause, depth + 1);
  return false;
}

/** How long GitHub asked us to wait (`retry-after` seconds or date, or the primary limit's reset), in ms. */
export function retryAfterMs(err: unknown, now = Date.now()): number | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as HttpishError;
  const after = header(e, 'retry-after');
  if (after !== undefined) {
    const seconds = Number(after);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(after);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  if (header(e, 'x-ratelimit-remaining') === '0') {
    const reset = Number(header(e, 'x-ratelimit-reset'));
    if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - now);
  }
  return undefined;
}

/** Exponential backoff with ±20 % jitter, never shorter than the server's `retry-after`. */
export function backoffDelay(attemptsMade: number, err: unknown, baseMs: number, maxMs: number): number {
  const exp = baseMs * 2 ** Math.max(0, attemptsMade - 1);
  const jittered = exp * (0.8 + Math.random() * 0.4);
  const wanted = Math.max(jittered, retryAfterMs(err) ?? 0);
  return Math.round(Math.min(maxMs, wanted));
}

function describe(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as HttpishError;
    const status = typeof e.status === 'number' ? `HTTP ${e.status}: ` : '';
    return `${status}${String(e.message ?? err).split('\n')[0]}`.slice(0, 500);
  }
  return String(err).slice(0, 500);
}

export function createBullmqQueue(opts: BullmqQueueOptions): BullmqQueue {
  const redis = opts.connection;
  const prefix = opts.prefix ?? 'pysec';
  const attempts = Math.max(1, opts.attempts ?? 5);
  const backoffMs = opts.backoffMs ?? 2000;
  const maxBackoffMs = opts.maxBackoffMs ?? 10 * 60 * 1000;
  const groupRetryMs = opts.groupRetryMs ?? 1000;
  const groupLockMs = opts.groupLockMs ?? 60_000;
  const idlePollMs = opts.idlePollMs ?? 100;
  const log = opts.log;

  const queue = new Queue<StoredJob>(opts.queueName, { connection: redis, prefix });
  queue.on('error', (err) => log.error({ queue: opts.queueName, err: describe(err) }, 'review queue: Redis error'));
  const key = (kind: 'latest' | 'lock', group: string): string => queue.toKey(`pysec-${kind}:${groupHash(group)}`);

  const processJob = async (job: BullJob<StoredJob>, token?: string): Promise<void> => {
    const { review, group } = job.data;
    const id = job.id as string;
    const where = { job: id, repo: `${review.owner}/${review.repo}`, pr: review.number, sha: review.headSha, delivery: review.deliveryId };
    const latest = await redis.get(key('latest', group));
    if (latest !== null && latest !== id) {
      log.info({ ...where, latest }, 'review superseded by a newer commit; skipped');
      await opts.superseded?.(review);
      return;
    }
    const lockKey = key('lock', group);
    const locked = await redis.eval(LOCK, 1, lockKey, id, String(groupLockMs));
    if (locked !== 1) {
      // Another replica reviews this PR right now: come back later, without using an attempt.
      const delay = Math.round(groupRetryMs * (0.8 + Math.random() * 0.4));
      log.debug({ ...where, delay }, 'pull request busy in another job; review delayed');
      await job.moveToDelayed(Date.now() + delay, token);
      throw new DelayedError();
    }
    const heartbeat = setInterval(() => {
      redis.eval(REFRESH, 1, lockKey, id, String(groupLockMs)).catch((err: unknown) => {
        log.warn({ ...where, err: describe(err) }, 'could not refresh the pull request lock');
      });
    }, Math.max(50, Math.floor(groupLockMs / 3)));
    heartbeat.unref();
    const attempt = job.attemptsMade + 1;
    try {
      await opts.process(review, { jobId: id, attempt, maxAttempts: attempts, final: attempt >= attempts });
    } catch (err) {
      if (err instanceof UnrecoverableError || err instanceof DelayedError) throw err;
      if (isRetryable(err)) {
        log.warn({ ...where, attempt, err: describe(err) }, attempt >= attempts ? 'review failed; no attempts left' : 'review failed; will retry');
        throw err;
      }
      throw new UnrecoverableError(describe(err));
    } finally {
      clearInterval(heartbeat);
      await redis.eval(UNLOCK, 1, lockKey, id).catch((err: unknown) => {
        log.warn({ ...where, err: describe(err) }, 'could not release the pull request lock (it expires by itself)');
      });
    }
  };

  let worker: Worker<StoredJob> | undefined;
  if (opts.worker !== false) {
    worker = new Worker<StoredJob>(opts.queueName, processJob, {
      connection: redis,
      prefix,
      concurrency: Math.max(1, opts.concurrency),
      lockDuration: opts.lockDuration ?? 30_000,
      stalledInterval: opts.stalledInterval ?? 30_000,
      maxStalledCount: opts.maxStalledCount ?? 2,
      settings: { backoffStrategy: (attemptsMade, _type, err) => backoffDelay(attemptsMade, err, backoffMs, maxBackoffMs) },
    });
    worker.on('error', (err) => log.error({ queue: opts.queueName, err: describe(err) }, 'review worker: Redis error'));
    worker.on('failed', (job, err) => {
      if (!job) return;
      log.error(
        { job: job.id, attempts: job.attemptsMade, err: describe(err) },
        err instanceof UnrecoverableError ? 'review job failed (not retryable)' : 'review job failed after its last attempt',
      );
    });
  }

  const counts = async (): Promise<QueueSize> => {
    const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
    const n = (k: string): number => c[k] ?? 0;
    return { queued: n('waiting') + n('delayed') + n('prioritized') + n('waiting-children'), running: n('active') };
  };

  const removeIfWaiting = async (oldId: string): Promise<void> => {
    const old = await queue.getJob(oldId);
    if (!old) return;
    const state = await old.getState();
    if (state !== 'waiting' && state !== 'delayed' && state !== 'prioritized') return;
    try {
      await old.remove();
    } catch {
      return; // it started meanwhile: the worker's latest-check skips it
    }
    log.debug({ job: oldId }, 'queued review superseded by a newer commit; removed');
    try {
      await opts.superseded?.(old.data.review);
    } catch (err) {
      log.warn({ job: oldId, err: describe(err) }, 'superseded callback failed');
    }
  };

  return {
    queue,
    async add(job) {
      if (!job.data) throw new Error(`job ${job.id} has no data: the Redis queue stores jobs as data, not closures`);
      const jobId = safeJobId(job.id);
      const latestKey = key('latest', job.group);
      const [created, previous] = (await redis.eval(CLAIM_LATEST, 2, queue.toKey(jobId), latestKey, jobId, String(LATEST_TTL_MS))) as [
        number,
        string,
      ];
      if (created !== 1) return false;
      const token = randomUUID();
      try {
        await queue.add(
          'review',
          { review: job.data, group: job.group, token },
          {
            jobId,
            attempts,
            backoff: { type: 'pysec' },
            removeOnComplete: true,
            removeOnFail: true,
          },
        );
      } catch (err) {
        await redis.eval(RESTORE_LATEST, 1, latestKey, jobId, previous, String(LATEST_TTL_MS)).catch(() => undefined);
        throw err;
      }
      // Two replicas adding the same id at once both pass the claim; BullMQ keeps the first job.
      const stored = await queue.getJob(jobId);
      const added = !stored || stored.data.token === token;
      if (added && previous && previous !== jobId) await removeIfWaiting(previous);
      return added;
    },
    async onIdle() {
      for (;;) {
        const { queued, running } = await counts();
        if (queued === 0 && running === 0) return;
        await new Promise((resolve) => setTimeout(resolve, idlePollMs));
      }
    },
    size: counts,
    async close() {
      // worker.close() stops fetching and waits for running jobs to finish.
      await worker?.close();
      await queue.close();
    },
  };
}
