/**
 * Two replicas of the app (two processes, each Probot's server on 127.0.0.1) sharing one BullMQ
 * queue on a real Redis (127.0.0.1:6379, a queue prefix of this run's own), behind the same
 * webhook stream: GitHub's deliveries reach both, and either may run any review.
 *
 *   test ──every signed delivery──► replica A (APP_ID 1) ─┐
 *        └────────────────────────► replica B (APP_ID 2) ─┤ one queue on Redis
 *   GitHub stand-in (this process) ◄── REST + GraphQL ────┘
 *
 * The replicas run dist/ (rebuilt first when src/ is newer). Each has its own APP_ID only so the
 * stand-in can tell which process made a request (see support/github-stand-in.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FINGERPRINT_MARKER } from '../../src/github/contracts.js';
import { INSTALLATION_ID, loadEvent, testPrivateKey } from '../helpers/app.js';
import { GitHubStandIn, headSha } from './support/github-stand-in.js';
import { REDIS_URL, deletePrefix, deliver, delivery, ensureBuilt, killAll, startReplica, uniquePrefix, type Replica } from './support/replicas.js';

const SECRET = 'multiprocess-e2e-secret';
const github = new GitHubStandIn();
const prefix = uniquePrefix('multiprocess');
let replicas: Replica[] = [];

function replicaEnv(appId: string): Record<string, string> {
  return {
    APP_ID: appId,
    PRIVATE_KEY: testPrivateKey(),
    WEBHOOK_SECRET: SECRET,
    GHE_HOST: `127.0.0.1:${github.port}`,
    GHE_PROTOCOL: 'http',
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
  };
}

// The replicas run dist/: rebuild it first if src/ changed (slow on a busy machine, hence its own hook).
beforeAll(() => ensureBuilt(), 300_000);

beforeAll(async () => {
  await github.start();
  const app = { redisUrl: REDIS_URL, queuePrefix: prefix };
  replicas = await Promise.all([
    startReplica('a', { env: replicaEnv('1'), app }),
    startReplica('b', { env: replicaEnv('2'), app }),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all(replicas.map((r) => r.stop()));
  killAll();
  await github.stop();
  await deletePrefix(prefix);
}, 30_000);

/** A pull_request payload for PR #7 at `sha`. */
function prEvent(action: 'opened' | 'synchronize', sha: string, before?: string): Record<string, unknown> {
  const event = loadEvent<{ pull_request: { head: Record<string, unknown> } } & Record<string, unknown>>(`pull_request.${action}`);
  event.pull_request.head.sha = sha;
  if (action === 'synchronize') Object.assign(event, { before, after: sha });
  return event;
}

/** Every delivery reaches every replica at the same time, as GitHub's stream does with two hooks. */
async function toAll(d: ReturnType<typeof delivery>): Promise<void> {
  const statuses = await Promise.all(replicas.map((r) => deliver(r, d, SECRET)));
  expect(statuses).toEqual(replicas.map(() => 200));
}

function describeState(): string {
  const runs = [...github.checkRuns.values()].map((c) => `  check run ${c.id} ${c.headSha.slice(0, 7)} by ${c.createdBy}: ${c.status} ${c.conclusion ?? ''}`);
  const reviews = github.reviews.map((r) => `  review of ${r.commitId.slice(0, 7)} by ${r.by} at ${r.at.toFixed(0)} ms`);
  const logs = replicas.map((r) => `--- replica ${r.name}:\n${r.output().slice(-2000)}`);
  return [...runs, ...reviews, ...logs].join('\n');
}

/** Wait for a completed review of `sha`, then until every check run is completed and nothing new has happened for `quietMs`. */
async function settle(sha: string, quietMs = 2000): Promise<void> {
  await github.until(
    () => github.reviews.some((r) => r.commitId === sha) && [...github.checkRuns.values()].some((c) => c.headSha === sha && c.status === 'completed'),
    `a review and a completed check run of ${sha.slice(0, 7)}`,
    40_000,
  );
  const deadline = Date.now() + 15_000;
  for (;;) {
    const seen = github.requests.length;
    await new Promise((r) => setTimeout(r, quietMs));
    const allDone = [...github.checkRuns.values()].every((c) => c.status === 'completed');
    if ((allDone && github.requests.length === seen) || Date.now() > deadline) return;
  }
}

describe('two replicas on one Redis queue', () => {
  it('the same signed delivery, sent to both replicas, is reviewed once', async () => {
    const sha = headSha(100);
    github.reset(sha);
    await toAll(delivery('pull_request', prEvent('opened', sha)));

    await settle(sha);
    const state = describeState();
    const runs = [...github.checkRuns.values()];
    expect({ runs: runs.length, state }).toEqual({ runs: 1, state });
    expect(runs[0]).toMatchObject({ headSha: sha, status: 'completed', conclusion: 'failure' });
    expect(github.reviews).toHaveLength(1);
    expect(github.reviews[0]?.commitId).toBe(sha);
    expect(github.reviews[0]?.comments.length).toBeGreaterThan(0);
    // One installation token per replica at most: the stand-in saw the installation, nothing else.
    for (const r of github.requests.filter((q) => q.path.endsWith('/access_tokens'))) {
      expect(r.path).toBe(`/api/v3/app/installations/${INSTALLATION_ID}/access_tokens`);
    }
  }, 60_000);

  it('10 rapid synchronize events on one PR, each sent to both replicas → one review, of the final head, and every check run completed', async () => {
    const shas = Array.from({ length: 10 }, (_, i) => headSha(200 + i));
    const final = shas[9] as string;
    github.reset(headSha(199));
    let before = headSha(199);
    for (const sha of shas) {
      github.pushHead(sha);
      await toAll(delivery('pull_request', prEvent('synchronize', sha, before)));
      before = sha;
    }

    await settle(final);
    const state = describeState();
    const runs = [...github.checkRuns.values()];
    // Every check run that was started was completed: none is left in_progress (a required check
    // stuck there blocks the merge).
    expect({ open: runs.filter((c) => c.status !== 'completed').map((c) => c.id), state }).toEqual({ open: [], state });
    // Exactly one review of the final head, and its check run carries the verdict.
    const finalReviews = github.reviews.filter((r) => r.commitId === final);
    expect({ finalReviews: finalReviews.length, state }).toEqual({ finalReviews: 1, state });
    const finalRuns = runs.filter((c) => c.headSha === final);
    expect({ finalRuns: finalRuns.map((c) => c.conclusion), state }).toEqual({ finalRuns: ['failure'], state });
    // A superseded commit's review (one that was already running) never lands after the final one.
    const finalAt = (finalReviews[0] as { at: number }).at;
    expect(github.reviews.filter((r) => r.commitId !== final && r.at > finalAt)).toEqual([]);
    // Each superseded commit got at most one check run and at most one review.
    for (const sha of shas.slice(0, -1)) {
      expect(runs.filter((c) => c.headSha === sha).length).toBeLessThanOrEqual(1);
      expect(github.reviews.filter((r) => r.commitId === sha).length).toBeLessThanOrEqual(1);
    }
    // No finding is ever commented twice on the PR (each commit's finding has its own fingerprint).
    const markers = github.reviews.flatMap((r) => r.comments.map((c) => FINGERPRINT_MARKER.exec(c.body)?.[1]));
    expect(markers.every(Boolean)).toBe(true);
    expect(new Set(markers).size).toBe(markers.length);
    expect(finalReviews[0]?.comments.length).toBeGreaterThan(0);
  }, 60_000);
});
