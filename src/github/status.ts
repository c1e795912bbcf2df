/**
 * Commit-status fallback for tokens that cannot create check runs.
 *
 * A workflow's GITHUB_TOKEN without `checks: write` (a `pull_request` run from a fork, a
 * workflow that narrowed its permissions) or a personal access token gets 403 "Resource not
 * accessible by integration" on POST /check-runs. The review itself should still run and the
 * PR should still get a signal branch protection can require, so `installCheckRunFallback`
 * wraps the Octokit request hook:
 *
 *  - the first POST /repos/{owner}/{repo}/check-runs goes to GitHub as usual;
 *  - when GitHub refuses it that way, the request is answered locally with a *virtual* check
 *    run (id VIRTUAL_CHECK_RUN_ID), and every later PATCH of that id is recorded instead of
 *    sent (conclusion, title, summary);
 *  - the caller then posts one commit status (context "pysec") from the recorded conclusion.
 *
 * Working at the request level keeps check-run.ts and the review job unaware of the
 * fallback: they create, update and complete "their" check run whatever the token can do.
 */
import type { Octokit } from '@octokit/rest';
import { CHECK_NAME, type PullRequestRef } from './contracts.js';

/** The commit status context: the same name branch protection matches for the check run. */
export const STATUS_CONTEXT = CHECK_NAME;

/** GitHub caps a commit status description at 140 characters. */
export const MAX_STATUS_DESCRIPTION = 140;

/** Id of the check run answered locally (never a real id in practice, and truthy). */
export const VIRTUAL_CHECK_RUN_ID = Number.MAX_SAFE_INTEGER;

export type CheckConclusion = 'success' | 'failure' | 'neutral' | string;
export type CommitState = 'success' | 'failure' | 'error';

/** What the review told its (virtual) check run. */
export interface RecordedCheckRun {
  conclusion?: CheckConclusion;
  title?: string;
  summary?: string;
  /** The check run's text (findings without an inline comment), when it had one. */
  text?: string;
}

export interface CheckRunFallback {
  /** True once GitHub refused to create a check run and the virtual one took its place. */
  readonly active: boolean;
  /** The virtual check run's last conclusion and output. */
  readonly recorded: RecordedCheckRun;
}

/**
 * The 403 GitHub answers when the token may not create check runs: "Resource not accessible
 * by integration" (GITHUB_TOKEN without checks: write), "... by personal access token"
 * (fine-grained PAT), or "You must authenticate via a GitHub App" (classic PAT).
 */
export function isCheckRunForbidden(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { status?: unknown; message?: unknown };
  return e.status === 403 && typeof e.message === 'string' && /resource not accessible|github app/i.test(e.message);
}

const CREATE_ROUTE = /^\/repos\/[^/]+\/[^/]+\/check-runs$/;
const UPDATE_ROUTE = /^\/repos\/[^/]+\/[^/]+\/check-runs\/([^/]+)$/;

interface RequestOptions {
  method?: string;
  url?: string;
  check_run_id?: unknown;
  conclusion?: unknown;
  output?: { title?: unknown; summary?: unknown; text?: unknown };
  [key: string]: unknown;
}

/** Install the fallback on an Octokit; returns its live state. */
export function installCheckRunFallback(octokit: Pick<Octokit, 'hook'>): CheckRunFallback {
  const state = { active: false, recorded: {} as RecordedCheckRun };

  const record = (options: RequestOptions): void => {
    if (typeof options.conclusion === 'string') state.recorded.conclusion = options.conclusion;
    const { title, summary, text } = options.output ?? {};
    if (typeof title === 'string' && title) state.recorded.title = title;
    if (typeof summary === 'string' && summary) state.recorded.summary = summary;
    if (typeof text === 'string' && text) state.recorded.text = text;
  };
  const answer = (options: RequestOptions, status: number) => ({
    status,
    url: String(options.url ?? ''),
    headers: {},
    data: {
      id: VIRTUAL_CHECK_RUN_ID,
      name: typeof options.name === 'string' ? options.name : CHECK_NAME,
      head_sha: options.head_sha,
      status: options.status ?? 'queued',
      conclusion: options.conclusion ?? null,
      external_id: options.external_id ?? null,
      html_url: null,
      details_url: null,
    },
  });

  octokit.hook.wrap('request', async (request, rawOptions) => {
    const options = rawOptions as unknown as RequestOptions;
    const method = (options.method ?? 'GET').toUpperCase();
    // Route templates ("/repos/{owner}/{repo}/check-runs") and literal paths both match.
    const url = String(options.url ?? '').split('?')[0] ?? '';
    if (method === 'POST' && CREATE_ROUTE.test(url)) {
      if (!state.active) {
        try {
          return await request(rawOptions);
        } catch (err) {
          if (!isCheckRunForbidden(err)) throw err;
          state.active = true;
        }
      }
      record(options);
      return answer(options, 201) as never;
    }
    const update = UPDATE_ROUTE.exec(url);
    if (state.active && (method === 'PATCH' || method === 'GET') && update) {
      const id = options.check_run_id ?? update[1];
      if (String(id) === String(VIRTUAL_CHECK_RUN_ID)) {
        if (method === 'PATCH') record(options);
        return answer({ ...options, ...state.recorded }, 200) as never;
      }
    }
    return request(rawOptions);
  });

  return state;
}

/** The commit status for a recorded check run (pure). */
export function commitStatusFor(recorded: RecordedCheckRun): { state: CommitState; description: string } {
  const state: CommitState =
    recorded.conclusion === 'success' ? 'success' : recorded.conclusion === 'failure' ? 'failure' : 'error';
  const fallback =
    state === 'success' ? 'No security findings above the threshold' : state === 'failure' ? 'Security findings above the threshold' : 'pysec could not complete the review';
  return { state, description: statusDescription(recorded.title ?? fallback) };
}

/** One line of at most 140 characters (GitHub rejects longer descriptions with 422). */
export function statusDescription(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length <= MAX_STATUS_DESCRIPTION) return line;
  return `${line.slice(0, MAX_STATUS_DESCRIPTION - 1).trimEnd()}…`;
}

/** Post the fallback commit status on the PR's head commit. */
export async function postCommitStatus(
  octokit: Pick<Octokit, 'rest'>,
  pr: PullRequestRef,
  recorded: RecordedCheckRun,
  targetUrl?: string,
): Promise<CommitState> {
  const { state, description } = commitStatusFor(recorded);
  await octokit.rest.repos.createCommitStatus({
    owner: pr.owner,
    repo: pr.repo,
    sha: pr.headSha,
    state,
    context: STATUS_CONTEXT,
    description,
    ...(targetUrl ? { target_url: targetUrl } : {}),
  });
  return state;
}
