/**
 * One review of one pull request at one head commit: load config → create the check run →
 * gather → scan → publish → complete the check run. A check run that was started is always
 * completed, whatever fails after it: a required status check left in_progress blocks
 * merging forever.
 */
import type { PysecConfig } from '../config/schema.js';
import { pathFilter, scan, type ScanResult } from '../scan/index.js';
import type { AdvisorySource } from '../deps/advisories/source.js';
import type { FindingPlacement, GatheredPullRequest, GitHubClient, PublishOutcome, PullRequestRef } from './contracts.js';
import type { LoadedConfig } from './config.js';
import { gatherPullRequest } from './gather.js';
import { completeCheckRun, createCheckRun, failCheckRun } from './check-run.js';
import { conclusionFor, planReview, publishReview } from './review.js';
import type { ReviewObserver } from '../metrics.js';

export interface ReviewLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export interface ReviewJobInput {
  client: GitHubClient;
  pr: PullRequestRef;
  loadConfig: () => Promise<LoadedConfig>;
  log: ReviewLogger;
  /** Review drafts regardless of configuration (an explicit `/pysec rescan`). */
  force?: boolean;
  /** Opens the advisory source for dependency checks (the OSV API, or an offline database). */
  advisories?: () => Promise<AdvisorySource | undefined>;
  /** Scan duration and findings (the app's Prometheus metrics). */
  metrics?: ReviewObserver;
}

export type ReviewJobResult =
  | { status: 'skipped'; reason: string }
  | { status: 'completed'; outcome: PublishOutcome; checkRunId: number }
  | { status: 'failed'; error: string; checkRunId?: number };

/** The advisory source for this review; a source that cannot be opened is a note, not a failure. */
async function openAdvisories(input: ReviewJobInput, log: ReviewLogger, where: object): Promise<AdvisorySource | undefined> {
  if (!input.advisories) return undefined;
  try {
    return await input.advisories();
  } catch (err) {
    log.warn({ ...where, err: describeError(err) }, 'advisory source unavailable');
    return undefined;
  }
}

/**
 * Dependency findings that were already there on the base commit are not the pull request's
 * doing: they leave `result.findings` (no inline comment, no failing check) and become one
 * summary line each. Compared by fingerprint, which for dependencies names the package and
 * version, not the line: reformatting a line keeps its finding "existing", bumping to another
 * still-vulnerable version makes it new.
 */
async function separateBaseline(
  result: ScanResult,
  gathered: GatheredPullRequest,
  config: PysecConfig,
  advisories: AdvisorySource | undefined,
): Promise<string[]> {
  const base = gathered.baseSources ?? [];
  if (base.length === 0) return [];
  const baseResult = await scan(base, { config, partial: true, ...(advisories ? { advisories } : {}) });
  const manifestPaths = new Set(base.map((f) => f.path));
  const before = new Set(baseResult.findings.filter((f) => manifestPaths.has(f.path)).map((f) => f.fingerprint));
  const existing = result.findings.filter((f) => manifestPaths.has(f.path) && before.has(f.fingerprint));
  if (existing.length === 0) return [];
  result.findings = result.findings.filter((f) => !existing.includes(f));
  return existing.map(
    (f) => `Already present before this pull request (not commented): \`${f.path}:${f.range.start.line}\` ${f.ruleId}: ${f.message}`,
  );
}

