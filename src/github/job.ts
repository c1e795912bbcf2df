/**
 * One review of one pull request at one head commit: load config → create the check run →
 * gather → scan → publish → complete the check run. A check run that was started is always
 * completed, whatever fails after it: a required status check left in_progress blocks
 * merging forever.
 */
import { scan } from '../scan/index.js';
import type { GitHubClient, PublishOutcome, PullRequestRef } from './contracts.js';
import type { LoadedConfig } from './config.js';
import { gatherPullRequest } from './gather.js';
import { completeCheckRun, createCheckRun, failCheckRun } from './check-run.js';
import { publishReview } from './review.js';

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
}

export type ReviewJobResult =
  | { status: 'skipped'; reason: string }
  | { status: 'completed'; outcome: PublishOutcome; checkRunId: number }
  | { status: 'failed'; error: string; checkRunId?: number };

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
  try {
    const runId = await createCheckRun(client, pr);
    checkRunId = runId;
    const gathered = await gatherPullRequest(client, pr, { maxFileSize: config.maxFileSize });
    const result = await scan(gathered.sources, { config });
    const outcome = await publishReview({
      client,
      pr,
      config,
      result,
      gathered,
      checkRunId: runId,
      notices,
      elapsedMs: Date.now() - started,
    });
    await completeCheckRun(
      { client, pr, config, result, gathered, checkRunId: runId, notices, elapsedMs: Date.now() - started },
      outcome,
    );
    log.info({ ...where, findings: result.findings.length, posted: outcome.posted, conclusion: outcome.conclusion }, 'review completed');
    return { status: 'completed', outcome, checkRunId: runId };
  } catch (err) {
    const message = describeError(err);
    log.error({ ...where, err: message }, 'review failed');
    if (checkRunId !== undefined) {
      try {
        await failCheckRun(client, pr, checkRunId, `pysec could not complete this review: ${message}`, 'neutral');
      } catch (completeErr) {
        log.error({ ...where, err: describeError(completeErr) }, 'could not complete the check run');
      }
    }
    return { status: 'failed', error: message, ...(checkRunId !== undefined ? { checkRunId } : {}) };
  }
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
