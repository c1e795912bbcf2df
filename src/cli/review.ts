/**
 * `pysec review --repo OWNER/NAME --pr N`: the GitHub App's review (gather → scan → publish →
 * check run) run once from a CI job with a token instead of an installation, e.g. GitHub
 * Actions' GITHUB_TOKEN. Exit codes:
 *   0  review completed, check conclusion success or neutral (or nothing to review: draft, closed)
 *   1  review completed, check conclusion failure (findings at or above the threshold)
 *   2  usage error (no token, bad --repo/--pr/--api-url, no such pull request), or the review
 *      could not be completed (its check run is still completed: neutral, or failure when the
 *      scan had already found something above the threshold)
 *
 * Everything here reads the environment through `io.env`, never `process.env`, so tests inject it.
 */
import { advisorySettingsFromEnv, createAdvisorySource } from '../deps/advisories/configure.js';
import { appendFile } from 'node:fs/promises';
import { Octokit } from '@octokit/rest';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { CliIO } from './main.js';
import { CONFIG_PATH, loadConfigSafely } from '../github/config.js';
import type { GitHubClient, PullRequestRef } from '../github/contracts.js';
import { prFromPayload } from '../github/handlers.js';
import { describeError, runReview, type ReviewLogger } from '../github/job.js';
import { installCheckRunFallback, postCommitStatus } from '../github/status.js';
import { TOOL_VERSION } from '../report/version.js';

export interface ReviewFlags {
  repo: string;
  pr: string;
  tokenEnv: string;
  apiUrl?: string;
}

export const DEFAULT_API_URL = 'https://api.github.com';

