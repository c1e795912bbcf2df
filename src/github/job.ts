/**
 * One review of one pull request at one head commit: load config → create the check run →
 * gather → scan → publish → complete the check run. A check run that was started is always
 * completed, whatever fails after it: a required status check left in_progress blocks
 * merging forever.
 *
 * Inside a queue (the job context, ../queue/context.ts):
 * - A retryable GitHub error (5xx, 429, secondary rate limit, timeout, network) is rethrown to
 *   the queue while attempts remain, leaving the check run in progress; its id is saved in the
 *   job's state so the retry completes the same run (or, when the id was lost, finds it by name,
 *   head SHA and external_id). The last attempt completes it: "GitHub kept failing: …".
 * - The job's signal is checked at every step boundary. Superseded by a newer commit: the check
 *   run completes `neutral`, titled "Superseded by <short sha>" (that commit is no longer the
 *   head, so its check gates nothing; `cancelled` would look like a failure in the PR's
 *   history). Stopped by a shutdown: `cancelled`, asking for a re-run (it may be the head
 *   commit, and an unreviewed head must not pass as `neutral` would). A review already being
 *   posted is not interrupted; the queue never starts the newer job of a PR before it ends.
 */
import type { PysecConfig } from '../config/schema.js';
import { pathFilter, scan, type ScanOptions, type ScanResult, type SourceFile } from '../scan/index.js';
import type { AdvisorySource } from '../deps/advisories/source.js';
import type { FindingPlacement, GatheredPullRequest, GitHubClient, PublishOutcome, PullRequestRef } from './contracts.js';
import type { LoadedConfig } from './config.js';
import { gatherPullRequest } from './gather.js';
import { completeCheckRun, createCheckRun, failCheckRun } from './check-run.js';
import { conclusionFor, planReview, publishReview } from './review.js';
import type { ReviewObserver } from '../metrics.js';
import { CHECK_NAME } from './contracts.js';
import { JobAborted, currentJobContext, shaOfJobId, type JobContext } from '../queue/context.js';
import { describeFailure, isRetryable, isTimeout } from '../queue/retry.js';

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
  /** The queue's job context (attempt, stop signal, saved state). Default: `currentJobContext()`. */
  job?: JobContext;
  /** How files are scanned: the app's worker-thread pool (`ScanPool.scan`); default `scan()` in-process. */
  scanner?: Scanner;
}

export type Scanner = (files: SourceFile[], options: ScanOptions) => Promise<ScanResult>;

export type ReviewJobResult =
  | { status: 'skipped'; reason: string; checkRunId?: number }
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
  scanner: Scanner = scan,
): Promise<string[]> {
  const base = gathered.baseSources ?? [];
  if (base.length === 0) return [];
  const baseResult = await scanner(base, { config, partial: true, ...(advisories ? { advisories } : {}) });
  const manifestPaths = new Set(base.map((f) => f.path));
  const before = new Set(baseResult.findings.filter((f) => manifestPaths.has(f.path)).map((f) => f.fingerprint));
  const existing = result.findings.filter((f) => manifestPaths.has(f.path) && before.has(f.fingerprint));
  if (existing.length === 0) return [];
  result.findings = result.findings.filter((f) => !existing.includes(f));
  return existing.map(
    (f) => `Already present before this pull request (not commented): \`${f.path}:${f.range.start.line}\` ${f.ruleId}: ${f.message}`,
  );
}

/** Throws the job's stop reason once its signal is aborted (call at step boundaries). */
function checkpoint(job: JobContext | undefined): void {
  if (job?.signal.aborted) throw stopReason(job);
}

function stopReason(job: JobContext): JobAborted {
  const reason: unknown = job.signal.reason;
  return reason instanceof JobAborted ? reason : new JobAborted('shutdown');
}

