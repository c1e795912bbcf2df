/**
 * The contracts between the parts of the GitHub layer: gathering a pull request's files,
 * publishing a review and a check run, and the job that ties them together. Each part is
 * a set of functions over a `GitHubClient`, so the same code runs inside the Probot app
 * (context.octokit) and from `pysec review` in GitHub Actions (@octokit/rest with a token).
 */
import type { Octokit } from '@octokit/rest';
import type { FileChanges } from '../diff/index.js';
import type { PysecConfig } from '../config/schema.js';
import type { ScanResult, SkippedFile, SourceFile } from '../scan/index.js';

/** What the GitHub layer needs of an Octokit: REST methods, pagination, GraphQL, raw requests. */
export type GitHubClient = Pick<Octokit, 'rest' | 'paginate' | 'graphql' | 'request'>;

/** The name branch protection matches: never change it. */
export const CHECK_NAME = 'pysec';

/** Hidden marker carried by every inline comment: `<!-- pysec:fingerprint=<fp> -->`. */
export const FINGERPRINT_MARKER = /<!-- pysec:fingerprint=([0-9a-f]{8,64}) -->/;
export function fingerprintMarker(fp: string): string {
  return `<!-- pysec:fingerprint=${fp} -->`;
}

export interface PullRequestRef {
  owner: string;
  repo: string;
  number: number;
  headSha: string;
  baseSha: string;
  /** Where the head commit lives: differs from owner/repo for pull requests from forks. */
  headOwner: string;
  headRepo: string;
  draft: boolean;
}

export type FileKind = 'python' | 'manifest';

export interface ChangedFile {
  /** Path at the head commit. */
  path: string;
  status: 'added' | 'modified' | 'removed' | 'renamed' | 'copied' | 'changed' | 'unchanged';
  previousPath?: string;
  kind: FileKind;
  /** Lines of the diff; undefined when GitHub omitted the patch (huge or binary diffs). */
  changes?: FileChanges;
}

export interface GatheredPullRequest {
  /** Python files and dependency manifests changed by the PR (removed files excluded). */
  files: ChangedFile[];
  /** Contents at the head commit of the files to scan (Python files and manifests), ready for scan(). */
  sources: SourceFile[];
  /**
   * Changed manifests as they were on the base commit (keyed by their head path), so the review
   * can separate what a PR introduces from what was already there. Best effort: may be missing.
   */
  baseSources?: SourceFile[];
  /** Files that could not be fetched or were not scanned, with the reason. */
  skipped: SkippedFile[];
  /** True when the PR has more changed files than GitHub lists (3,000). */
  truncated: boolean;
  /** Requests made, for the API budget test (≤ 8 for 50 Python files). */
  apiCalls: number;
}

export interface GatherOptions {
  maxFileSize: number;
  /**
   * The pull request's `changed_files` from the webhook payload, when known: tells a PR of exactly
   * 3,000 files from one whose list GitHub cut off at 3,000. Unknown → 3,000 listed counts as cut off.
   */
  changedFiles?: number;
  /** Paths to gather (the config's include/exclude); others are not listed nor fetched. Default: all. */
  include?: (path: string) => boolean;
  /** At most this many per-file REST downloads (large blobs, failed GraphQL batches). Default 20. */
  maxRestFallbacks?: number;
}

export interface PublishInput {
  client: GitHubClient;
  pr: PullRequestRef;
  config: PysecConfig;
  result: ScanResult;
  gathered: GatheredPullRequest;
  checkRunId: number;
  /** Problems to show in the check run (e.g. an invalid config file, with the key). */
  notices: string[];
  /** Milliseconds the whole review took so far (for the summary). */
  elapsedMs: number;
}

export interface PublishOutcome {
  /** Inline comments posted in the review. */
  posted: number;
  /** Findings that already had a pysec comment from an earlier run (not reposted). */
  alreadyCommented: number;
  /** Findings on changed lines that did not fit under the comment cap (check run only). */
  overflow: number;
  /** Earlier pysec threads resolved because their finding is gone. */
  resolved: number;
  conclusion: 'success' | 'failure' | 'neutral';
  /**
   * Where each finding went, by fingerprint (optional; added by the publish step for the
   * check run's text). When absent, the check run lists every finding in its text.
   */
  placement?: Record<string, FindingPlacement>;
}

/**
 * Where a finding is shown: `posted` inline in this run's review, `existing` (a pysec comment
 * from an earlier run), or only in the check run because it is `outside-diff` (not on a line
 * the PR changed, or no valid comment position), in a file GitHub gave `no-patch` for,
 * `over-cap` (more findings than pullRequests.maxComments) or `rejected` (GitHub refused
 * the review's comments with 422).
 */
export type FindingPlacement = 'posted' | 'existing' | 'outside-diff' | 'no-patch' | 'over-cap' | 'rejected';
