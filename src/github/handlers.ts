/**
 * Webhook handlers. They stay thin: guard with early returns (and a debug line saying why),
 * work out which pull request and commit to review, and enqueue. Reviews run in the queue,
 * after GitHub has its answer (webhooks must be answered within 10 s).
 */
import { Context, type Probot } from 'probot';
import type { GitHubClient, PullRequestRef } from './contracts.js';
import { CHECK_NAME } from './contracts.js';
import { CONFIG_FILE, loadConfigSafely } from './config.js';
import { describeError, runReview, type ReviewJobResult, type ReviewLogger, type Scanner } from './job.js';
import type { JobQueue } from '../queue/memory.js';
import type { AdvisorySource } from '../deps/advisories/source.js';
import { observeJob, type PysecMetrics } from '../metrics.js';

export const PR_ACTIONS = [
  'pull_request.opened',
  'pull_request.synchronize',
  'pull_request.reopened',
  'pull_request.ready_for_review',
] as const;

/** `/pysec rescan` on a line of its own (case-insensitive). */
export const RESCAN_COMMAND = /^[ \t]*\/pysec[ \t]+rescan[ \t]*$/im;

/** Repository roles allowed to ask for a rescan. */
const RESCAN_ROLES = new Set(['admin', 'maintain', 'write']);

interface PullRequestPayload {
  number: number;
  draft?: boolean;
  state?: string;
  head: { sha: string; repo: { name: string; owner: { login: string } } | null };
  base: { sha: string; repo: { name: string; owner: { login: string } } };
}

export function prFromPayload(pr: PullRequestPayload): PullRequestRef {
  const owner = pr.base.repo.owner.login;
  const repo = pr.base.repo.name;
  return {
    owner,
    repo,
    number: pr.number,
    headSha: pr.head.sha,
    baseSha: pr.base.sha,
    // A fork that was deleted leaves head.repo null; its commits are still readable from the base repository.
    headOwner: pr.head.repo?.owner.login ?? owner,
    headRepo: pr.head.repo?.name ?? repo,
    draft: pr.draft === true,
  };
}

export interface HandlerDeps {
  queue: JobQueue;
  /** Opens the advisory source for dependency checks (absent: vulnerability lookups are off). */
  advisories?: () => Promise<AdvisorySource | undefined>;
  /** Called with every finished review (tests and metrics). */
  onReviewed?: (pr: PullRequestRef, result: ReviewJobResult) => void;
  /** Job, duration, findings and GitHub request metrics (absent: none recorded). */
  metrics?: PysecMetrics;
  /** The app's scan pool (worker threads); absent: scans run on the event loop. */
  scanner?: Scanner;
  /**
   * Receives the fast path for pull request events (see `FastReceiver`); the app's own HTTP
   * server (src/server.ts) routes those deliveries to it instead of through Probot.
   */
  exposeFastPath?: (receive: FastReceiver) => void;
}

/** A verified webhook delivery. */
export interface WebhookEvent {
  id: string;
  name: string;
  payload: unknown;
}

/**
 * Queue the review a pull request event asks for, without a Probot Context: no per-event
 * Octokit (Probot builds and authenticates one for every delivery before any handler runs,
 * the largest share of the ack's CPU time at 200 concurrent deliveries). The review builds its
 * client and Context when it runs. Returns null for events it does not handle (they go through
 * Probot), else the enqueue to await before answering.
 */
export type FastReceiver = (event: WebhookEvent) => Promise<void> | null;

type AnyContext = Context;

/**
 * What a review needs from the event that asked for it: the event's Context (client, config
 * lookup) is only needed once the review runs, so it is a promise the fast path fills late.
 */
interface EventSource {
  id: string;
  payload: unknown;
  log: AnyContext['log'];
  context(): Promise<AnyContext>;
  /** The context's client is already the installation's own (from `app.auth(installationId)`). */
  installationClient?: true;
}

const fromContext = (context: AnyContext): EventSource => ({
  id: context.id,
  payload: context.payload,
  log: context.log,
  context: async () => context,
});

