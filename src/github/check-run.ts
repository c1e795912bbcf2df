/**
 * The check run **pysec**: created in_progress when a review starts, completed with a
 * conclusion, a summary and annotations when it ends, or failed with a message when the
 * scan could not complete. The name is what branch protection matches: it never changes.
 *
 * GitHub accepts at most 50 annotations per request and appends the annotations of later
 * updates, so a run with N annotations makes ceil(N / 50) PATCH requests (at least one);
 * only the last one completes the run.
 */
import type { Finding, Severity } from '../core/types.js';
import { ruleDocsUrl } from '../core/links.js';
import { escapeWithCodeSpans } from '../report/escape.js';
import { CHECK_NAME, type GitHubClient, type PublishInput, type PublishOutcome, type PullRequestRef } from './contracts.js';
import { MAX_OUTPUT_LENGTH, checkRunOutput } from './summary.js';

/** GitHub's limit per create/update request. */
export const ANNOTATIONS_PER_REQUEST = 50;
/**
 * Annotations sent at most (20 requests): a PR with thousands of findings would otherwise
 * spend the installation's write budget on annotations; the summary says so.
 */
export const MAX_ANNOTATIONS = 1_000;

export type AnnotationLevel = 'failure' | 'warning' | 'notice';

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: AnnotationLevel;
  title: string;
  message: string;
  raw_details?: string;
}

export const ANNOTATION_LEVELS: Record<Severity, AnnotationLevel> = {
  critical: 'failure',
  high: 'failure',
  medium: 'warning',
  low: 'notice',
};

/** GitHub's limit for an annotation's message and raw_details (64 KB). */
const MAX_ANNOTATION_FIELD = 60_000;

/**
 * One annotation for a finding. Annotations are shown as plain text (not Markdown), so the
 * message goes as written. Columns only when the finding is on one line (GitHub's rule);
 * GitHub's end_column is inclusive, pysec's range end is exclusive.
 */
export function annotationFor(f: Finding, docsBaseUrl?: string): Annotation {
  const { start, end } = f.range;
  const endLine = Math.max(start.line, end.line);
  const a: Annotation = {
    path: f.path,
    start_line: start.line,
    end_line: endLine,
    annotation_level: ANNOTATION_LEVELS[f.severity],
    title: f.ruleId,
    message: f.message.slice(0, MAX_ANNOTATION_FIELD),
    raw_details: `Severity: ${f.severity}, confidence: ${f.confidence}. ${[...f.cwe, ...f.owasp].join(', ')}\nDocs: ${ruleDocsUrl(f.ruleId, docsBaseUrl)}`,
  };
  if (start.line === endLine) {
    a.start_column = start.column;
    a.end_column = Math.max(start.column, end.column - 1);
  }
  return a;
}

/** Annotations for every finding in a file the PR changed, most severe first. */
export function annotationsFor(
  findings: readonly Finding[],
  changedPaths: ReadonlySet<string>,
  docsBaseUrl?: string,
): Annotation[] {
  const rank: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };
  return findings
    .filter((f) => changedPaths.has(f.path))
    .sort((a, b) => rank[a.severity] - rank[b.severity])
    .map((f) => annotationFor(f, docsBaseUrl));
}

/** Split into request-sized batches; always at least one (possibly empty) batch. */
export function batches<T>(items: readonly T[], size = ANNOTATIONS_PER_REQUEST): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out.length > 0 ? out : [[]];
}

export interface CreateCheckRunOptions {
  detailsUrl?: string;
  /** Clock, for tests. */
  now?: () => Date;
}

/** Start the check run on the PR's head commit; returns its id. */
export async function createCheckRun(
  client: GitHubClient,
  pr: PullRequestRef,
  opts: CreateCheckRunOptions = {},
): Promise<number> {
  const now = opts.now ?? (() => new Date());
  const { data } = await client.rest.checks.create({
    owner: pr.owner,
    repo: pr.repo,
    name: CHECK_NAME,
    head_sha: pr.headSha,
    status: 'in_progress',
    started_at: now().toISOString(),
    // Re-run events and fork PRs arrive without pull_requests: this is how the PR is found.
    external_id: String(pr.number),
    ...(opts.detailsUrl ? { details_url: opts.detailsUrl } : {}),
  });
  return data.id;
}