/** What GitHub kept answering, briefly: `HTTP 502`, `request timed out`, `ECONNRESET`. */
function failureStatus(err: unknown): string {
  if (isTimeout(err)) return 'request timed out';
  const e = (err ?? {}) as { status?: unknown; code?: unknown };
  if (typeof e.status === 'number') return `HTTP ${e.status}`;
  if (typeof e.code === 'string') return e.code;
  return describeError(err);
}

/** Set when this attempt is the last one of several and the error is one retries were for. */
function exhausted(err: unknown, job: JobContext | undefined): string | undefined {
  if (!job || job.maxAttempts <= 1 || !isRetryable(err)) return undefined;
  return `GitHub kept failing: ${failureStatus(err)} after ${job.attempt} attempts; re-run to try again.`;
}

/**
 * The in-progress `pysec` check run of this pull request at this commit, if one exists: an
 * earlier attempt created it but its id was lost (the create answer never arrived, or the
 * worker died before saving it).
 */
export async function findOpenCheckRun(client: GitHubClient, pr: PullRequestRef): Promise<number | undefined> {
  const { data } = await client.rest.checks.listForRef({
    owner: pr.owner,
    repo: pr.repo,
    ref: pr.headSha,
    check_name: CHECK_NAME,
    filter: 'latest',
    per_page: 100,
  });
  const open = data.check_runs.find((r) => r.status !== 'completed' && r.head_sha === pr.headSha && r.external_id === String(pr.number));
  return open?.id;
}

