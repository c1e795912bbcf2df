/**
 * The memory queue's retries, superseding of running jobs, per-installation limit and graceful
 * shutdown (the basics — dedupe, one job per group, concurrency — are in test/queue.test.ts).
 */
import { describe, expect, it } from '@jest/globals';
import { JobAborted, currentJobContext, type JobContext } from '../../src/queue/context.js';
import { createMemoryQueue, type Job } from '../../src/queue/memory.js';

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function httpError(status: number, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(`HTTP ${status}`), { status, response: { headers } });
}

/** Resolves when the signal aborts, or after `ms`. */
function until(signal: AbortSignal, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe('memory queue: retries', () => {
  it('retries a retryable error with backoff, passing the attempt and the saved state', async () => {
    const seen: Pick<JobContext, 'attempt' | 'final' | 'state'>[] = [];
    const errors: unknown[] = [];
    const q = createMemoryQueue({ attempts: 3, backoffMs: 10, onError: (e) => errors.push(e) });
    q.add({
      id: 'a',
      group: 'g',
      run: async (ctx) => {
        seen.push({ attempt: ctx.attempt, final: ctx.final, state: { ...ctx.state } });
        // The same context is reachable without the argument (runReview's fallback).
        expect(currentJobContext()).toBe(ctx);
        if (ctx.attempt === 1) await ctx.save({ checkRunId: 11 });
        if (ctx.attempt < 3) throw httpError(502);
      },
    });
    await q.onIdle();
    expect(seen).toEqual([
      { attempt: 1, final: false, state: {} },
      { attempt: 2, final: false, state: { checkRunId: 11 } },
      { attempt: 3, final: true, state: { checkRunId: 11 } },
    ]);
    expect(errors).toEqual([]);
  });

  it('honours retry-after, gives up after the last attempt, and does not retry other errors', async () => {
    const errors: unknown[] = [];
    const q = createMemoryQueue({ attempts: 2, backoffMs: 1, onError: (e) => errors.push(e) });
    const times: number[] = [];
    q.add({
      id: 'limited',
      group: 'g1',
      run: async () => {
        times.push(Date.now());
        throw httpError(429, { 'retry-after': '0.2' });
      },
    });
    let calls = 0;
    q.add({
      id: 'broken',
      group: 'g2',
      run: async () => {
        calls++;
        throw httpError(422);
      },
    });
    expect(q.size()).toEqual({ queued: 2, running: 0 });
    await q.onIdle();
    expect(times).toHaveLength(2);
    expect((times[1] as number) - (times[0] as number)).toBeGreaterThanOrEqual(190);
    expect(calls).toBe(1);
    expect(errors.map((e) => (e as { status: number }).status).sort()).toEqual([422, 429]);
  });

  it('a job waiting for its retry counts as queued and is not added twice', async () => {
    const q = createMemoryQueue({ attempts: 2, backoffMs: 100 });
    let n = 0;
    const job: Job = {
      id: 'x',
      group: 'g',
      run: async () => {
        if (n++ === 0) throw httpError(500);
      },
    };
    q.add(job);
    await wait(30);
    expect(q.size()).toEqual({ queued: 1, running: 0 });
    expect(q.add(job)).toBe(false);
    await q.onIdle();
    expect(n).toBe(2);
  });
});

describe('memory queue: superseding', () => {
  it('a newer job of the group aborts the running one, which ends before the newer one starts', async () => {
    const q = createMemoryQueue({ concurrency: 4 });
    const events: string[] = [];
    const job = (id: string): Job => ({
      id,
      group: 'acme/shop#7',
      run: async (ctx) => {
        events.push(`start ${id}`);
        await until(ctx.signal, 2000);
        const reason = ctx.signal.reason as JobAborted | undefined;
        events.push(ctx.signal.aborted ? `stopped ${id} (${reason?.kind} by ${reason?.by})` : `end ${id}`);
      },
      superseded: async () => void events.push(`dropped ${id}`),
    });
    q.add(job('acme/shop#7@aaa'));
    await wait(10);
    q.add(job('acme/shop#7@bbb'));
    q.add(job('acme/shop#7@ccc'));
    setTimeout(() => q.add({ ...job('other'), group: 'other', run: async () => void events.push('other') }), 5);
    await wait(50);
    // ccc runs until the test ends it: open a path for it by superseding nothing more.
    await q.onIdle();
    expect(events.filter((e) => e !== 'other')).toEqual([
      'start acme/shop#7@aaa',
      'dropped acme/shop#7@bbb',
      'stopped acme/shop#7@aaa (superseded by acme/shop#7@bbb)',
      'start acme/shop#7@ccc',
      'end acme/shop#7@ccc',
    ]);
  }, 10_000);

  it('a job waiting for its retry is run at once, aborted, when a newer job supersedes it', async () => {
    const q = createMemoryQueue({ attempts: 3, backoffMs: 60_000 });
    const runs: string[] = [];
    q.add({
      id: 'pr@old',
      group: 'pr',
      run: async (ctx) => {
        runs.push(`old #${ctx.attempt}${ctx.signal.aborted ? ' aborted' : ''} state=${JSON.stringify(ctx.state)}`);
        if (!ctx.signal.aborted) {
          await ctx.save({ checkRunId: 5 });
          throw httpError(503);
        }
      },
    });
    await wait(20);
    expect(q.size()).toEqual({ queued: 1, running: 0 });
    q.add({ id: 'pr@new', group: 'pr', run: async () => void runs.push('new') });
    await q.onIdle();
    expect(runs).toEqual(['old #1 state={}', 'old #2 aborted state={"checkRunId":5}', 'new']);
  });
});

describe('memory queue: per-installation limit', () => {
  it('runs at most installationConcurrency jobs of one installation; others are not held up', async () => {
    const q = createMemoryQueue({ concurrency: 8, installationConcurrency: 2 });
    const active = new Map<string, number>();
    const peak = new Map<string, number>();
    let total = 0;
    let peakTotal = 0;
    const job = (id: string, installation: string): Job => ({
      id,
      group: id,
      installation,
      run: async () => {
        active.set(installation, (active.get(installation) ?? 0) + 1);
        peak.set(installation, Math.max(peak.get(installation) ?? 0, active.get(installation) ?? 0));
        peakTotal = Math.max(peakTotal, ++total);
        await wait(50);
        total--;
        active.set(installation, (active.get(installation) ?? 1) - 1);
      },
    });
    for (let i = 0; i < 6; i++) q.add(job(`a${i}`, 'A'));
    for (let i = 0; i < 3; i++) q.add(job(`b${i}`, 'B'));
    await q.onIdle();
    // Two of A and two of B at once: B did not wait behind A's queue.
    expect(peakTotal).toBe(4);
    expect(peak.get('A')).toBe(2);
    expect(peak.get('B')).toBe(2);
  });

  it('uses the installation id of the job data by default', async () => {
    const q = createMemoryQueue({ concurrency: 8, installationConcurrency: 1 });
    let active = 0;
    let peak = 0;
    for (let i = 0; i < 3; i++) {
      q.add({
        id: `j${i}`,
        group: `g${i}`,
        data: { installationId: 1, owner: 'o', repo: 'r', number: i, headSha: 's', baseSha: 'b', headOwner: 'o', headRepo: 'r', draft: false, force: false },
        run: async () => {
          peak = Math.max(peak, ++active);
          await wait(10);
          active--;
        },
      });
    }
    await q.onIdle();
    expect(peak).toBe(1);
  });
});

describe('memory queue: graceful shutdown', () => {
  it('stops taking jobs, drops queued ones, and lets the running job finish', async () => {
    const q = createMemoryQueue({ concurrency: 1 });
    const events: string[] = [];
    q.add({ id: 'running', group: 'g1', run: async () => void (await wait(50), events.push('running done')) });
    q.add({ id: 'queued', group: 'g2', run: async () => void events.push('queued ran') });
    await wait(10);
    const closed = q.close({ graceMs: 5000 }).then(() => events.push('closed'));
    expect(q.add({ id: 'late', group: 'g3', run: async () => void events.push('late ran') })).toBe(false);
    await closed;
    expect(events).toEqual(['running done', 'closed']);
    expect(q.size()).toEqual({ queued: 0, running: 0 });
  });

  it('at the deadline, aborts running jobs (reason: shutdown) so they complete their check runs', async () => {
    const q = createMemoryQueue({ concurrency: 2, abortWaitMs: 1000 });
    const events: string[] = [];
    q.add({
      id: 'slow',
      group: 'g',
      run: async (ctx) => {
        await until(ctx.signal, 10_000);
        events.push(`slow stopped: ${(ctx.signal.reason as JobAborted).kind}`);
      },
    });
    await wait(10);
    const t0 = Date.now();
    await q.close({ graceMs: 100 });
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(events).toEqual(['slow stopped: shutdown']);
  });

  it('a job waiting for its retry runs once more, aborted, instead of being dropped', async () => {
    const q = createMemoryQueue({ attempts: 3, backoffMs: 60_000 });
    const runs: string[] = [];
    q.add({
      id: 'r',
      group: 'g',
      run: async (ctx) => {
        runs.push(`#${ctx.attempt} ${ctx.signal.aborted ? (ctx.signal.reason as JobAborted).kind : 'live'}`);
        if (!ctx.signal.aborted) throw httpError(500);
      },
    });
    await wait(20);
    await q.close({ graceMs: 1000 });
    expect(runs).toEqual(['#1 live', '#2 shutdown']);
  });
});
