/** Probot entry point: `probot run ./dist/index.js` (npm start). Wiring only. */
import { createApp } from './app.js';
import { advisorySettingsFromEnv, createAdvisorySource } from './deps/advisories/configure.js';
import type { AdvisorySource } from './deps/advisories/source.js';

// Vulnerability data for dependency checks: the OSV API by default, or PYSEC_OSV_DB (an offline
// database for air-gapped installs), PYSEC_OSV_URL (a mirror), PYSEC_OFFLINE=1 (none). Opened
// once, lazily, and shared by every review so the API client's cache is shared too.
let source: Promise<AdvisorySource | undefined> | undefined;
const advisories = (): Promise<AdvisorySource | undefined> => (source ??= createAdvisorySource(advisorySettingsFromEnv(process.env)));

export default createApp({ advisories });