/** Complete the check run of a review that was told to stop (see the module comment). */
export async function completeStopped(client: GitHubClient, pr: PullRequestRef, checkRunId: number, reason: JobAborted): Promise<void> {
  const superseded = reason.kind === 'superseded';
  const short = shaOfJobId(reason.by ?? '').slice(0, 7);
  await client.rest.checks.update({
    owner: pr.owner,
    repo: pr.repo,
    check_run_id: checkRunId,
    status: 'completed',
    conclusion: superseded ? 'neutral' : 'cancelled',
    completed_at: new Date().toISOString(),
    output: superseded
      ? {
          title: short ? `Superseded by ${short}` : 'Superseded by a newer commit',
          summary: `A newer commit${short ? ` (\`${short}\`)` : ''} was pushed to this pull request; pysec reviews that one instead.`,
        }
      : {
          title: 'Review interrupted: pysec restarted',
          summary: 'pysec was shutting down before it could finish reviewing this commit. Re-run this check to review it.',
        },
  });
}

export async function runReview(input: ReviewJobInput): Promise<ReviewJobResult> {
  const { client, pr, log } = input;
  const job = input.job ?? currentJobContext();
  const started = Date.now();
  const where = { repo: `${pr.owner}/${pr.repo}`, pr: pr.number, sha: pr.headSha, ...(job && job.attempt > 1 ? { attempt: job.attempt } : {}) };

  let checkRunId: number | undefined = job?.state.checkRunId;
  const stopped = async (reason: JobAborted): Promise<ReviewJobResult> => {
    log.info({ ...where, reason: reason.message }, 'review stopped');
    if (checkRunId !== undefined) {
      try {
        await completeStopped(client, pr, checkRunId, reason);
      } catch (err) {
        log.error({ ...where, err: describeError(err) }, 'could not complete the check run');
      }
    }
    return { status: 'skipped', reason: reason.kind, ...(checkRunId !== undefined ? { checkRunId } : {}) };
  };
  // Stopped before it started (an earlier attempt's check run, if any, is completed).
  if (job?.signal.aborted) return stopped(stopReason(job));

  const { config, notices } = await input.loadConfig();
  if (pr.draft && !config.pullRequests.drafts && !input.force) {
    log.debug(where, 'draft pull request skipped (pullRequests.drafts is false)');
    return { status: 'skipped', reason: 'draft' };
  }

  // Set once the scan has finished and found something at or above the threshold: from then on
  // no error may turn the check into `neutral`, which branch protection counts as passing.
  let knownConclusion: 'failure' | undefined;
  let notes = notices;
  try {
    // An earlier run may have created the check run and died (or lost the answer) before saving
    // its id: find it rather than leave it in progress beside a new one.
    if (checkRunId === undefined && job && (job.attempt > 1 || job.recovered)) checkRunId = await findOpenCheckRun(client, pr);
    checkpoint(job);
    if (checkRunId === undefined) {
      checkRunId = await createCheckRun(client, pr);
      await job?.save({ checkRunId });
    }
    const runId = checkRunId;
    checkpoint(job);
    // Excluded paths are not even downloaded: scan() would drop them anyway.
    const gathered = await gatherPullRequest(client, pr, { maxFileSize: config.maxFileSize, include: pathFilter(config) });
    checkpoint(job);
    const advisories = config.dependencies.enabled ? await openAdvisories(input, log, where) : undefined;
    const scanStarted = performance.now();
    const result = await (input.scanner ?? scan)(gathered.sources, { config, partial: true, ...(advisories ? { advisories } : {}) });
    notes = [...notes, ...result.notes, ...(await separateBaseline(result, gathered, config, advisories, input.scanner))];
    input.metrics?.scanDuration((performance.now() - scanStarted) / 1000);
    input.metrics?.findings(result.findings);
    if (conclusionFor(result, gathered, config) === 'failure') knownConclusion = 'failure';
    // Last chance to stop: a superseded review must not post after the newer one.
    await job?.refresh?.();
    checkpoint(job);
    const publishInput = { client, pr, config, result, gathered, checkRunId: runId, notices: notes, elapsedMs: Date.now() - started };
    let outcome: PublishOutcome;
    try {
      outcome = await publishReview(publishInput);
    } catch (err) {
      // Another attempt follows: it lists the comments this one managed to post (fingerprint
      // markers) and posts only the rest.
      if (isRetryable(err) && job && !job.final) throw err;
      // The scan is done; only the review could not be posted. Its findings and verdict still
      // belong in the check run, with a line saying why there are no inline comments.
      const why = describeError(err);
      log.warn({ ...where, err: why }, 'could not post the review; completing the check run with every finding');
      outcome = unpublishedOutcome(result, gathered, config);
      const kept = exhausted(err, job);
      notes = [
        ...notes,
        kept
          ? `The review comments could not be posted: ${kept} Every finding is listed in this check run.`
          : `The review comments could not be posted (${why}); every finding is listed in this check run.`,
      ];
    }
    const earlier = job?.state.annotationBatches;
    await completeCheckRun({ ...publishInput, notices: notes, elapsedMs: Date.now() - started }, outcome, {
      ...(earlier?.checkRunId === runId ? { batchesSent: earlier.sent } : {}),
      ...(job ? { onBatch: (sent: number) => job.save({ annotationBatches: { checkRunId: runId, sent } }) } : {}),
    });
    log.info({ ...where, findings: result.findings.length, posted: outcome.posted, conclusion: outcome.conclusion }, 'review completed');
    return { status: 'completed', outcome, checkRunId: runId };
  } catch (err) {
    if (err instanceof JobAborted) return stopped(err);
    // Told to stop while a request failed: stopping wins (a retry would be superseded anyway).
    if (job?.signal.aborted) return stopped(stopReason(job));
    const message = describeError(err);
    if (isRetryable(err) && job && !job.final) {
      // The check run stays in progress: the next attempt completes it.
      log.warn({ ...where, err: message, attempt: job.attempt, maxAttempts: job.maxAttempts }, 'GitHub failed; the review will be retried');
      throw err;
    }
    log.error({ ...where, err: message }, 'review failed');
    if (checkRunId !== undefined) {
      const kept = exhausted(err, job);
      const reason = kept ? `${kept}\n\nLast error: ${message}` : message;
      const lead =
        knownConclusion === 'failure'
          ? `pysec found security findings at or above the threshold on lines this pull request changes, but could not publish the details: ${reason}`
          : kept
            ? reason
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
  return describeFailure(err);
}
