/**
 * The pull-request review: one review per run (event COMMENT, never REQUEST_CHANGES; the
 * check run's conclusion gates merging), inline comments only where GitHub accepts them,
 * no duplicates across pushes, and earlier comments resolved once their finding is gone.
 *
 * The decisions are pure (`commentPosition`, `planReview`, `conclusionFor`) and table-tested;
 * `publishReview` only talks to GitHub:
 *   1. list the PR's review comments and read pysec's fingerprint markers (1 call per 100);
 *   2. post one review with the new comments (0 or 1 call; 422 → one retry, see below);
 *   3. resolve the threads of findings that disappeared (GraphQL; only when there are any).
 */
import { DEFAULT_CHECK_FAIL_ON, type PysecConfig } from '../config/schema.js';
import { atLeast, type Finding } from '../core/types.js';
import { hunkContaining, type FileChanges } from '../diff/index.js';
import { bySeverity, plural, ruleOf, severityBreakdown } from '../report/common.js';
import type { ScanResult } from '../scan/index.js';
import { decodeSource } from '../scan/source.js';
import { renderComment } from './comment.js';
import {
  FINGERPRINT_MARKER,
  type FindingPlacement,
  type GatheredPullRequest,
  type GitHubClient,
  type PublishInput,
  type PublishOutcome,
  type PullRequestRef,
} from './contracts.js';

/** Default cap on new inline comments per review (config: pullRequests.maxComments). */
export const DEFAULT_MAX_COMMENTS = 30;

/** Put on a comment pysec edited to say its finding is gone, so it is edited only once. */
export const FIXED_MARKER = '<!-- pysec:fixed -->';

/** Review threads read at most (100 per GraphQL page). */
const MAX_THREAD_PAGES = 20;

export interface CommentPosition {
  /** The (last) line the comment is on, RIGHT side. */
  line: number;
  /** First line of a multi-line comment (same hunk as `line`). */
  startLine?: number;
}

/**
 * Where an inline comment for `finding` may go, given its file's diff, or why it cannot have
 * one. Only findings touching a line the PR added get a comment; the position must be
 * accepted by GitHub: `line` (and `start_line`) commentable, both in ONE hunk.
 */
export function commentPosition(
  finding: Pick<Finding, 'range'>,
  changes: FileChanges | undefined,
): CommentPosition | 'no-patch' | 'outside-diff' {
  if (!changes) return 'no-patch';
  const start = finding.range.start.line;
  const end = Math.max(start, finding.range.end.line);
  let touchesAdded = false;
  for (let l = start; l <= end && !touchesAdded; l++) touchesAdded = changes.added.has(l);
  if (!touchesAdded) return 'outside-diff';
  if (
    start < end &&
    changes.commentable.has(start) &&
    changes.commentable.has(end) &&
    hunkContaining(changes, start, end) !== undefined
  ) {
    return { startLine: start, line: end };
  }
  // A multi-line finding that crosses hunks: the last line alone, if GitHub accepts it there.
  return changes.commentable.has(end) ? { line: end } : 'outside-diff';
}

/**
 * The findings that fail the check: at or above the threshold (`failOn`, default high;
 * `never` → none) and touching a line the PR added. Findings in a file without a patch
 * (GitHub omits huge diffs) count only when the whole file is new: otherwise pysec cannot
 * tell old code from new.
 */
export function failingFindings(
  result: Pick<ScanResult, 'findings'>,
  gathered: Pick<GatheredPullRequest, 'files'>,
  config: Pick<PysecConfig, 'failOn'>,
): Finding[] {
  const threshold = config.failOn ?? DEFAULT_CHECK_FAIL_ON;
  if (threshold === 'never') return [];
  const files = new Map(gathered.files.map((f) => [f.path, f]));
  return result.findings.filter((f) => {
    if (!atLeast(f.severity, threshold)) return false;
    const file = files.get(f.path);
    if (!file) return false;
    if (!file.changes) return file.status === 'added';
    for (let l = f.range.start.line; l <= Math.max(f.range.start.line, f.range.end.line); l++) {
      if (file.changes.added.has(l)) return true;
    }
    return false;
  });
}

