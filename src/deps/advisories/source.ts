/** The common interface of advisory sources, and the error for "cannot be reached". */
import type { OsvRecord } from './osv.js';

export interface PackageQuery {
  /** Any spelling; sources normalise it (PEP 503). */
  name: string;
  /** The pinned version; without one a source returns every advisory for the package. */
  version?: string;
}

export interface AdvisoryProblem {
  /** A file, zip entry, advisory id or URL. */
  where: string;
  message: string;
}

export interface AdvisorySource {
  /** For messages: "offline OSV database /srv/osv (10000 records)", "OSV API at https://api.osv.dev". */
  readonly description: string;
  /**
   * Records for each queried package, keyed by normalised name (every queried name is a key,
   * with [] when nothing is known). The records are candidates: match versions with match.ts
   * (`isAffected`, `matchPackage`). Rejects with `AdvisoryUnavailable` when the source cannot be used.
   */
  advisoriesFor(packages: readonly PackageQuery[]): Promise<Map<string, OsvRecord[]>>;
  /** Unreadable files and malformed records met so far: to be shown, never fatal. */
  problems(): AdvisoryProblem[];
}

export type AdvisoryUnavailableKind = 'network' | 'timeout' | 'http' | 'rate-limited' | 'malformed-response' | 'unreadable-db';

/** The advisory source cannot be used at all; `reason` is a sentence for the report. */
export class AdvisoryUnavailable extends Error {
  override readonly name = 'AdvisoryUnavailable';
  constructor(
    readonly kind: AdvisoryUnavailableKind,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
  }
}
