import { describe, expect, it } from '@jest/globals';
import { createMemoryQueue, type Job } from '../src/queue/memory.js';

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('memory queue', () => {
  it('runs jobs, dedupes ids, and resolves onIdle', async () => {
    const q = createMemoryQueue({ concurrency: 1 });
    const ran: string[] = [];
    const job = (id: string, group = id): Job => ({ id, group, run: async () => void ran.push(id) });
    expect(q.add(job('a'))).toBe(true);
    expect(q.add(job('a'))).toBe(false);
    expect(q.add(job('b'))).toBe(true);
    await q.onIdle();
    expect(ran).toEqual(['a', 'b']);
  });

  it('supersedes queued jobs of the same group, not running ones', async () => {
    const q = createMemoryQueue({ concurrency: 1 });
    const events: string[] = [];
    const job = (id: string, ms = 0): Job => ({
      id,
      group: 'pr-1',
      run: async () => {
        events.push(`run ${id}`);
        await wait(ms);
      },
      superseded: async () => void events.push(`superseded ${id}`),
    });
    q.add(job('sha1', 30));
    await wait(5); // sha1 is running now
    q.add(job('sha2'));
    q.add(job('sha3'));
    await q.onIdle();
    expect(events).toEqual(['run sha1', 'superseded sha2', 'run sha3']);
  });

  it('limits concurrency and survives a failing job', async () => {
    const errors: unknown[] = [];
    const q = createMemoryQueue({ concurrency: 2, onError: (e) => errors.push(e) });
    let active = 0;
    let peak = 0;
    for (let i = 0; i < 6; i++) {
      q.add({
        id: `j${i}`,
        group: `g${i}`,
        run: async () => {
          active++;
          peak = Math.max(peak, active);
          await wait(5);
          active--;
          if (i === 3) throw new Error('boom');
        },
      });
    }
    await q.onIdle();
    expect(peak).toBe(2);
    expect(errors).toHaveLength(1);
  });

  it('runs one job per group at a time', async () => {
    const q = createMemoryQueue({ concurrency: 4 });
    const events: string[] = [];
    const job = (id: string, group: string): Job => ({
      id,
      group,
      run: async () => {
        events.push(`start ${id}`);
        await wait(10);
        events.push(`end ${id}`);
      },
    });
    q.add(job('pr1-a', 'pr1'));
    await wait(2);
    q.add(job('pr1-b', 'pr1'));
    q.add(job('pr2-a', 'pr2'));
    await q.onIdle();
    expect(events.indexOf('end pr1-a')).toBeLessThan(events.indexOf('start pr1-b'));
    expect(events.indexOf('start pr2-a')).toBeLessThan(events.indexOf('end pr1-a'));
  });
});
