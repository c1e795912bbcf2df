/**
 * Crash safety (issue 6): a replica killed with SIGKILL in the middle of a review → the other
 * replica takes the job over through BullMQ's stalled-job recovery, and the review is posted
 * exactly once, with its check run completed.
 *
 * Two replicas (processes) share one BullMQ queue on a real Redis (127.0.0.1:6379, a prefix of
 * this run's own). The GitHub stand-in leaves the first file-content request (the GraphQL blob
 * query) unanswered, so the replica that took the job is stuck mid-review at a known point; the
 * stand-in tells which replica that is (each has its own APP_ID), and the test kills it.
 *
 * BullMQ's defaults (30 s lock, 30 s stalled check) would make the takeover wait up to a minute:
 * the replicas run with a 2 s lock and a 1 s stalled check (see support/app-process.mjs).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FINGERPRINT_MARKER } from '../../src/github/contracts.js';
import { loadEvent, testPrivateKey } from '../helpers/app.js';
import { GitHubStandIn, headSha, type RecordedRequest } from './support/github-stand-in.js';
import { REDIS_URL, deletePrefix, deliver, delivery, ensureBuilt, killAll, startReplica, uniquePrefix, type Replica } from './support/replicas.js';

const SECRET = 'crash-e2e-secret';
const SHA = headSha(300);
const github = new GitHubStandIn(SHA);
const prefix = uniquePrefix('crash');
const replicas = new Map<string, Replica>();

// The replicas run dist/: rebuild it first if src/ changed (slow on a busy machine, hence its own hook).
beforeAll(() => ensureBuilt(), 300_000);

beforeAll(async () => {
  await github.start();
  const started = await Promise.all(
    ['11', '12'].map((appId) =>
      startReplica(`app${appId}`, {
        env: {
          APP_ID: appId,
          PRIVATE_KEY: testPrivateKey(),
          WEBHOOK_SECRET: SECRET,
          GHE_HOST: `127.0.0.1:${github.port}`,
          GHE_PROTOCOL: 'http',
          LOG_LEVEL: 'warn',
          LOG_FORMAT: 'json',
        },
        app: { redisUrl: REDIS_URL, queuePrefix: prefix },
        stalled: { lockDuration: 2000, stalledInterval: 1000, maxStalledCount: 2 },
      }),
    ),
  );
  replicas.set('11', started[0] as Replica);
  replicas.set('12', started[1] as Replica);
}, 60_000);

afterAll(async () => {
  github.release();
  await Promise.all([...replicas.values()].map((r) => r.stop()));
  killAll();
  await github.stop();
  await deletePrefix(prefix);
}, 30_000);

describe('a replica killed mid-review', () => {
  it('SIGKILL while the review waits for file contents → the other replica recovers the job; one review, check run completed', async () => {
    // Hold the first blob query: its replica is mid-review from then on.
    let victimId: string | undefined;
    github.holdBlobs((r: RecordedRequest) => {
      victimId ??= github.processOf(r);
      return github.processOf(r) === victimId;
    });
    const event = loadEvent<{ pull_request: { head: Record<string, unknown> } }>('pull_request.opened');
    event.pull_request.head.sha = SHA;
    const d = delivery('pull_request', event);
    // The delivery reaches both replicas (double delivery): still one job.
    expect(await Promise.all([...replicas.values()].map((r) => deliver(r, d, SECRET)))).toEqual([200, 200]);

    await github.until(() => victimId !== undefined, 'the blob query of the first review', 30_000);
    const victim = replicas.get(victimId as string) as Replica;
    const survivorId = victimId === '11' ? '12' : '11';
    expect(victim).toBeDefined();
    const killedAt = github.requests.length;
    victim.kill('SIGKILL');
    expect(await victim.exited).toBeNull(); // killed by a signal: no exit code
    const victimRuns = [...github.checkRuns.values()].filter((c) => c.createdBy === victimId);
    expect(victimRuns.map((c) => c.status)).toEqual(['in_progress']);
    expect(github.reviews).toEqual([]);

    // The survivor picks the job up once the dead worker's lock expires, and finishes it.
    await github.until(
      () => github.reviews.length > 0 && [...github.checkRuns.values()].every((c) => c.status === 'completed'),
      'the recovered review',
      40_000,
    );
    // A grace period: a second review or check run would show up here.
    await new Promise((r) => setTimeout(r, 2500));
    const state = [
      ...[...github.checkRuns.values()].map((c) => `check run ${c.id} by ${c.createdBy}: ${c.status} ${c.conclusion ?? ''}`),
      github.summary(),
      ...[...replicas.values()].map((r) => `--- ${r.name}:\n${r.output().slice(-2000)}`),
    ].join('\n');

    expect({ reviews: github.reviews.map((r) => [r.commitId, r.by]), state }).toEqual({ reviews: [[SHA, survivorId]], state });
    const markers = github.reviews[0]?.comments.map((c) => FINGERPRINT_MARKER.exec(c.body)?.[1]) ?? [];
    expect(markers.length).toBeGreaterThan(0);
    expect(new Set(markers).size).toBe(markers.length);
    // Every request after the kill came from the survivor.
    expect(github.requests.slice(killedAt).every((r) => github.processOf(r) === survivorId || r.path.endsWith('/access_tokens'))).toBe(true);
    // Every check run of the commit is completed — the one the killed replica started included
    // (the recovered job reuses it rather than leaving it in_progress, which would block a
    // required check) — and the newest one, which GitHub shows, carries the verdict.
    const runs = [...github.checkRuns.values()].filter((c) => c.headSha === SHA).sort((a, b) => b.id - a.id);
    expect({ open: runs.filter((c) => c.status !== 'completed').map((c) => c.id), state }).toEqual({ open: [], state });
    expect(runs[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
  }, 60_000);
});
