/**
 * Which scenes one ffmpeg renders together. Every scene clip used to be its own ffmpeg: ten
 * start-ups, and ten x264 rate controls that each start from a guess (measured on the benchmark's
 * 10 scenes: 6.2 CPU-s as ten clips against 5.2 in one pass, the same filters and encoder).
 * Now, when a render slot comes free, it takes the lowest ready scene and the ready scenes right
 * after it, one file for the run. A run is cut into one part per slot, so two slots render two
 * halves at once instead of one slot taking everything while the other core idles; that holds
 * when the other slot is busy for now (the narration's encode, another job, or the last scene of
 * its own batch): it takes the second half when it comes free (one slot taking all ten scenes of
 * a warm cache rendered at 2x realtime on two cores). A slot rendering a long batch is not waited
 * for: how long batches take is learnt from the ones done so far (Pace).
 * Scenes that arrive one at a time (the usual case while images are generated) still render one
 * at a time, the moment they are ready; runs form when scenes wait, e.g. from the cache.
 */
import type { LimitFunction } from 'p-limit';

/** How a scene's render time is judged: its cost (the engine gives its length in seconds), and the clock. */
export interface Pace<J> {
  cost?: (job: J) => number;
  now?: () => number;
}

export interface Batch<J> {
  /** Index of the batch's first scene; the batch holds consecutive scenes. */
  first: number;
  jobs: J[];
}

/**
 * `ready[i]` resolves with scene i's job when it can be rendered, or with undefined when the scene
 * needs no render (a redo's clip the cache holds): it takes no slot and ends the runs around it.
 * Returns, per scene, the result of the batch that rendered it (undefined for a skipped scene).
 * Each ready scene queues one task on `limit`; a task that finds its scene already taken by an
 * earlier batch ends at once.
 */
export function renderInBatches<J, R>(
  ready: Promise<J | undefined>[],
  limit: LimitFunction,
  render: (batch: Batch<J>) => Promise<R>,
  pace: Pace<J> = {},
): Promise<R | undefined>[] {
  const cost = pace.cost ?? (() => 1);
  const now = pace.now ?? Date.now;
  const running = new Set<{ started: number; cost: number }>();
  let spent = { ms: 0, cost: 0 };
  const jobs = new Map<number, J>();
  const taken = new Set<number>();
  const settle = ready.map(() => ({ resolve: (_: R | undefined) => {}, reject: (_: unknown) => {} }));
  const results = ready.map((_, i) => new Promise<R | undefined>((resolve, reject) => (settle[i] = { resolve, reject })));
  let picking = 0;
  let rendering = 0;

  /**
   * How many slots share a run: the slots not rendering clips (free now, or busy with other work
   * for now), and each slot rendering clips whose batch will be done well before this run would be
   * (judged by the time per unit of cost of the batches done so far; before any is done, by cost).
   * Without the second part a slot came free while the other was finishing its last scene and took
   * a run of five alone: 9 s on one core while the other idled after 0.2 s.
   */
  const slotsFor = (run: J[]): number => {
    const free = Math.max(1, picking, limit.concurrency - rendering);
    // before any batch is done, a running batch is judged by its cost alone, as if just started
    const msPerCost = spent.cost > 0 ? spent.ms / spent.cost : 1;
    const elapsed = (b: { started: number }) => (spent.cost > 0 ? now() - b.started : 0);
    const runMs = run.reduce((sum, job) => sum + cost(job), 0) * msPerCost;
    const soon = [...running].filter((b) => b.cost * msPerCost - elapsed(b) < runMs / limit.concurrency).length;
    return Math.min(limit.concurrency, free + soon);
  };

  const pick = (): Batch<J> | undefined => {
    const free = [...jobs.keys()].filter((i) => !taken.has(i)).sort((a, b) => a - b);
    if (free.length === 0) return undefined;
    const first = free[0]!;
    let run = 1;
    while (jobs.has(first + run) && !taken.has(first + run)) run++;
    const size = Math.ceil(run / slotsFor(Array.from({ length: run }, (_, k) => jobs.get(first + k)!)));
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
    const entry = { started: now(), cost: batch.jobs.reduce((sum, job) => sum + cost(job), 0) };
    running.add(entry);
    try {
      const result = await render(batch);
      spent = { ms: spent.ms + (now() - entry.started), cost: spent.cost + entry.cost };
      for (const i of indexes) settle[i]!.resolve(result);
    } catch (error) {
      for (const i of indexes) settle[i]!.reject(error);
    } finally {
      rendering--;
      running.delete(entry);
    }
  };

  ready.forEach((p, i) =>
    p.then(
      (job) => {
        if (job === undefined) return settle[i]!.resolve(undefined);
        jobs.set(i, job);
        // queued a turn later, so work queued in the same turn (the narration's encode) goes first
        setImmediate(() => void limit(task));
      },
      (error: unknown) => settle[i]!.reject(error),
    ),
  );
  return results;
}