export function registerHandlers(app: Probot, deps: HandlerDeps): void {
  const { metrics } = deps;
  /** Counts every GitHub request of this event's client (each handler gets its own client). */
  const observe = (context: AnyContext): void => metrics?.instrumentOctokit(context.octokit as never);

  const installationClient = async (installationId: number, fallback: GitHubClient): Promise<GitHubClient> => {
    try {
      const octokit = await app.auth(installationId);
      metrics?.instrumentOctokit(octokit as never);
      return octokit as unknown as GitHubClient;
    } catch {
      return fallback;
    }
  };

  /**
   * Queue a review. The webhook is answered when every handler has returned, so the only thing
   * awaited is the enqueue itself (the Redis queue's write: once GitHub has its 200 the review
   * must survive a crash; a failed write answers 500, so the delivery shows as failed and can be
   * redelivered). Everything a review needs but the ack does not (its logger, the event client's
   * hooks, an installation client) is made when the review runs, not per event. Measured with
   * `npm run bench:load` (200 concurrent deliveries) and a CPU profile of the app.
   */
  const enqueue = (context: EventSource, pr: PullRequestRef, force: boolean): Promise<void> | undefined => {
    const id = `${pr.owner}/${pr.repo}#${pr.number}@${pr.headSha}`;
    const delivery = context.id;
    // Every line of this review carries the delivery and job ids; runReview adds repo, pr and sha.
    // A pino child serialises its bindings when made: only a review that runs gets one.
    let reviewLog: ReviewLogger | undefined;
    const log = (): ReviewLogger => (reviewLog ??= context.log.child({ delivery, job: id }) as unknown as ReviewLogger);
    const queuedAt = Date.now();
    const installationId = installationOf(context);
    const added = deps.queue.add({
      id,
      group: `${pr.owner}/${pr.repo}#${pr.number}`,
      run: async () => {
        // The memory queue may start a job inside add(), i.e. inside this webhook's handler:
        // yield first, so the answer to GitHub does not wait for the review's first steps.
        await new Promise<void>((resolve) => setImmediate(resolve));
        // The event's client is only used from here on (config lookup, and the review itself
        // when there is no installation): instrument it now (metrics, request timeout).
        const event = await context.context();
        observe(event);
        const client = event.octokit as unknown as GitHubClient;
        // Probot's per-event client throttles every installation under one shared key, which
        // spaces the whole app's writes ~1 s apart; a client from app.auth() is throttled per
        // installation (measured with bench:load). Same token cache, so no extra request.
        const reviewClient = installationId !== undefined && !context.installationClient ? await installationClient(installationId, client) : client;
        const result = await observeJob(metrics, queuedAt, () =>
          runReview({
            client: reviewClient,
            pr,
            log: log(),
            force,
            ...(deps.advisories ? { advisories: deps.advisories } : {}),
            ...(deps.scanner ? { scanner: deps.scanner } : {}),
            ...(metrics ? { metrics } : {}),
            loadConfig: () => loadConfigSafely(() => event.config(CONFIG_FILE)),
          }),
        );
        deps.onReviewed?.(pr, result);
      },
      superseded: async () => metrics?.job('superseded'),
      // The same review as data, for the Redis queue (its worker rebuilds the installation client).
      ...(installationId !== undefined ? { data: { ...pr, installationId, force, deliveryId: delivery } } : {}),
    });
    const queued = (ok: boolean): void => {
      if (ok) metrics?.job('queued');
      context.log.debug({ delivery, job: id, repo: `${pr.owner}/${pr.repo}`, pr: pr.number, added: ok }, ok ? 'review queued' : 'review already queued or running');
    };
    if (typeof added === 'boolean') {
      queued(added);
      return undefined;
    }
    return added.then(queued, (err: unknown) => {
      log().error({ repo: `${pr.owner}/${pr.repo}`, pr: pr.number, err: describeError(err) }, 'could not queue the review');
      throw err;
    });
  };

  app.on([...PR_ACTIONS], async (context) => {
    const pr = prFromPayload(context.payload.pull_request as PullRequestPayload);
    await enqueue(fromContext(context as AnyContext), pr, false);
  });

  const prEvents = new Set<string>(PR_ACTIONS);
  deps.exposeFastPath?.((event) => {
    const payload = event.payload as { action?: unknown; pull_request?: PullRequestPayload; installation?: { id?: unknown } };
    if (!prEvents.has(`${event.name}.${String(payload.action)}`) || !payload.pull_request) return null;
    let made: Promise<AnyContext> | undefined;
    const installationId = typeof payload.installation?.id === 'number' ? payload.installation.id : undefined;
    const source: EventSource = {
      id: event.id,
      payload,
      log: app.log,
      // What Probot's webhook pipeline would have built: the installation's client (or the
      // app's, outside an installation) and a Context for `.github/pysec.yml`.
      installationClient: true,
      context: () =>
        (made ??= app.auth(installationId).then(
          (octokit) => new Context({ id: event.id, name: event.name, payload } as never, octokit, app.log.child({ delivery: event.id })),
        )),
    };
    return enqueue(source, prFromPayload(payload.pull_request), false) ?? Promise.resolve();
  });

  app.on('issue_comment.created', async (context) => {
    observe(context as AnyContext);
    const { issue, comment, repository } = context.payload;
    if (!issue.pull_request) return context.log.debug('comment is not on a pull request');
    if (comment.user?.type === 'Bot' || context.payload.sender.type === 'Bot') return context.log.debug('comment by a bot');
    if (!RESCAN_COMMAND.test(comment.body ?? '')) return;
    const owner = repository.owner.login;
    const repo = repository.name;
    const login = comment.user?.login ?? '';
    // Ask GitHub: the payload's author_association is not a permission.
    let perm: { permission: string; role_name?: string };
    try {
      ({ data: perm } = await context.octokit.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username: login }));
    } catch (err) {
      // 404 for a deleted or blocked account, 5xx on a bad day: no permission known means no scan.
      context.log.warn({ repo: `${owner}/${repo}`, pr: issue.number, err: describeError(err) }, '/pysec rescan ignored: permission check failed');
      return;
    }
    const role = perm.role_name ?? perm.permission;
    if (!RESCAN_ROLES.has(role) && !RESCAN_ROLES.has(perm.permission)) {
      context.log.info({ repo: `${owner}/${repo}`, pr: issue.number }, '/pysec rescan ignored: commenter lacks write permission');
      return;
    }
    try {
      await context.octokit.rest.reactions.createForIssueComment({ owner, repo, comment_id: comment.id, content: 'eyes' });
    } catch (err) {
      // The reaction only acknowledges the command: the rescan goes ahead without it.
      context.log.warn({ repo: `${owner}/${repo}`, pr: issue.number, err: describeError(err) }, 'could not react to /pysec rescan');
    }
    const { data } = await context.octokit.rest.pulls.get({ owner, repo, pull_number: issue.number });
    if (data.state !== 'open') return context.log.debug('pull request is closed');
    await enqueue(fromContext(context as AnyContext), prFromPayload(data as unknown as PullRequestPayload), true);
  });

  app.on('check_run.rerequested', async (context) => {
    observe(context as AnyContext);
    const run = context.payload.check_run;
    if (run.name !== CHECK_NAME) return context.log.debug({ name: run.name }, 'not our check run');
    const { owner, repo } = context.repo();
    const fromExternal = Number.parseInt(run.external_id ?? '', 10);
    const number = Number.isInteger(fromExternal) && fromExternal > 0 ? fromExternal : run.pull_requests[0]?.number;
    await rescanPullRequest(context as AnyContext, owner, repo, number, run.head_sha);
  });

  app.on('check_suite.rerequested', async (context) => {
    observe(context as AnyContext);
    const suite = context.payload.check_suite;
    const { owner, repo } = context.repo();
    await rescanPullRequest(context as AnyContext, owner, repo, suite.pull_requests[0]?.number, suite.head_sha);
  });

  async function rescanPullRequest(
    context: AnyContext,
    owner: string,
    repo: string,
    number: number | undefined,
    headSha: string,
  ): Promise<void> {
    const client = context.octokit as unknown as GitHubClient;
    const prNumber = number ?? (await findPullRequestBySha(client, owner, repo, headSha));
    if (!prNumber) return context.log.info({ sha: headSha }, 're-run requested, but no open pull request has this head commit');
    let data: PullRequestPayload;
    try {
      ({ data } = (await client.rest.pulls.get({ owner, repo, pull_number: prNumber })) as unknown as { data: PullRequestPayload });
    } catch (err) {
      return context.log.warn({ err: describeError(err) }, 'could not load the pull request to re-run');
    }
    if (data.state !== 'open') return context.log.debug('pull request is closed');
    await enqueue(fromContext(context), prFromPayload(data), true);
  }
}

/**
 * The open pull request whose head is `sha`. Check events from forks carry an empty
 * `pull_requests` list, so this is the fallback when the check run has no external_id.
 */
export async function findPullRequestBySha(client: GitHubClient, owner: string, repo: string, sha: string): Promise<number | undefined> {
  try {
    const { data } = await client.rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: sha });
    const hit = data.find((p) => p.state === 'open' && p.head.sha === sha);
    if (hit) return hit.number;
  } catch {
    // fall through to the open-PR scan
  }
  let pages = 0;
  for await (const { data } of client.paginate.iterator(client.rest.pulls.list, { owner, repo, state: 'open', per_page: 100 })) {
    const hit = data.find((p) => p.head.sha === sha);
    if (hit) return hit.number;
    if (++pages >= 5) break;
  }
  return undefined;
}

/** The installation a webhook came from (absent for events outside an installation). */
function installationOf(context: EventSource): number | undefined {
  const id = (context.payload as { installation?: { id?: unknown } }).installation?.id;
  return typeof id === 'number' ? id : undefined;
}
