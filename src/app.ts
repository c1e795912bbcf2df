/**
 * The Probot application. `createApp(deps)` wires handlers to their collaborators, so tests
 * can pass a queue (and observe reviews) while production uses the defaults.
 */
import { Context, type ApplicationFunction, type ApplicationFunctionOptions, type Probot } from 'probot';
import { registerHandlers, type FastReceiver, type HandlerDeps } from './github/handlers.js';
import { createMetrics, observeJob, type HookableOctokit, type PysecMetrics } from './metrics.js';
import { createQueue, defaultQueueSettings, type AppQueue, type QueueLogger, type QueueSettings, type ReviewJobData } from './queue/index.js';
import { describeError, runReview, type ReviewLogger, type Scanner } from './github/job.js';
import { CONFIG_FILE, loadConfigSafely } from './github/config.js';
import type { GitHubClient } from './github/contracts.js';
import { createHttpHandler, type ReadinessProbe } from './http.js';
import { createScanPool, type ScanPool } from './scan/pool.js';

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
  /** Called with the queue the app created (tests close it). */
  onQueue?: (queue: AppQueue) => void;
  /** Concurrency, retries, shutdown grace, GitHub request timeout (default: `defaultQueueSettings()`). */
  settings?: Partial<QueueSettings>;
  /**
   * Handle SIGTERM (production, src/index.ts): stop taking jobs, let running reviews finish
   * within `settings.shutdownGraceMs`, close the queue, exit.
   */
  handleSignals?: boolean;
  /**
   * Scan Python files on worker threads (default: a pool sized to the machine, threads started
   * on demand, so a large pull request uses every core and webhooks stay responsive). `false`
   * scans on the event loop.
   */
  scanPool?: ScanPool | false;
  /**
   * Given the fast path for pull request deliveries (src/server.ts routes them to it, skipping
   * Probot's per-event client). Events it returns null for go through Probot as usual.
   */
  onFastPath?: (receive: FastReceiver) => void;
  /**
   * Start the scan pool's threads when the app loads (production: see src/production.ts), so
   * the first reviews do not wait for them, or compete with webhook answers while they load.
   */
  warmScanPool?: boolean;
}

function actionOf(payload: unknown): string | undefined {
  const action = (payload as { action?: unknown } | null)?.action;
  return typeof action === 'string' ? action : undefined;
}

const TIMEOUT_HOOK = Symbol('pysec request timeout');