export interface CompleteOptions {
  docsBaseUrl?: string;
  now?: () => Date;
  /**
   * Annotation batches an earlier attempt already appended to this check run: GitHub keeps
   * them, so sending them again would list each of those annotations twice.
   */
  batchesSent?: number;
  /** Called after each appended batch with the number sent so far (a retry resumes from it). */
  onBatch?: (sent: number) => Promise<void>;
}

/**
 * Complete the check run with the conclusion, title, summary, text and annotations.
 * Returns the number of PATCH requests made.
 */
export async function completeCheckRun(
  input: PublishInput,
  outcome: PublishOutcome,
  opts: CompleteOptions = {},
): Promise<number> {
  const { client, pr, result, gathered } = input;
  const now = opts.now ?? (() => new Date());
  const changed = new Set(gathered.files.map((f) => f.path));
  const all = annotationsFor(result.findings, changed, opts.docsBaseUrl);
  const annotations = all.slice(0, MAX_ANNOTATIONS);
  const output = checkRunOutput(input, outcome, opts);
  if (all.length > annotations.length) {
    const note = `\n<sub>${all.length - annotations.length} annotations left out (at most ${MAX_ANNOTATIONS.toLocaleString('en-US')} per run).</sub>\n`;
    if (output.summary.length + note.length <= MAX_OUTPUT_LENGTH) output.summary += note;
  }
  const parts = batches(annotations);
  const base = { owner: pr.owner, repo: pr.repo, check_run_id: input.checkRunId };
  // Every batch but the last appends annotations to the still-running check; title and
  // summary are required whenever output is sent.
  const intermediate = parts.slice(0, -1);
  const resumeAt = Math.min(opts.batchesSent ?? 0, intermediate.length);
  for (let i = resumeAt; i < intermediate.length; i++) {
    await client.rest.checks.update({
      ...base,
      output: { title: output.title, summary: output.summary, annotations: intermediate[i] },
    });
    await opts.onBatch?.(i + 1);
  }
  const last = parts[parts.length - 1] ?? [];
  const conclusion = outcome.conclusion;
  await client.rest.checks.update({
    ...base,
    status: 'completed',
    conclusion,
    completed_at: now().toISOString(),
    output: { ...output, ...(last.length > 0 ? { annotations: last } : {}) },
  });
  return intermediate.length - resumeAt + 1;
}

const FAILED_TITLES: Record<'neutral' | 'failure' | 'cancelled', string> = {
  neutral: 'pysec could not complete the scan',
  failure: 'Security findings: details could not be published',
  cancelled: 'pysec scan cancelled',
};

/** Complete a started check run when the scan could not finish (never leave it in_progress). */
export async function failCheckRun(
  client: GitHubClient,
  pr: PullRequestRef,
  checkRunId: number,
  message: string,
  conclusion: 'neutral' | 'failure' | 'cancelled',
  opts: { now?: () => Date } = {},
): Promise<void> {
  const now = opts.now ?? (() => new Date());
  // The message may quote GitHub errors or file paths from the PR: escape it, keeping the
  // backtick-quoted parts (paths, config keys) as code spans. Paragraphs stay paragraphs.
  let summary = message
    .split(/\n{2,}/)
    .map((p) => escapeWithCodeSpans(p))
    .join('\n\n');
  if (summary.length > MAX_OUTPUT_LENGTH) summary = `${summary.slice(0, MAX_OUTPUT_LENGTH - 1)}…`;
  await client.rest.checks.update({
    owner: pr.owner,
    repo: pr.repo,
    check_run_id: checkRunId,
    status: 'completed',
    conclusion,
    completed_at: now().toISOString(),
    output: { title: FAILED_TITLES[conclusion], summary },
  });
}
