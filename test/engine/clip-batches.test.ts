import { describe, expect, it } from 'vitest';
import pLimit from 'p-limit';
import { renderInBatches, type Batch } from '../../src/engine/clip-batches.js';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/**
 * Turns of the event loop, not milliseconds: renderInBatches queues through setImmediate and
 * p-limit's microtasks, so a fixed number of turns sees every batch that can start, however busy
 * the machine is (a 5 ms timer did not, under load).
 */
const tick = async () => {
  for (let turn = 0; turn < 20; turn++) await new Promise((r) => setImmediate(r));
};

/** A render that records its batch and finishes when told to. */
function recorder() {
  const batches: number[][] = [];
  const finish: (() => void)[] = [];
  const render = async (b: Batch<number>) => {
    batches.push(b.jobs);
    await new Promise<void>((r) => finish.push(r));
    return b.jobs.join(',');
  };
  return { batches, finish, render };
}

describe('renderInBatches: which ready scenes one render takes', () => {
  it('scenes ready together are split into consecutive halves for two free slots', async () => {
    const { batches, finish, render } = recorder();
    const results = renderInBatches(
      Array.from({ length: 10 }, (_, i) => Promise.resolve(i)),
      pLimit(2),
      render,
    );
    await tick();
    expect(batches).toEqual([
      [0, 1, 2, 3, 4],
      [5, 6, 7, 8, 9],
    ]);
    finish.forEach((f) => f());
    expect(await Promise.all(results)).toEqual([...Array(5).fill('0,1,2,3,4'), ...Array(5).fill('5,6,7,8,9')]);
  });

  it('with the other slot busy, one slot takes the first half now and the other the second half when it is free', async () => {
    const { batches, finish, render } = recorder();
    const limit = pLimit(2);
    const busy = deferred<void>();
    void limit(() => busy.promise); // the other slot: another job, or the narration
    const results = renderInBatches(
      [0, 1, 2, 3].map((i) => Promise.resolve(i)),
      limit,
      render,
    );
    await tick();
    expect(batches).toEqual([[0, 1]]);
    busy.resolve();
    await tick();
    expect(batches).toEqual([
      [0, 1],
      [2, 3],
    ]);
    finish.forEach((f) => f());
    expect(await Promise.all(results)).toEqual(['0,1', '0,1', '2,3', '2,3']);
  });

  it('scenes arriving one at a time render one at a time, the moment a slot is free; a gap splits a run', async () => {
    const { batches, finish, render } = recorder();
    const ready = Array.from({ length: 5 }, () => deferred<number>());
    const results = renderInBatches(
      ready.map((d) => d.promise),
      pLimit(1),
      render,
    );
    ready[2]!.resolve(2);
    await tick();
    expect(batches).toEqual([[2]]);
    // while 2 renders, 0, 1 and 4 arrive: 0-1 are one run, 4 another
    ready[0]!.resolve(0);
    ready[1]!.resolve(1);
    ready[4]!.resolve(4);
    await tick();
    finish[0]!();
    await tick();
    expect(batches).toEqual([[2], [0, 1]]);
    finish[1]!();
    await tick();
    expect(batches).toEqual([[2], [0, 1], [4]]);
    ready[3]!.resolve(3);
    finish[2]!();
    await tick();
    finish[3]!();
    expect(batches).toEqual([[2], [0, 1], [4], [3]]);
    expect(await Promise.all(results)).toEqual(['0,1', '0,1', '2', '3', '4']);
  });

  it('a failed render fails every scene of its batch, and a scene that never becomes ready fails alone', async () => {
    const limit = pLimit(1);
    const ready: Promise<number>[] = [Promise.resolve(0), Promise.resolve(1), Promise.reject(new Error('no voice')), Promise.resolve(3)];
    const results = renderInBatches(ready, limit, async (b) => {
      if (b.first === 0) throw new Error(`ffmpeg failed on ${b.jobs.join(',')}`);
      return 'ok';
    });
    const settled = await Promise.allSettled(results);
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message))).toEqual([
      'ffmpeg failed on 0,1',
      'ffmpeg failed on 0,1',
      'no voice',
      'ok',
    ]);
  });

  it('a scene that needs no render (undefined) takes no slot and ends the runs around it', async () => {
    const { batches, finish, render } = recorder();
    const ready = [0, 1, undefined, 3, 4].map((j) => Promise.resolve(j));
    const results = renderInBatches(ready, pLimit(2), render);
    await tick();
    expect(batches).toEqual([[0], [1]]);
    finish[0]!();
    finish[1]!();
    await tick();
    expect(batches.slice(2)).toEqual([[3], [4]]);
    finish.slice(2).forEach((f) => f());
    expect(await Promise.all(results)).toEqual(['0', '1', undefined, '3', '4']);
  });

  it('a run that is ready while the other slot is finishing its batch is shared with that slot', async () => {
    let clock = 0;
    const { batches, finish, render } = recorder();
    const late = Array.from({ length: 5 }, () => deferred<number>());
    const ready = [Promise.resolve(0), Promise.resolve(1), ...late.map((d) => d.promise)];
    const results = renderInBatches(ready, pLimit(2), render, { now: () => clock });
    await tick();
    expect(batches).toEqual([[0], [1]]);
    // scene 0 took 1000 ms: scene 1, started with it, is about done when scenes 2-6 are ready
    clock = 1000;
    finish[0]!();
    await tick();
    clock = 1900;
    late.forEach((d, k) => d.resolve(k + 2));
    await tick();
    // one slot is free, the other about to be: the free one takes half of the run, not all five
    expect(batches[2]).toEqual([2, 3, 4]);
    finish[1]!();
    await tick();
    expect(batches[3]).toEqual([5, 6]);
    finish.slice(2).forEach((f) => f());
    expect(await Promise.all(results)).toEqual(['0', '1', '2,3,4', '2,3,4', '2,3,4', '5,6', '5,6']);
  });

  it('a run is not shared with a slot that has a long batch still to render', async () => {
    let clock = 0;
    const { batches, finish, render } = recorder();
    const late = Array.from({ length: 4 }, () => deferred<number>());
    const ready = [Promise.resolve(0), ...late.map((d) => d.promise), Promise.resolve(5)];
    const results = renderInBatches(ready, pLimit(2), render, { now: () => clock, cost: (j) => (j === 5 ? 10 : 1) });
    await tick();
    expect(batches).toEqual([[0], [5]]);
    // scene 0 (cost 1) took 1000 ms: scene 5 (cost 10) has about 9 s still to go
    clock = 1000;
    finish[0]!();
    await tick();
    late.forEach((d, k) => d.resolve(k + 1));
    await tick();
    // so the free slot takes the whole run of four
    expect(batches[2]).toEqual([1, 2, 3, 4]);
    finish.slice(1).forEach((f) => f());
    expect(await Promise.all(results)).toEqual(['0', '1,2,3,4', '1,2,3,4', '1,2,3,4', '1,2,3,4', '5']);
  });

  it('before any batch is done, a run is shared with a slot whose batch costs less than its half', async () => {
    // a clock of our own: the real one made the second half depend on how busy the machine was
    let clock = 0;
    const { batches, finish, render } = recorder();
    const late = Array.from({ length: 6 }, () => deferred<number>());
    const results = renderInBatches([Promise.resolve(0), ...late.map((d) => d.promise)], pLimit(2), render, { now: () => clock });
    await tick();
    expect(batches).toEqual([[0]]);
    late.forEach((d, k) => d.resolve(k + 1));
    await tick();
    expect(batches[1]).toEqual([1, 2, 3]);
    // scene 0 took 1000 ms: the batch of three, started with the clock at 0, has about 2 s to go,
    // more than half of the run of three left (3 s): the free slot takes all three
    clock = 1000;
    finish[0]!();
    await tick();
    expect(batches[2]).toEqual([4, 5, 6]);
    finish.slice(1).forEach((f) => f());
    expect((await Promise.all(results)).length).toBe(7);
  });
});