interface HookedOctokit {
  hook: { before(name: 'request', fn: (options: RequestOptions) => void): void };
}
interface RequestOptions {
  request?: { signal?: AbortSignal } & Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * Give every request of a client a deadline: Octokit (fetch) has no timeout of its own, so a
 * GitHub that never answers would hold a review, its pull request's lock and a queue slot
 * forever. The deadline covers Octokit's own retries of the request; a timeout is a
 * retryable error for the queue.
 */
export function applyRequestTimeout(octokit: object, timeoutMs: number): void {
  const marked = octokit as Record<symbol, boolean>;
  const hook = (octokit as Partial<HookedOctokit>).hook;
  if (marked[TIMEOUT_HOOK] || typeof hook?.before !== 'function') return;
  marked[TIMEOUT_HOOK] = true;
  // Octokit's hooks share one options object per request (before-after-hook binds it to every
  // hook): set the signal on it rather than passing a copy on.
  hook.before('request', (options) => {
    const own = options.request?.signal;
    const deadline = AbortSignal.timeout(timeoutMs);
    options.request = { ...options.request, signal: own ? AbortSignal.any([own, deadline]) : deadline };
  });
}

/**
 * Every GitHub client the app uses passes through `metrics.instrumentOctokit` (the handlers
 * call it for each event's client and each installation client): the request timeout goes on
 * at the same point.
 */
function withRequestTimeout(metrics: PysecMetrics, timeoutMs: number): PysecMetrics {
  const wrapped = Object.create(metrics) as PysecMetrics;
  wrapped.instrumentOctokit = (octokit: HookableOctokit) => {
    metrics.instrumentOctokit(octokit);
    applyRequestTimeout(octokit, timeoutMs);
  };
  return wrapped;
}

export function createApp(deps: AppDeps = {}): ApplicationFunction {
  return (app: Probot, options?: ApplicationFunctionOptions) => {
    const settings: QueueSettings = { ...defaultQueueSettings(), ...deps.settings };
    const metrics = deps.metrics ?? createMetrics();
    const clientMetrics = withRequestTimeout(metrics, settings.githubTimeoutMs);
    // One pool for the app's lifetime: threads start on demand and load tree-sitter once.
    // Every review goes through it (minFiles 1): besides keeping the event loop free, worker
    // threads are recycled, which releases the native memory tree-sitter leaks per parse.
    const pool = deps.scanPool === false ? undefined : (deps.scanPool ?? createScanPool({ minFiles: 1 }));
    const scanner: Scanner | undefined = pool ? (files, o) => pool.scan(files, o) : undefined;
    if (pool && deps.warmScanPool) {
      pool.warm().catch((err: unknown) => app.log.warn({ err: describeError(err) }, 'could not start the scan threads ahead of time'));
    }
    let queue: HandlerDeps['queue'];
    if (deps.queue) {
      queue = deps.queue;
    } else {
      const created = createAppQueue(app, deps, settings, clientMetrics, scanner);
      deps.onQueue?.(created);
      queue = created;
    }
    registerHandlers(app, {
      ...(scanner ? { scanner } : {}),
      queue,
      ...(deps.onReviewed ? { onReviewed: deps.onReviewed } : {}),
      ...(deps.advisories ? { advisories: deps.advisories } : {}),
      metrics: clientMetrics,
      ...(deps.onFastPath
        ? {
            exposeFastPath: (receive: FastReceiver) =>
              deps.onFastPath?.((event) => {
                const handled = receive(event);
                // Probot's onAny (below) counts the events it delivers; these never reach it.
                if (handled) metrics.webhookReceived(event.name, actionOf(event.payload));
                return handled;
              }),
          }
        : {}),
    });
    app.onAny(async (context) => {
      metrics.webhookReceived(context.name, actionOf(context.payload));
    });
    // /metrics, /healthz, /readyz on Probot's server. Probot without a server (probot.receive in
    // tests) has no addHandler, or one that throws "No server instance".
    try {
      options?.addHandler(createHttpHandler({ registry: metrics.registry, ...(deps.ready ? { ready: deps.ready } : {}) }));
    } catch {
      app.log.debug('no HTTP server: /metrics, /healthz and /readyz are not served');
    }
    if (deps.handleSignals) {
      process.once('SIGTERM', () => {
        app.log.info({ graceMs: settings.shutdownGraceMs }, 'SIGTERM: no new reviews; waiting for running ones');
        void (queue.close?.({ graceMs: settings.shutdownGraceMs }) ?? Promise.resolve())
          .then(() => pool?.close())
          .catch((err: unknown) => app.log.error({ err: describeError(err) }, 'could not close the review queue'))
          .finally(() => {
            app.log.info('pysec stopped');
            process.exit(0);
          });
      });
    }
    app.log.info('pysec is ready');
  };
}

/**
 * The review queue: in-process, or on Redis with `redisUrl`. A Redis job is data, not a
 * closure: the worker (on any replica) rebuilds the installation client with
 * `app.auth(installationId)` and a Probot Context for `.github/pysec.yml`, exactly as the
 * webhook handler would have.
 */
function createAppQueue(
  app: Probot,
  deps: AppDeps,
  settings: QueueSettings,
  metrics: PysecMetrics,
  scanner: Scanner | undefined,
): AppQueue {
  return createQueue({
    ...(deps.redisUrl ? { redisUrl: deps.redisUrl } : {}),
    ...(deps.queuePrefix ? { prefix: deps.queuePrefix } : {}),
    concurrency: settings.concurrency,
    installationConcurrency: settings.installationConcurrency,
    attempts: settings.attempts,
    backoffMs: settings.backoffMs,
    maxBackoffMs: settings.maxBackoffMs,
    ...(settings.stalled ? { stalled: settings.stalled } : {}),
    log: app.log as unknown as QueueLogger,
    handlers: {
      onError: (err, job) => app.log.error({ job: job.id, err: describeError(err) }, 'review job crashed'),
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
            job: info,
            ...(deps.advisories ? { advisories: deps.advisories } : {}),
            ...(scanner ? { scanner } : {}),
            loadConfig: () => loadConfigSafely(() => context.config(CONFIG_FILE)),
          }),
        );
        deps.onReviewed?.(pr, result);
      },
    },
  });
}
