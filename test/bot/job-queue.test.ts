import { describe, expect, it } from 'vitest';
import { JobQueue, type QueuedJob } from '../../src/jobs/in-process-queue.js';

/**
 * Conditions re-checked whenever a run is called or a job ends: tests wait for these events,
 * never for wall-clock gaps.
 */
function watcher() {
  const checks = new Set<() => void>();
  return {
    changed: () => {
      for (const check of [...checks]) check();
    },
    until(condition: () => boolean): Promise<void> {
      return new Promise((resolve) => {
        const check = () => {
          if (!condition()) return;
          checks.delete(check);
          resolve();
        };
        checks.add(check);
        check();
      });
    },
  };
}

function harness(limits = { perGuildRunning: 1, perGuildWaiting: 2, globalRunning: 2 }) {
  const release = new Map<string, () => void>();
  const started: string[] = [];
  const watch = watcher();
  const queue = new JobQueue<null>(
    (job, signal) =>
      new Promise<void>((resolve, reject) => {
        started.push(job.id);
        watch.changed();
        release.set(job.id, resolve);
        signal.addEventListener('abort', () => reject(signal.reason));
      }),
    limits,
  );
  const job = (id: string, guildId: string, userId = id): QueuedJob<null> => ({ id, guildId, userId, payload: null });
  const ended: string[] = [];
  queue.on('end', (j) => {
    ended.push(j.id);
    watch.changed();
  });
  /** Once the run of each of `ids` has been called. */
  const runs = (...ids: string[]) => watch.until(() => ids.every((id) => started.includes(id)));
  /** Once each of `ids` has ended. */
  const ends = (...ids: string[]) => watch.until(() => ids.every((id) => ended.includes(id)));
  return { queue, release, started, job, runs, ends };
}

describe('JobQueue', () => {
  it('runs one job per guild, queues the rest in order, refuses past the waiting cap', async () => {
    const { queue, release, started, job, runs } = harness();
    expect(queue.submit(job('a1', 'A'))).toEqual({ ok: true, position: 0 });
    expect(queue.submit(job('a2', 'A'))).toEqual({ ok: true, position: 1 });
    expect(queue.submit(job('a3', 'A'))).toEqual({ ok: true, position: 2 });
    expect(queue.submit(job('a4', 'A'))).toMatchObject({ ok: false, reason: 'queue-full' });
    await runs('a1');
    expect(started).toEqual(['a1']);
    release.get('a1')!();
    await runs('a2');
    expect(started).toEqual(['a1', 'a2']);
    expect(queue.position('a3')).toBe(1);
  });

  it('one active job per user, admitted again once it ends', async () => {
    const { queue, release, job, runs, ends } = harness();
    queue.submit(job('x', 'A', 'u'));
    expect(queue.submit(job('y', 'B', 'u'))).toMatchObject({ ok: false, reason: 'user-busy' });
    await runs('x');
    release.get('x')!();
    await ends('x');
    expect(queue.submit(job('y', 'B', 'u'))).toMatchObject({ ok: true });
  });

  it('a freed global slot goes to the oldest waiting job whose guild has room', async () => {
    const { queue, release, started, job, runs } = harness({ perGuildRunning: 1, perGuildWaiting: 5, globalRunning: 2 });
    queue.submit(job('a1', 'A'));
    queue.submit(job('a2', 'A'));
    queue.submit(job('b1', 'B'));
    queue.submit(job('c1', 'C'));
    await runs('a1', 'b1');
    expect(started).toEqual(['a1', 'b1']);
    release.get('b1')!(); // B's slot frees: A still runs a1, so C goes next
    await runs('c1');
    expect(started).toEqual(['a1', 'b1', 'c1']);
  });

  it('emits positions as they shift, and cancels waiting and running jobs', async () => {
    const { queue, job, runs, ends: ended } = harness({ perGuildRunning: 1, perGuildWaiting: 5, globalRunning: 1 });
    const seen: [string, number][][] = [];
    queue.on('positions', (_g, p) => seen.push([...p]));
    const ends: string[] = [];
    queue.on('end', (j, outcome) => ends.push(`${j.id}:${outcome.ok}`));
    queue.submit(job('r', 'A'));
    queue.submit(job('w1', 'A'));
    queue.submit(job('w2', 'A'));
    await runs('r');
    expect(queue.cancel('w1')).toBe(true);
    expect(seen.at(-1)).toEqual([['w2', 1]]);
    expect(queue.cancel('r', new Error('stop'))).toBe(true);
    await ended('w1', 'r');
    expect(ends).toEqual(['w1:false', 'r:false']);
    expect(queue.position('w2')).toBe(0);
  });

  it('close stops admitting, aborts running jobs when asked, and returns the waiting ones', async () => {
    const { queue, job, runs } = harness({ perGuildRunning: 1, perGuildWaiting: 5, globalRunning: 1 });
    queue.submit(job('r', 'A'));
    queue.submit(job('w', 'A'));
    await runs('r');
    const left = await queue.close({ abortRunning: true });
    expect(left.map((j) => j.id)).toEqual(['w']);
    expect(queue.submit(job('n', 'B'))).toMatchObject({ ok: false, reason: 'closed' });
  });

  it('a run that throws does not break the queue', async () => {
    const watch = watcher();
    const queue = new JobQueue<null>(
      async (j) => {
        if (j.id === 'bad') throw new Error('boom');
      },
      { perGuildRunning: 1, perGuildWaiting: 5, globalRunning: 1 },
    );
    const outcomes: boolean[] = [];
    queue.on('end', (_j, o) => {
      outcomes.push(o.ok);
      watch.changed();
    });
    queue.submit({ id: 'bad', guildId: 'A', userId: '1', payload: null });
    queue.submit({ id: 'good', guildId: 'A', userId: '2', payload: null });
    await watch.until(() => outcomes.length === 2);
    expect(outcomes).toEqual([false, true]);
  });
});
