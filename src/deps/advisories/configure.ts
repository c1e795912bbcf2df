/**
 * Choosing the advisory source, for the CLI and the app (scan() itself only receives an
 * AdvisorySource and never touches the network or the environment).
 *
 *   --osv-db PATH / PYSEC_OSV_DB   an offline OSV database: a directory of records or all.zip
 *   --osv-url URL / PYSEC_OSV_URL  another OSV API endpoint (a mirror; tests use 127.0.0.1)
 *   --offline / PYSEC_OFFLINE=1    no advisory lookups at all (the other dependency checks run)
 *   (default)                      the OSV API at https://api.osv.dev
 */
import { OsvApiClient } from './api.js';
import { openOfflineDb } from './offline.js';
import type { AdvisorySource } from './source.js';

export interface AdvisorySettings {
  osvDb?: string;
  osvUrl?: string;
  offline?: boolean;
}

export function advisorySettingsFromEnv(env: Record<string, string | undefined>): AdvisorySettings {
  const out: AdvisorySettings = {};
  if (env.PYSEC_OSV_DB) out.osvDb = env.PYSEC_OSV_DB;
  if (env.PYSEC_OSV_URL) out.osvUrl = env.PYSEC_OSV_URL;
  if (env.PYSEC_OFFLINE && env.PYSEC_OFFLINE !== '0' && env.PYSEC_OFFLINE.toLowerCase() !== 'false') out.offline = true;
  return out;
}

/**
 * The source the settings ask for, or undefined for `offline`. An unreadable offline database
 * rejects with AdvisoryUnavailable: the caller decides whether that is fatal (the CLI: a usage
 * error) or a note (the app: the review goes on without vulnerability data).
 */
export async function createAdvisorySource(settings: AdvisorySettings): Promise<AdvisorySource | undefined> {
  if (settings.offline) return undefined;
  if (settings.osvDb) return openOfflineDb(settings.osvDb);
  return new OsvApiClient(settings.osvUrl ? { baseUrl: settings.osvUrl } : {});
}