/** The check run's conclusion: `failure` when any finding fails the check, else `success`. */
export function conclusionFor(
  result: Pick<ScanResult, 'findings'>,
  gathered: Pick<GatheredPullRequest, 'files'> & Partial<Pick<GatheredPullRequest, 'skipped'>>,
  config: Pick<PysecConfig, 'failOn'>,
): 'success' | 'failure' | 'neutral' {
  if (failingFindings(result, gathered, config).length > 0) return 'failure';
  // Files that could not be downloaded were not checked: a required check must not pass on a
  // review that did not see the code. `neutral` says so without claiming a finding.
  if (gathered.skipped?.some((s) => s.error)) return 'neutral';
  return 'success';
}

/** A pysec comment found on the PR (a top-level review comment carrying the marker). */
export interface ExistingComment {
  /** REST id (= GraphQL databaseId). */
  id: number;
  fingerprint: string;
  path: string;
  body: string;
  /** pysec already marked it fixed by editing it. */
  fixed: boolean;
}

/** pysec's comments among a PR's review comments (REST items of pulls.listReviewComments). */
export function existingComments(
  items: readonly { id: number; body?: string | null; path?: string; in_reply_to_id?: number | null }[],
): ExistingComment[] {
  const out: ExistingComment[] = [];
  for (const c of items) {
    // Replies are people talking to the bot; only the thread's first comment is pysec's.
    if (c.in_reply_to_id) continue;
    const body = c.body ?? '';
    const m = FINGERPRINT_MARKER.exec(body);
    if (!m?.[1]) continue;
    out.push({ id: c.id, fingerprint: m[1], path: c.path ?? '', body, fixed: body.includes(FIXED_MARKER) });
  }
  return out;
}

export interface PlannedComment {
  finding: Finding;
  path: string;
  position: CommentPosition;
}

export interface ReviewPlan {
  /** New comments to post, most severe first (at most the cap). */
  comments: PlannedComment[];
  placement: Record<string, FindingPlacement>;
  /** Findings that already have a pysec comment. */
  alreadyCommented: number;
  /** Findings over the cap. */
  overCap: number;
  /** pysec comments whose finding is gone: resolve their thread. */
  toResolve: ExistingComment[];
}

/** Paths whose findings this run cannot vouch for: not scanned, or a rule crashed on them. */
function unreliablePaths(result: ScanResult, gathered: GatheredPullRequest): Set<string> {
  const paths = new Set<string>();
  for (const s of [...gathered.skipped, ...result.skipped]) paths.add(s.path);
  for (const d of result.diagnostics) if (d.kind === 'rule-error' || d.kind === 'read-error') paths.add(d.path);
  return paths;
}

/** Decide what to comment, what is already commented, and what to resolve (pure). */
export function planReview(
  result: ScanResult,
  gathered: GatheredPullRequest,
  config: Pick<PysecConfig, 'pullRequests'>,
  existing: readonly ExistingComment[],
): ReviewPlan {
  const max = config.pullRequests?.maxComments ?? DEFAULT_MAX_COMMENTS;
  const files = new Map(gathered.files.map((f) => [f.path, f]));
  // A comment pysec marked fixed no longer stands for its finding: if the finding comes
  // back, it gets a new comment.
  const commented = new Set(existing.filter((c) => !c.fixed).map((c) => c.fingerprint));
  const placement: Record<string, FindingPlacement> = {};
  const comments: PlannedComment[] = [];
  let alreadyCommented = 0;
  let overCap = 0;
  for (const f of [...result.findings].sort(bySeverity)) {
    if (commented.has(f.fingerprint)) {
      placement[f.fingerprint] = 'existing';
      alreadyCommented++;
      continue;
    }
    const position = commentPosition(f, files.get(f.path)?.changes);
    if (typeof position === 'string') {
      placement[f.fingerprint] = position;
      continue;
    }
    if (comments.length >= max) {
      placement[f.fingerprint] = 'over-cap';
      overCap++;
      continue;
    }
    placement[f.fingerprint] = 'posted';
    comments.push({ finding: f, path: f.path, position });
  }

  const current = new Set(result.findings.map((f) => f.fingerprint));
  const unreliable = unreliablePaths(result, gathered);
  const toResolve = existing.filter((c) => !c.fixed && !current.has(c.fingerprint) && !unreliable.has(c.path));
  return { comments, placement, alreadyCommented, overCap, toResolve };
}

