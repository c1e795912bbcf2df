/**
 * The Probot application. `createApp(deps)` wires handlers to their collaborators, so tests
 * can pass a queue (and observe reviews) while production uses the defaults.
 */
import type { ApplicationFunction, Probot } from 'probot';
import { registerHandlers, type HandlerDeps } from './github/handlers.js';
import { createMemoryQueue } from './queue/memory.js';
import { describeError } from './github/job.js';

export interface AppDeps {
  queue?: HandlerDeps['queue'];
  onReviewed?: HandlerDeps['onReviewed'];
  advisories?: HandlerDeps['advisories'];
}

export function createApp(deps: AppDeps = {}): ApplicationFunction {
  return (app: Probot) => {
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
    });
    app.log.info('pysec is ready');
  };
}
