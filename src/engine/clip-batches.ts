/**
 * Which scenes one ffmpeg renders together. Every scene clip used to be its own ffmpeg: ten
 * start-ups, and ten x264 rate controls that each start from a guess (measured on the benchmark's
 * 10 scenes: 6.2 CPU-s as ten clips against 5.2 in one pass, the same filters and encoder).
 * Now, when a render slot comes free, it takes the lowest ready scene and the ready scenes right
 * after it, one file for the run. A run is cut into one part per slot, so two slots render two
 * halves at once instead of one slot taking everything while the other core idles; that holds
 * when the other slot is busy for now (the narration's encode, another job): it takes the second
 * half when it comes free (one slot taking all ten scenes of a warm cache rendered at 2x
 * realtime on two cores).
 * Scenes that arrive one at a time (the usual case while images are generated) still render one
 * at a time, the moment they are ready; runs form when scenes wait, e.g. from the cache.
 */
import type { LimitFunction } from 'p-limit';

export interface Batch<J> {
  /** Index of the batch's first scene; the batch holds consecutive scenes. */
  first: number;
  jobs: J[];
}

/**
 * `ready[i]` resolves with scene i's job when it can be rendered. Returns, per scene, the result
 * of the batch that rendered it. Each ready scene queues one task on `limit`; a task that finds
 * its scene already taken by an earlier batch ends at once.
 */
export function renderInBatches<J, R>(ready: Promise<J>[], limit: LimitFunction, render: (batch: Batch<J>) => Promise<R>): Promise<R>[] {
  const jobs = new Map<number, J>();
  const taken = new Set<number>();
  const settle = ready.map(() => ({ resolve: (_: R) => {}, reject: (_: unknown) => {} }));
  const results = ready.map((_, i) => new Promise<R>((resolve, reject) => (settle[i] = { resolve, reject })));
  let picking = 0;
  let rendering = 0;

  const pick = (): Batch<J> | undefined => {
    const free = [...jobs.keys()].filter((i) => !taken.has(i)).sort((a, b) => a - b);
    if (free.length === 0) return undefined;
    const first = free[0]!;
    let run = 1;
    while (jobs.has(first + run) && !taken.has(first + run)) run++;
    // the slots not rendering one of these runs already: free now, or busy with other work for now
    const size = Math.ceil(run / Math.max(1, picking, limit.concurrency - rendering));
    const indexes = Array.from({ length: size }, (_, k) => first + k);
    for (const i of indexes) taken.add(i);
    return { first, jobs: indexes.map((i) => jobs.get(i)!) };
  };

  const task = async () => {
    picking++;
    let batch: Batch<J> | undefined;
    try {
      // one turn of the event loop, so scenes that became ready together (a warm cache) are all seen
      await new Promise((r) => setImmediate(r));
      batch = pick();
    } finally {
      picking--;
    }
    if (!batch) return;
    const indexes = batch.jobs.map((_, k) => batch!.first + k);
    rendering++;
    try {
      const result = await render(batch);
      for (const i of indexes) settle[i]!.resolve(result);
    } catch (error) {
      for (const i of indexes) settle[i]!.reject(error);
    } finally {
      rendering--;
    }
  };

  ready.forEach((p, i) =>
    p.then(
      (job) => {
        jobs.set(i, job);
        // queued a turn later, so work queued in the same turn (the narration's encode) goes first
        setImmediate(() => void limit(task));
      },
      (error: unknown) => settle[i]!.reject(error),
    ),
  );
  return results;
}
