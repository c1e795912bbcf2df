/**
 * The Probot application. `createApp(deps)` wires handlers to their collaborators, so tests
 * can pass a queue (and observe reviews) while production uses the defaults.
 */
import { Context, type ApplicationFunction, type ApplicationFunctionOptions, type Probot } from 'probot';
import { registerHandlers, type HandlerDeps } from './github/handlers.js';
import { createMetrics, observeJob, type PysecMetrics } from './metrics.js';
import { createQueue, type AppQueue, type QueueLogger, type ReviewJobData } from './queue/index.js';
import { describeError, runReview, type ReviewLogger } from './github/job.js';
import { CONFIG_FILE, loadConfigSafely } from './github/config.js';
import type { GitHubClient } from './github/contracts.js';
import { createHttpHandler, type ReadinessProbe } from './http.js';
import { createMemoryQueue } from './queue/memory.js';

export interface AppDeps {
  queue?: HandlerDeps['queue'];
  onReviewed?: HandlerDeps['onReviewed'];
  advisories?: HandlerDeps['advisories'];
  /** The app's metrics (default: a new registry per app instance). */
  metrics?: PysecMetrics;
  /** Readiness for `/readyz` (e.g. a Redis PING): true, or false / a reason when not ready. */
  ready?: ReadinessProbe;
  /**
   * `redis://…`: reviews go through a BullMQ queue on Redis shared by every replica (durable,
   * deduplicated across replicas). Absent: the in-process queue.
   */
  redisUrl?: string;
  /** Redis key prefix of the queue (default `pysec`): lets tests and several apps share a server. */
  queuePrefix?: string;
  /** Called with the queue the app created (tests close it; production closes it on SIGTERM). */
  onQueue?: (queue: AppQueue) => void;
}

export function createApp(deps: AppDeps = {}): ApplicationFunction {
  return (app: Probot, options?: ApplicationFunctionOptions) => {
    const metrics = deps.metrics ?? createMetrics();
    const queue =
      deps.queue ??
      (deps.redisUrl
        ? createRedisQueue(app, deps, metrics)
        : createMemoryQueue({
            concurrency: 2,
            onError: (err, job) => app.log.error({ job: job.id, err: describeError(err) }, 'review job crashed'),
          }));
    registerHandlers(app, {
      queue,
      ...(deps.onReviewed ? { onReviewed: deps.onReviewed } : {}),
      ...(deps.advisories ? { advisories: deps.advisories } : {}),
      metrics,
    });
    app.onAny(async (context) => {
      const action = (context.payload as { action?: unknown }).action;
      metrics.webhookReceived(context.name, typeof action === 'string' ? action : undefined);
    });
    // /metrics, /healthz, /readyz on Probot's server. Probot without a server (probot.receive in
    // tests) has no addHandler, or one that throws "No server instance".
    try {
      options?.addHandler(createHttpHandler({ registry: metrics.registry, ...(deps.ready ? { ready: deps.ready } : {}) }));
    } catch {
      app.log.debug('no HTTP server: /metrics, /healthz and /readyz are not served');
    }
    app.log.info('pysec is ready');
  };
}

/**
 * The Redis-backed queue. Its jobs are data, not closures: the worker (on any replica) rebuilds
 * the installation client with `app.auth(installationId)` and a Probot Context for
 * `.github/pysec.yml`, exactly as the webhook handler would have.
 */
function createRedisQueue(app: Probot, deps: AppDeps, metrics: PysecMetrics): AppQueue {
  const queue = createQueue({
    ...(deps.redisUrl ? { redisUrl: deps.redisUrl } : {}),
    ...(deps.queuePrefix ? { prefix: deps.queuePrefix } : {}),
    concurrency: 2,
    log: app.log as unknown as QueueLogger,
    handlers: {
      superseded: async () => metrics.job('superseded'),
      process: async (data: ReviewJobData, info) => {
        const { installationId, force, deliveryId, ...pr } = data;
        const octokit = await app.auth(installationId);
        metrics.instrumentOctokit(octokit as never);
        const log = app.log.child({ delivery: deliveryId, job: info.jobId }) as unknown as ReviewLogger;
        const context = new Context(
          {
            id: deliveryId ?? info.jobId,
            name: 'pull_request',
            payload: { repository: { owner: { login: pr.owner }, name: pr.repo }, installation: { id: installationId } },
          } as never,
          octokit,
          app.log.child({ job: info.jobId }),
        );
        const result = await observeJob(metrics, Date.now(), () =>
          runReview({
            client: octokit as unknown as GitHubClient,
            pr,
            log,
            force,
            metrics,
            ...(deps.advisories ? { advisories: deps.advisories } : {}),
            loadConfig: () => loadConfigSafely(() => context.config(CONFIG_FILE)),
          }),
        );
        deps.onReviewed?.(pr, result);
      },
    },
  });
  // Stop taking jobs on SIGTERM; BullMQ finishes the running ones (or another replica picks them up).
  process.once('SIGTERM', () => void queue.close());
  deps.onQueue?.(queue);
  return queue;
}
