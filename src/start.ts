/**
 * `npm start`: the app behind its own webhook receiver (src/server.ts), configured from the
 * environment and a `.env` file as Probot's `run` is (APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET,
 * WEBHOOK_PATH, GHE_HOST, PORT, HOST, LOG_LEVEL, REDIS_URL). Probot's own server runs instead
 * in two development cases it alone handles: without APP_ID there is no app yet (its setup page
 * registers one from app.yml), and WEBHOOK_PROXY_URL forwards deliveries from a smee.io channel.
 */
import { existsSync } from 'node:fs';
import { createProbot, run } from 'probot';
import { createApp } from './app.js';
import { productionDeps } from './production.js';
import { startServer } from './server.js';

// A .env in the working directory, as Probot's `run` reads it (variables already set win).
if (existsSync('.env')) process.loadEnvFile('.env');
const env = process.env;
if (!env.APP_ID || env.WEBHOOK_PROXY_URL) {
  await run(createApp(productionDeps(env)));
} else {
  const secret = env.WEBHOOK_SECRET;
  if (!secret) {
    console.error('WEBHOOK_SECRET is not set: pysec verifies every delivery and will not start without it');
    process.exit(1);
  }
  const probot = createProbot({ env });
  const running = await startServer({
    probot,
    app: (onFastPath) => createApp({ ...productionDeps(env), onFastPath }),
    secret,
    ...(env.WEBHOOK_PATH ? { webhookPath: env.WEBHOOK_PATH } : {}),
    port: Number(env.PORT ?? 3000),
    ...(env.HOST ? { host: env.HOST } : {}),
  });
  // The queue's own SIGTERM handler (createApp: handleSignals) drains reviews and exits;
  // no new deliveries are accepted meanwhile.
  process.once('SIGTERM', () => void running.close());
}
