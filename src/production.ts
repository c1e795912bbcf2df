/**
 * The app's production wiring from the environment, shared by both entry points: `npm start`
 * (src/start.ts, the app's own server) and `probot run ./dist/index.js`.
 */
import type { AppDeps } from './app.js';
import { advisorySettingsFromEnv, createAdvisorySource } from './deps/advisories/configure.js';
import type { AdvisorySource } from './deps/advisories/source.js';
import { queueSettingsFromEnv } from './queue/index.js';

export function productionDeps(env: NodeJS.ProcessEnv = process.env): AppDeps {
  // Vulnerability data for dependency checks: the OSV API by default, or PYSEC_OSV_DB (an offline
  // database for air-gapped installs), PYSEC_OSV_URL (a mirror), PYSEC_OFFLINE=1 (none). Opened
  // once, lazily, and shared by every review so the API client's cache is shared too.
  let source: Promise<AdvisorySource | undefined> | undefined;
  const advisories = (): Promise<AdvisorySource | undefined> => (source ??= createAdvisorySource(advisorySettingsFromEnv(env)));

  // REDIS_URL: reviews go through a BullMQ queue shared by every replica, and /readyz answers
  // only while Redis does (Probot's own throttling also clusters through REDIS_URL).
  const redisUrl = env.REDIS_URL;
  let redis: Promise<import('ioredis').Redis> | undefined;
  const ready = async (): Promise<boolean | string> => {
    if (!redisUrl) return true;
    redis ??= import('ioredis').then(({ Redis }) => new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: false }));
    const reply = await (await redis).ping().catch((err: Error) => `redis: ${err.message}`);
    return reply === 'PONG' ? true : `redis: ${reply}`;
  };

  // PYSEC_CONCURRENCY, PYSEC_INSTALLATION_CONCURRENCY, PYSEC_ATTEMPTS, PYSEC_SHUTDOWN_GRACE_MS,
  // PYSEC_GITHUB_TIMEOUT_MS (see src/queue/index.ts). SIGTERM: finish running reviews, then exit.
  return {
    advisories,
    ready,
    settings: queueSettingsFromEnv(env),
    handleSignals: true,
    warmScanPool: true,
    ...(redisUrl ? { redisUrl } : {}),
  };
}