/** GitHub's rules for owner and repository names, loosely: no slashes, no spaces, no `..`. */
const REPO_PATTERN = /^([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)\/([A-Za-z0-9._-]+)$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

class ReviewUsageError extends Error {}

export interface ReviewTarget {
  owner: string;
  repo: string;
  number: number;
  baseUrl: string;
  token: string;
}

/** Validate the flags and the environment (pure). Throws ReviewUsageError with a message for the user. */
export function resolveReviewTarget(flags: ReviewFlags, env: CliIO['env']): ReviewTarget {
  const m = REPO_PATTERN.exec(flags.repo.trim());
  if (!m || m[2] === '.' || m[2] === '..') {
    throw new ReviewUsageError(`--repo must be OWNER/NAME (e.g. octo-org/service), got "${flags.repo}"`);
  }
  if (!/^\d+$/.test(flags.pr.trim()) || Number(flags.pr) < 1 || !Number.isSafeInteger(Number(flags.pr))) {
    throw new ReviewUsageError(`--pr must be a pull request number, got "${flags.pr}"`);
  }
  if (!ENV_NAME.test(flags.tokenEnv)) {
    throw new ReviewUsageError(`--token-env must name an environment variable, got "${flags.tokenEnv}"`);
  }
  const token = (env[flags.tokenEnv] ?? '').trim();
  if (!token) {
    throw new ReviewUsageError(
      `no GitHub token: set ${flags.tokenEnv} (in GitHub Actions: \`env: ${flags.tokenEnv}: \${{ secrets.GITHUB_TOKEN }}\`)` +
        (flags.tokenEnv === 'GITHUB_TOKEN' ? ' or name another variable with --token-env' : ''),
    );
  }
  // --api-url wins; GitHub Actions sets GITHUB_API_URL (https://HOST/api/v3 on GitHub Enterprise Server).
  const raw = (flags.apiUrl ?? env.GITHUB_API_URL ?? '').trim() || DEFAULT_API_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ReviewUsageError(`--api-url must be an http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ReviewUsageError(`--api-url must be an http(s) URL, got "${raw}"`);
  }
  if (url.username || url.password) throw new ReviewUsageError('--api-url must not contain credentials');
  return { owner: m[1] ?? '', repo: m[2] ?? '', number: Number(flags.pr), baseUrl: raw.replace(/\/+$/, ''), token };
}

/**
 * Read `.github/pysec.yml` from the default branch (no `ref`: a PR must not configure the
 * check that reviews it) as a parsed value for loadConfigSafely. Missing → undefined
 * (defaults); unreadable or bad YAML → throws, which becomes a notice in the check run.
 * Unlike Probot's context.config, the organisation's `.github` repository is not consulted:
 * a workflow token can read only its own repository.
 */
export async function readRepoConfig(client: GitHubClient, owner: string, repo: string): Promise<unknown> {
  let data: unknown;
  try {
    ({ data } = await client.rest.repos.getContent({ owner, repo, path: CONFIG_PATH }));
  } catch (err) {
    if ((err as { status?: number }).status === 404) return undefined;
    throw err; // loadConfigSafely words it (HTTP status and message; Octokit errors carry no token)
  }
  const file = data as { type?: string; encoding?: string; content?: string };
  // Errors worded like Probot's config plugin, so the check run says the same as with the app.
  if (Array.isArray(data) || file.type !== 'file') throw new Error(`${CONFIG_PATH} is either a directory or a submodule`);
  if (file.encoding !== 'base64' || typeof file.content !== 'string') {
    throw new Error('the file is too large for the contents API');
  }
  const text = Buffer.from(file.content, 'base64').toString('utf8');
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (err) {
    if (err instanceof YAMLParseError) throw new Error('invalid YAML', { cause: err });
    throw err;
  }
  if (value !== null && value !== undefined && (typeof value !== 'object' || Array.isArray(value))) {
    throw new Error('Configuration YAML is not an object');
  }
  return value;
}

/** Log lines on stderr: `pysec: message (key=value ...)`. Debug lines only with RUNNER_DEBUG=1 (Actions' debug logging). */
function cliLogger(io: CliIO): ReviewLogger {
  const line = (level: string, obj: object, msg?: string): void => {
    const fields = Object.entries(obj)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
    io.stderr(`pysec: ${level === 'info' ? '' : `${level}: `}${msg ?? ''}${fields ? ` (${fields})` : ''}\n`);
  };
  const debug = io.env.RUNNER_DEBUG === '1' || io.env.PYSEC_DEBUG === '1';
  return {
    info: (obj, msg) => line('info', obj, msg),
    warn: (obj, msg) => line('warning', obj, msg),
    error: (obj, msg) => line('error', obj, msg),
    debug: (obj, msg) => (debug ? line('debug', obj, msg) : undefined),
  };
}

/** The Actions run page, for the commit status's link, when running in GitHub Actions. */
function workflowRunUrl(env: CliIO['env']): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = env;
  if (!server || !repo || !run || !/^https?:\/\//.test(server) || !/^\d+$/.test(run)) return undefined;
  return `${server.replace(/\/+$/, '')}/${repo}/actions/runs/${run}`;
}

export async function runReviewCommand(flags: ReviewFlags, io: CliIO): Promise<number> {
  let target: ReviewTarget;
  try {
    target = resolveReviewTarget(flags, io.env);
  } catch (err) {
    if (err instanceof ReviewUsageError) {
      io.stderr(`pysec: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const { owner, repo, number } = target;
  const octokit = new Octokit({
    baseUrl: target.baseUrl,
    auth: target.token,
    userAgent: `pysec/${TOOL_VERSION}`,
    // Octokit's own request lines are noise here; failures surface through our messages.
    log: { debug() {}, info() {}, warn: (m: string) => io.stderr(`pysec: warning: ${m}\n`), error() {} },
  });
  const fallback = installCheckRunFallback(octokit);
  const client = octokit as unknown as GitHubClient;
  const log = cliLogger(io);

  let pr: PullRequestRef;
  try {
    const { data } = await client.rest.pulls.get({ owner, repo, pull_number: number });
    if (data.state !== 'open') {
      io.stderr(`pysec: ${owner}/${repo}#${number} is ${data.state}; nothing to review\n`);
      return 0;
    }
    pr = prFromPayload(data as unknown as Parameters<typeof prFromPayload>[0]);
  } catch (err) {
    const status = (err as { status?: number }).status;
    const why =
      status === 404
        ? 'not found, or the token cannot read it'
        : status === 401
          ? 'the token was rejected (401)'
          : describeError(err);
    io.stderr(`pysec: cannot load pull request ${owner}/${repo}#${number}: ${why}\n`);
    return 2;
  }

  const result = await runReview({
    client,
    pr,
    log,
    force: false,
    // Same advisory settings as `pysec scan` (PYSEC_OSV_DB / PYSEC_OSV_URL / PYSEC_OFFLINE), from
    // the environment the CLI was given: the OSV API by default.
    advisories: () => createAdvisorySource(advisorySettingsFromEnv(io.env)),
    loadConfig: () => loadConfigSafely(() => readRepoConfig(client, owner, repo)),
  });

  if (result.status === 'skipped') {
    io.stderr(`pysec: ${owner}/${repo}#${number} not reviewed (${result.reason}; set pullRequests.drafts: true to review drafts)\n`);
    return 0;
  }

  // A failed review completes its check run as neutral, or as failure when the scan had already
  // found something above the threshold: the virtual check run recorded which.
  const conclusion =
    result.status === 'completed' ? result.outcome.conclusion : (fallback.recorded.conclusion ?? 'neutral');
  if (fallback.active) {
    io.stderr('pysec: this token cannot create check runs (needs `checks: write`); reporting a commit status instead\n');
    // The review's own conclusion wins over whatever the virtual check run last recorded.
    const recorded = { ...fallback.recorded, conclusion };
    try {
      const state = await postCommitStatus(octokit, pr, recorded, workflowRunUrl(io.env));
      io.stderr(`pysec: commit status "pysec" on ${pr.headSha.slice(0, 7)}: ${state}${recorded.title ? ` (${recorded.title})` : ''}\n`);
    } catch (err) {
      // A read-only token (pull_request from a fork): the job's own result is the only signal left.
      io.stderr(`pysec: warning: could not post a commit status either (${describeError(err)}); the result is in this log and the job summary\n`);
    }
    if (recorded.summary && io.env.GITHUB_STEP_SUMMARY) {
      try {
        const parts = [`## pysec: ${recorded.title ?? conclusion}`, recorded.summary, recorded.text].filter(Boolean);
        await appendFile(io.env.GITHUB_STEP_SUMMARY, `${parts.join('\n\n')}\n`);
      } catch {
        // the job summary is a convenience
      }
    }
  }

  if (result.status === 'failed') {
    io.stderr(`pysec: the review of ${owner}/${repo}#${number} could not be completed: ${result.error}\n`);
    return 2;
  }
  const { outcome } = result;
  io.stderr(
    `pysec: reviewed ${owner}/${repo}#${number} at ${pr.headSha.slice(0, 7)}: ${outcome.conclusion}` +
      ` (${outcome.posted} comments posted, ${outcome.alreadyCommented} already commented, ${outcome.overflow} in the check run only)\n`,
  );
  return outcome.conclusion === 'failure' ? 1 : 0;
}