/** The scanned text of each file, for suggestions (offsets of fixes refer to it). */
function sourceTexts(gathered: GatheredPullRequest): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of gathered.sources) {
    if (typeof s.content === 'string') out.set(s.path, s.content);
    else if (s.content) {
      const decoded = decodeSource(s.content);
      if (decoded.ok) out.set(s.path, decoded.text);
    }
  }
  return out;
}

/** A REST review comment for createReview. */
export interface ReviewCommentPayload {
  path: string;
  line: number;
  side: 'RIGHT';
  start_line?: number;
  start_side?: 'RIGHT';
  body: string;
}

export function commentPayload(
  c: PlannedComment,
  result: ScanResult,
  sources: ReadonlyMap<string, string>,
  opts: { docsBaseUrl?: string } = {},
): ReviewCommentPayload {
  const { line, startLine } = c.position;
  const body = renderComment(c.finding, ruleOf(result, c.finding.ruleId), {
    docsBaseUrl: opts.docsBaseUrl,
    source: sources.get(c.path),
    lines: { start: startLine ?? line, end: line },
  });
  return startLine !== undefined
    ? { path: c.path, line, side: 'RIGHT', start_line: startLine, start_side: 'RIGHT', body }
    : { path: c.path, line, side: 'RIGHT', body };
}

/** The short review body: counts only (the details are in the comments and the check run). */
export function reviewBody(posted: readonly Finding[], elsewhere: number): string {
  const more =
    elsewhere > 0 ? ` ${plural(elsewhere, 'more finding is', 'more findings are')} listed in the **pysec** check run.` : '';
  return `**pysec** found ${plural(posted.length, 'new security finding')} (${severityBreakdown(posted)}) on lines this pull request changes.${more}`;
}

function isStatus(err: unknown, status: number): boolean {
  return typeof err === 'object' && err !== null && (err as { status?: unknown }).status === status;
}

async function createReview(
  client: GitHubClient,
  pr: PullRequestRef,
  body: string,
  comments: ReviewCommentPayload[],
): Promise<void> {
  await client.rest.pulls.createReview({
    owner: pr.owner,
    repo: pr.repo,
    pull_number: pr.number,
    commit_id: pr.headSha,
    event: 'COMMENT',
    body,
    comments,
  });
}

export async function listExistingComments(client: GitHubClient, pr: PullRequestRef): Promise<ExistingComment[]> {
  const items = await client.paginate(client.rest.pulls.listReviewComments, {
    owner: pr.owner,
    repo: pr.repo,
    pull_number: pr.number,
    per_page: 100,
  });
  return existingComments(items);
}

export const REVIEW_THREADS_QUERY = `query ($owner: String!, $repo: String!, $number: Int!, $cursor: String) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      reviewThreads(first: 100, after: $cursor) {
        pageInfo { hasNextPage endCursor }
        nodes { id isResolved comments(first: 1) { nodes { body databaseId } } }
      }
    }
  }
}`;

export const RESOLVE_THREAD_MUTATION = `mutation ($threadId: ID!) {
  resolveReviewThread(input: {threadId: $threadId}) { thread { id isResolved } }
}`;

interface ThreadsPage {
  repository: {
    pullRequest: {
      reviewThreads: {
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        nodes: { id: string; isResolved: boolean; comments: { nodes: { body: string; databaseId: number | null }[] } }[];
      };
    } | null;
  } | null;
}

/** Review threads by the database id of their first comment. */
async function reviewThreads(client: GitHubClient, pr: PullRequestRef): Promise<Map<number, { id: string; isResolved: boolean }>> {
  const threads = new Map<number, { id: string; isResolved: boolean }>();
  let cursor: string | null = null;
  for (let page = 0; page < MAX_THREAD_PAGES; page++) {
    const data: ThreadsPage = await client.graphql<ThreadsPage>(REVIEW_THREADS_QUERY, {
      owner: pr.owner,
      repo: pr.repo,
      number: pr.number,
      cursor,
    });
    const conn = data.repository?.pullRequest?.reviewThreads;
    if (!conn) break;
    for (const t of conn.nodes) {
      const first = t.comments.nodes[0];
      if (first?.databaseId != null) threads.set(first.databaseId, { id: t.id, isResolved: t.isResolved });
    }
    if (!conn.pageInfo.hasNextPage || !conn.pageInfo.endCursor) break;
    cursor = conn.pageInfo.endCursor;
  }
  return threads;
}

