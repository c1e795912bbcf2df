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
 *   no longer its group's latest when it starts (`superseded` is called instead). A running job
 *   polls the pointer (`supersedePollMs`, and `refresh()` before it publishes) and has its
 *   signal aborted when a newer job appears. A job that ran before (a retry waiting, with a
 *   check run saved in its data) is not removed but run once more, aborted, so it completes
 *   that check run.
 * - Per-installation limit: a Redis sorted set per installation holds the running job ids,
 *   scored by expiry (refreshed while the job runs, so a dead worker's slot frees itself); a
 *   job that finds `installationConcurrency` slots taken goes back to `delayed` like a busy PR.
 * - State between attempts (`JobContext.save`): stored in the job's data (`job.updateData`).
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
 * - Shutdown (`close({ graceMs })`): the worker stops fetching and running jobs get `graceMs`;
 *   any still running then are left active and reach another worker through stalled-job
 *   recovery once their lock expires (the process is about to exit).
 */
import { createHash, randomUUID } from 'node:crypto';
import { DelayedError, Queue, UnrecoverableError, Worker, type Job as BullJob } from 'bullmq';
import type { Redis } from 'ioredis';
import { JobAborted, runInJobContext, type JobContext, type QueueLogger, type ResumeState } from './context.js';
import type { CloseOptions, Job, JobQueue, QueueSize, ReviewJobData } from './memory.js';
import { backoffDelay, describeFailure as describe, isRetryable } from './retry.js';

export type { QueueLogger } from './context.js';
export { backoffDelay, isRetryable, retryAfterMs } from './retry.js';

/** What the worker tells `process` about the attempt it is running (the job context). */
export type AttemptInfo = JobContext;

export interface BullmqQueueOptions {
  /** An ioredis client with `maxRetriesPerRequest: null` (BullMQ's workers need it). The caller owns it: `close()` leaves it open. */
  connection: Redis;
  queueName: string;
  /** Redis key prefix (BullMQ's `prefix`). Default `pysec`. */
  prefix?: string;
  /** Jobs this process runs at once (across all groups). */
  concurrency: number;
  process: (data: ReviewJobData, info: AttemptInfo) => Promise<void>;
  /** Called instead of `process` for a job a newer job of its group replaced before it ever ran. */
  superseded?: (data: ReviewJobData) => Promise<void>;
  log: QueueLogger;
  /** Jobs of one installation running at once, across every replica. Default 2. */
  installationConcurrency?: number;
  /** How often a running job checks whether a newer commit superseded it. Default 1 s. */
  supersedePollMs?: number;
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
  /** Saved by earlier attempts (the check run they created). */
  state?: ResumeState;
}

export interface BullmqQueue extends JobQueue {
  add(job: Job): Promise<boolean>;
  size(): Promise<QueueSize>;
  /**
   * Stop taking jobs and wait for running ones; after `graceMs` stop waiting: jobs still running
   * are left active in Redis and BullMQ's stalled-job recovery hands them to another worker once
   * their lock expires (`lockDuration`).
   */
  close(opts?: CloseOptions): Promise<void>;
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

/** Take (or refresh) a slot of an installation's semaphore: a sorted set of job ids scored by expiry. */
const ACQUIRE_SLOT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZSCORE', KEYS[1], ARGV[1]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return 1
end
return 0`;

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

  const perInstallation = Math.max(1, opts.installationConcurrency ?? 2);
  const supersedePollMs = opts.supersedePollMs ?? 1000;
  const slotKey = (installationId: number): string => queue.toKey(`pysec-installation:${installationId}`);
  /** Jobs this worker runs now: `close` waits for them (within its grace period). */
  const active = new Set<Promise<unknown>>();

  /** Back to `delayed` for about `groupRetryMs`, without using an attempt (BullMQ's DelayedError pattern). */
  const later = async (job: BullJob<StoredJob>, token: string | undefined, where: object, why: string): Promise<never> => {
    const delay = Math.round(groupRetryMs * (0.8 + Math.random() * 0.4));
    log.debug({ ...where, delay }, why);
    await job.moveToDelayed(Date.now() + delay, token);
    throw new DelayedError();
  };

  const processJob = async (job: BullJob<StoredJob>, token?: string): Promise<void> => {
    const { review, group } = job.data;
    const id = job.id as string;
    const where = { job: id, repo: `${review.owner}/${review.repo}`, pr: review.number, sha: review.headSha, delivery: review.deliveryId };
    const latestKey = key('latest', group);
    const controller = new AbortController();
    const checkLatest = async (): Promise<void> => {
      const latest = await redis.get(latestKey);
      if (latest !== null && latest !== id && !controller.signal.aborted) controller.abort(new JobAborted('superseded', latest));
    };
    await checkLatest();
    // A job that ran before may own a check run: it runs once more, aborted, to complete it.
    const ranBefore = job.data.state?.checkRunId !== undefined || job.attemptsMade > 0;
    if (controller.signal.aborted && !ranBefore) {
      log.info({ ...where, latest: (controller.signal.reason as JobAborted).by }, 'review superseded by a newer commit; skipped');
      await opts.superseded?.(review);
      return;
    }
    const lockKey = key('lock', group);
    const locked = await redis.eval(LOCK, 1, lockKey, id, String(groupLockMs));
    // Another replica reviews this PR right now: come back later.
    if (locked !== 1) await later(job, token, where, 'pull request busy in another job; review delayed');
    // An aborted run only completes its check run: it needs no installation slot.
    const slot = controller.signal.aborted ? undefined : slotKey(review.installationId);
    if (slot !== undefined) {
      const got = await redis.eval(ACQUIRE_SLOT, 1, slot, id, String(perInstallation), String(groupLockMs));
      if (got !== 1) {
        await redis.eval(UNLOCK, 1, lockKey, id);
        await later(job, token, where, 'installation at its concurrency limit; review delayed');
      }
    }
    const heartbeat = setInterval(() => {
      const refreshes = [redis.eval(REFRESH, 1, lockKey, id, String(groupLockMs))];
      if (slot !== undefined) refreshes.push(redis.eval(ACQUIRE_SLOT, 1, slot, id, String(perInstallation), String(groupLockMs)));
      Promise.all(refreshes).catch((err: unknown) => {
        log.warn({ ...where, err: describe(err) }, 'could not refresh the pull request lock');
      });
    }, Math.max(50, Math.floor(groupLockMs / 3)));
    heartbeat.unref();
    const poll = setInterval(() => {
      checkLatest().catch((err: unknown) => log.debug({ ...where, err: describe(err) }, 'could not check for a newer commit'));
    }, supersedePollMs);
    poll.unref();
    const attempt = job.attemptsMade + 1;
    const ctx: JobContext = {
      jobId: id,
      attempt,
      recovered: (job.stalledCounter ?? 0) > 0,
      maxAttempts: attempts,
      final: attempt >= attempts,
      signal: controller.signal,
      refresh: checkLatest,
      state: { ...(job.data.state ?? {}) },
      save: async (patch) => {
        Object.assign(ctx.state, patch);
        try {
          await job.updateData({ ...job.data, state: { ...ctx.state } });
        } catch (err) {
          log.warn({ ...where, err: describe(err) }, 'could not save the job state');
        }
      },
    };
    const running = runInJobContext(ctx, () => opts.process(review, ctx));
    active.add(running);
    try {
      await running;
    } catch (err) {
      if (err instanceof UnrecoverableError || err instanceof DelayedError) throw err;
      if (isRetryable(err)) {
        log.warn({ ...where, attempt, err: describe(err) }, attempt >= attempts ? 'review failed; no attempts left' : 'review failed; will retry');
        throw err;
      }
      throw new UnrecoverableError(describe(err));
    } finally {
      active.delete(running);
      clearInterval(heartbeat);
      clearInterval(poll);
      const releases = [redis.eval(UNLOCK, 1, lockKey, id)];
      if (slot !== undefined) releases.push(redis.zrem(slot, id));
      await Promise.all(releases).catch((err: unknown) => {
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
    if (old.data.state?.checkRunId !== undefined || old.attemptsMade > 0) {
      // It ran before and may own a check run: let it run now; the worker sees it was
      // superseded and runs it aborted, so it completes that check run.
      if (state === 'delayed') await old.promote().catch(() => undefined);
      return;
    }
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
    async close(closeOpts = {}) {
      if (worker) {
        const grace = closeOpts.graceMs;
        if (grace !== undefined && Number.isFinite(grace)) {
          // Stop fetching, then wait for the running jobs, at most `grace`.
          await worker.pause(true);
          let timer: NodeJS.Timeout | undefined;
          const finished = await Promise.race([
            Promise.allSettled([...active]).then(() => true),
            new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), grace))),
          ]);
          clearTimeout(timer);
          if (!finished) log.warn({ queue: opts.queueName, jobs: active.size, graceMs: grace }, 'shutdown grace period over: running reviews left to stalled-job recovery');
          await worker.close(!finished);
        } else {
          // worker.close() stops fetching and waits for running jobs to finish.
          await worker.close();
        }
      }
      await queue.close();
    },
  };
}
