#!/usr/bin/env node
/**
 * One pysec replica for the multi-process end-to-end tests: imports `createApp` from dist/ (the
 * build `npm start` runs) and serves it with Probot's `run()` — Probot's Server — on 127.0.0.1 at
 * a free port, then tells its parent `{ type: 'ready', port }` over IPC.
 *
 * Started by test/e2e/support/replicas.ts with `child_process.fork`, from an empty working
 * directory (run() reads a .env file from there) and one JSON environment variable:
 *
 *   PYSEC_E2E_APP = {
 *     env:        Probot's settings (APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, GHE_HOST, ...),
 *     app:        createApp's options (redisUrl, queuePrefix, ...),
 *     stalled:    optional BullMQ stalled-job recovery timing { lockDuration, stalledInterval, maxStalledCount },
 *                 passed to createApp as `settings.stalled` (the defaults, 30 s each, would make a
 *                 killed worker's job wait up to a minute)
 *   }
 *
 * On `{ type: 'stop' }` it closes the queue and the server and exits; if the parent goes away
 * (the IPC channel closes), it exits at once, so a crashed test leaves no replica behind.
 */
/* global setTimeout */
import { createServer } from 'node:net';

const spec = JSON.parse(process.env.PYSEC_E2E_APP ?? '{}');

process.on('disconnect', () => process.exit(0));

const { run } = await import('probot');
const { createApp } = await import(new URL('../../../dist/app.js', import.meta.url).href);

async function freePort() {
  const srv = createServer();
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address();
  await new Promise((resolve) => srv.close(() => resolve()));
  return port;
}

let queue;
const server = await run(
  createApp({
    ...spec.app,
    ...(spec.stalled
      ? {
          settings: {
            ...spec.app?.settings,
            stalled: {
              lockDurationMs: spec.stalled.lockDuration,
              stalledIntervalMs: spec.stalled.stalledInterval,
              maxStalledCount: spec.stalled.maxStalledCount,
            },
          },
        }
      : {}),
    onQueue: (q) => {
      queue = q;
    },
  }),
  { env: { ...spec.env, HOST: '127.0.0.1', PORT: String(await freePort()) } },
);
process.send?.({ type: 'ready', port: server.port });

process.on('message', async (msg) => {
  if (msg?.type !== 'stop') return;
  await Promise.race([queue?.close(), new Promise((resolve) => setTimeout(resolve, 5000))]).catch(() => {});
  await server.stop().catch(() => {});
  process.exit(0);
});
