/**
 * Every scene's clip, each the moment its job is ready: from the cache when a redo finds it kept
 * (before any render slot is taken, so the clips that do render share the slots: a redo of scene
 * k renders clips k and k+1 at once), else in a batch of ready neighbours (clip-batches.ts), every
 * rendered clip kept for a later redo (clip-cache.ts). Emits each clip's started and done.
 */
import type { LimitFunction } from 'p-limit';
import type { AssetStore } from '../providers/types.js';
import { renderInBatches } from './clip-batches.js';
import { readCachedClip, renderBatchCached } from './clip-cache.js';
import type { ClipContext, ClipJob, RenderedBatch } from './scene-clip.js';

export interface SceneRenders {
  ready: Promise<ClipJob>[];
  /** A redo: clips the cache holds are used as they are. */
  reuseClips: boolean;
  cache?: AssetStore;
  renderLimit: LimitFunction;
  ctx: ClipContext;
  /** Called as each scene's clip is done (rendered or read back). */
  onDone: () => void;
}

/** Per scene, the batch that holds its clip (a kept clip is a batch of one). */
export function renderScenes(input: SceneRenders): Promise<RenderedBatch & { first: number }>[] {
  const { cache, ctx } = input;
  const emit = ctx.emit;
  const kept = input.ready.map((p) =>
    p.then((job) =>
      input.reuseClips && cache ? readCachedClip(cache, job, ctx.workspace.file(`clip-${job.scene.index}.mp4`)) : undefined,
    ),
  );
  const toRender = input.ready.map((p, i) => Promise.all([p, kept[i]!]).then(([job, clip]) => (clip ? undefined : job)));
  const rendered = renderInBatches(
    toRender,
    input.renderLimit,
    async ({ first, jobs }) => {
      ctx.signal.throwIfAborted();
      jobs.forEach((_, k) => emit({ type: 'clip', scene: first + k, state: 'started' }));
      const started = Date.now();
      const batch = await renderBatchCached(cache, ctx, jobs);
      const ms = Date.now() - started;
      jobs.forEach((_, k) => emit({ type: 'clip', scene: first + k, state: 'done', ms }));
      input.onDone();
      return { first, ...batch };
    },
    // a clip's render time follows its length
    { cost: (job: ClipJob) => job.part.duration },
  );
  return rendered.map((batch, i) =>
    Promise.all([batch, kept[i]!]).then(([b, clip]) => {
      if (b) return b;
      emit({ type: 'clip', scene: i, state: 'done', ms: 0 });
      input.onDone();
      return { first: i, paths: [clip!.path], imageFellBack: [clip!.imageFellBack] };
    }),
  );
}
