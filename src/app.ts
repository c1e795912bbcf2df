/**
 * The Probot application. `createApp(deps)` wires handlers to their collaborators, so tests
 * can pass a queue (and observe reviews) while production uses the defaults.
 */
import type { ApplicationFunction, ApplicationFunctionOptions, Probot } from 'probot';
import { registerHandlers, type HandlerDeps } from './github/handlers.js';
import { createMetrics, type PysecMetrics } from './metrics.js';
import { createHttpHandler, type ReadinessProbe } from './http.js';
import { createMemoryQueue } from './queue/memory.js';
import { describeError } from './github/job.js';

export interface AppDeps {
  queue?: HandlerDeps['queue'];
  onReviewed?: HandlerDeps['onReviewed'];
  advisories?: HandlerDeps['advisories'];
  /** The app's metrics (default: a new registry per app instance). */
  metrics?: PysecMetrics;
  /** Readiness for `/readyz` (e.g. a Redis PING): true, or false / a reason when not ready. */
  ready?: ReadinessProbe;
}

export function createApp(deps: AppDeps = {}): ApplicationFunction {
  return (app: Probot, options?: ApplicationFunctionOptions) => {
    const metrics = deps.metrics ?? createMetrics();
    const queue =
      deps.queue ??
      createMemoryQueue({
        concurrency: 2,
        onError: (err, job) => app.log.error({ job: job.id, err: describeError(err) }, 'review job crashed'),
      });
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
