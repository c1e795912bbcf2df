/**
 * Advisory data for dependency checks (issue 5). `scan()` takes an `AdvisorySource` by
 * injection, so it stays free of network and file-system code:
 *
 * - `openOfflineDb(path)` (offline.ts): a directory of OSV JSON records or an OSV `all.zip` export.
 * - `new OsvApiClient(options)` (api.ts): the OSV API (querybatch + vulns/{id}, cached, retried);
 *   throws `AdvisoryUnavailable` when OSV cannot be reached, so the caller can say
 *   "dependency checks were skipped because ...".
 * - match.ts (pure): is a version affected, which version fixes it, alias merging, severity.
 */
export type { AdvisorySource, AdvisoryProblem, PackageQuery, AdvisoryUnavailableKind } from './source.js';
export { AdvisoryUnavailable } from './source.js';
export type { OsvRecord, OsvAffected, OsvRange, OsvEvent, OsvSeverity, OsvReference, OsvPackage } from './osv.js';
export { parseOsvRecord, parseOsvJson, recordIds } from './osv.js';
export {
  affectedVersions,
  isAffected,
  fixedVersionsFor,
  smallestFixAll,
  groupAdvisories,
  matchPackage,
  recordSeverity,
  cvss3BaseScore,
  cvss4Rating,
  isMajorJump,
} from './match.js';
export type { AdvisoryGroup, FixPlan, PackageMatch, SeverityInfo, Unfixed, VersionInterval, AffectedVersions } from './match.js';
export { openOfflineDb, OfflineDb } from './offline.js';
export { OsvApiClient } from './api.js';
export type { OsvApiOptions } from './api.js';