/** The body of a comment marked fixed: a note on top, the original below. */
export function fixedBody(body: string, headSha: string): string {
  return `${FIXED_MARKER}\n> [!NOTE]\n> **Fixed:** pysec no longer finds this issue at ${headSha.slice(0, 7)} (fixed, suppressed, or the code is gone).\n\n${body}`;
}

/**
 * Resolve the threads of findings that are gone. Best effort: a thread that cannot be
 * resolved (the token may not be allowed to, or GraphQL is unavailable) gets its comment
 * marked fixed instead; a failure there is left alone (the finding is gone either way).
 * Returns how many were resolved or marked.
 */
export async function resolveFixed(
  client: GitHubClient,
  pr: PullRequestRef,
  comments: readonly ExistingComment[],
): Promise<number> {
  if (comments.length === 0) return 0;
  let threads: Map<number, { id: string; isResolved: boolean }> | null;
  try {
    threads = await reviewThreads(client, pr);
  } catch {
    threads = null;
  }
  let graphqlWorks = threads !== null;
  let resolved = 0;
  for (const c of comments) {
    const thread = threads?.get(c.id);
    // Someone (or an earlier run) already resolved it: nothing to do.
    if (thread?.isResolved) continue;
    if (thread && graphqlWorks) {
      try {
        await client.graphql(RESOLVE_THREAD_MUTATION, { threadId: thread.id });
        resolved++;
        continue;
      } catch {
        // Most likely a permission problem, which will not change for the next thread.
        graphqlWorks = false;
      }
    }
    try {
      await client.rest.pulls.updateReviewComment({
        owner: pr.owner,
        repo: pr.repo,
        comment_id: c.id,
        body: fixedBody(c.body, pr.headSha),
      });
      resolved++;
    } catch {
      // Not ours to edit, or deleted meanwhile.
    }
  }
  return resolved;
}

export interface ReviewOptions {
  docsBaseUrl?: string;
}

/**
 * Post this run's review and tidy up earlier ones. Errors other than a 422 on the review
 * propagate (the caller completes the check run as failed).
 */
export async function publishReview(input: PublishInput, opts: ReviewOptions = {}): Promise<PublishOutcome> {
  const { client, pr, result, gathered, config } = input;
  const existing = await listExistingComments(client, pr);
  const plan = planReview(result, gathered, config, existing);
  const placement = { ...plan.placement };
  let posted = 0;
  let rejected = 0;

  if (plan.comments.length > 0) {
    const sources = sourceTexts(gathered);
    const findings = plan.comments.map((c) => c.finding);
    const payloads = plan.comments.map((c) => commentPayload(c, result, sources, opts));
    try {
      await createReview(client, pr, reviewBody(findings, plan.overCap), payloads);
      posted = payloads.length;
    } catch (err) {
      if (!isStatus(err, 422)) throw err;
      // GitHub does not say which comment it refused. Multi-line positions are the usual
      // cause: retry once with every comment on its last line alone.
      const single = plan.comments.map((c) => ({ ...c, position: { line: c.position.line } }));
      const hadMultiLine = plan.comments.some((c) => c.position.startLine !== undefined);
      try {
        if (!hadMultiLine) throw err;
        await createReview(
          client,
          pr,
          reviewBody(findings, plan.overCap),
          single.map((c) => commentPayload(c, result, sources, opts)),
        );
        posted = single.length;
      } catch (retryErr) {
        if (!isStatus(retryErr, 422)) throw retryErr;
        // Give up on inline comments: the check run lists them all.
        for (const c of plan.comments) placement[c.finding.fingerprint] = 'rejected';
        rejected = plan.comments.length;
      }
    }
  }

  const resolved = await resolveFixed(client, pr, plan.toResolve);
  return {
    posted,
    alreadyCommented: plan.alreadyCommented,
    overflow: plan.overCap + rejected,
    resolved,
    conclusion: conclusionFor(result, gathered, config),
    placement,
  };
}