export async function runReview(input: ReviewJobInput): Promise<ReviewJobResult> {
  const { client, pr, log } = input;
  const started = Date.now();
  const where = { repo: `${pr.owner}/${pr.repo}`, pr: pr.number, sha: pr.headSha };

  const { config, notices } = await input.loadConfig();
  if (pr.draft && !config.pullRequests.drafts && !input.force) {
    log.debug(where, 'draft pull request skipped (pullRequests.drafts is false)');
    return { status: 'skipped', reason: 'draft' };
  }

  let checkRunId: number | undefined;
  // Set once the scan has finished and found something at or above the threshold: from then on
  // no error may turn the check into `neutral`, which branch protection counts as passing.
  let knownConclusion: 'failure' | undefined;
  let notes = notices;
  try {
    const runId = await createCheckRun(client, pr);
    checkRunId = runId;
    // Excluded paths are not even downloaded: scan() would drop them anyway.
    const gathered = await gatherPullRequest(client, pr, { maxFileSize: config.maxFileSize, include: pathFilter(config) });
    const advisories = config.dependencies.enabled ? await openAdvisories(input, log, where) : undefined;
    const scanStarted = performance.now();
    const result = await scan(gathered.sources, { config, partial: true, ...(advisories ? { advisories } : {}) });
    notes = [...notes, ...result.notes, ...(await separateBaseline(result, gathered, config, advisories))];
    input.metrics?.scanDuration((performance.now() - scanStarted) / 1000);
    input.metrics?.findings(result.findings);
    if (conclusionFor(result, gathered, config) === 'failure') knownConclusion = 'failure';
    const publishInput = { client, pr, config, result, gathered, checkRunId: runId, notices: notes, elapsedMs: Date.now() - started };
    let outcome: PublishOutcome;
    try {
      outcome = await publishReview(publishInput);
    } catch (err) {
      // The scan is done; only the review could not be posted. Its findings and verdict still
      // belong in the check run, with a line saying why there are no inline comments.
      const why = describeError(err);
      log.warn({ ...where, err: why }, 'could not post the review; completing the check run with every finding');
      outcome = unpublishedOutcome(result, gathered, config);
      notes = [...notes, `The review comments could not be posted (${why}); every finding is listed in this check run.`];
    }
    await completeCheckRun({ ...publishInput, notices: notes, elapsedMs: Date.now() - started }, outcome);
    log.info({ ...where, findings: result.findings.length, posted: outcome.posted, conclusion: outcome.conclusion }, 'review completed');
    return { status: 'completed', outcome, checkRunId: runId };
  } catch (err) {
    const message = describeError(err);
    log.error({ ...where, err: message }, 'review failed');
    if (checkRunId !== undefined) {
      const lead =
        knownConclusion === 'failure'
          ? `pysec found security findings at or above the threshold on lines this pull request changes, but could not publish the details: ${message}`
          : `pysec could not complete this review: ${message}`;
      try {
        await failCheckRun(client, pr, checkRunId, [lead, ...notes].join('\n\n'), knownConclusion ?? 'neutral');
      } catch (completeErr) {
        log.error({ ...where, err: describeError(completeErr) }, 'could not complete the check run');
      }
    }
    return { status: 'failed', error: message, ...(checkRunId !== undefined ? { checkRunId } : {}) };
  }
}

/**
 * The outcome when the review could not be posted: every finding that would have had an inline
 * comment is `rejected` (the check run lists it), the conclusion is the scan's own.
 */
export function unpublishedOutcome(result: ScanResult, gathered: GatheredPullRequest, config: PysecConfig): PublishOutcome {
  const plan = planReview(result, gathered, config, []);
  const placement: Record<string, FindingPlacement> = {};
  let rejected = 0;
  for (const [fp, p] of Object.entries(plan.placement)) {
    placement[fp] = p === 'posted' || p === 'over-cap' ? 'rejected' : p;
    if (placement[fp] === 'rejected') rejected++;
  }
  return { posted: 0, alreadyCommented: 0, overflow: rejected, resolved: 0, conclusion: conclusionFor(result, gathered, config), placement };
}

/** A short, secret-free description of an error (Octokit errors carry request headers: never log them whole). */
export function describeError(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { status?: number; message?: string; name?: string };
    const status = typeof e.status === 'number' ? `HTTP ${e.status}: ` : '';
    return `${status}${(e.message ?? String(err)).split('\n')[0]}`.slice(0, 500);
  }
  return String(err).slice(0, 500);
}
