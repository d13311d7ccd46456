/**
 * Scene clips kept in the asset cache, so a render that changes one scene (Redo a scene) encodes
 * only that scene's clip and joins the others as they were. Only a redo reads them (see
 * RenderRequest.reuseClips): a re-render of the same story still encodes, as the benchmark's
 * "rendering alone" measures. A clip is about 0.5-1.5 MB and takes
 * 1-4 s of encoding on one core; reading it back takes milliseconds.
 *
 * The key is made of everything that decides the clip's frames: the image's bytes (hashed, so an
 * evicted and fetched-again image never pairs with an old clip), the captions file as written,
 * and the ffmpeg arguments with placeholder paths (size, frame rate, bitrate, motion, length,
 * encoder settings). A change to clip-args.ts or captions.ts therefore misses instead of mixing
 * old and new clips, which the stream-copy join could not encode together.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import type { AssetStore } from '../providers/types.js';
import { buildSceneClipArgs, MOTIONS } from '../media/args.js';
import {
  renderClipBatch,
  renderSceneClip,
  sceneAss,
  type ClipContext,
  type ClipJob,
  type RenderedBatch,
  type RenderedClip,
} from './scene-clip.js';

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** The cache key of a scene's clip, or undefined when the clip cannot be described (no cache, a silent scene). */
export async function clipCacheKey(cache: AssetStore, job: ClipJob): Promise<string> {
  const ass = sceneAss(job) ?? '';
  const args = buildSceneClipArgs({
    image: '<image>',
    subtitles: ass ? '<subtitles>' : undefined,
    durationSeconds: job.seconds,
    plan: job.plan,
    motion: MOTIONS[job.seed % MOTIONS.length]!,
    out: '<out>',
  });
  return cache.key({
    kind: 'clip',
    image: sha256(await readFile(job.image.path)),
    captions: sha256(ass),
    args: sha256(JSON.stringify(args)),
  });
}

export interface MaybeCachedClip extends RenderedClip {
  cached: boolean;
}

/**
 * With `read`, the clip from the cache when it holds one for exactly this input; else rendered.
 * A rendered clip is kept either way, so the job's clips are there when one scene is redone.
 */
export async function renderSceneClipCached(
  store: { cache?: AssetStore; read: boolean },
  ctx: ClipContext,
  job: ClipJob,
): Promise<MaybeCachedClip> {
  const { cache } = store;
  if (!cache) return { ...(await renderSceneClip(ctx, job)), cached: false };
  const key = await clipCacheKey(cache, job);
  const hit = store.read ? await cache.getEntry(key).catch(() => undefined) : undefined;
  if (hit) {
    const path = ctx.workspace.file(`clip-${job.scene.index}.mp4`);
    await writeFile(path, hit.bytes);
    return { path, imageFellBack: hit.meta.imageFellBack === true, cached: true };
  }
  const clip = await renderSceneClip(ctx, job);
  await keep(cache, key, clip);
  return { ...clip, cached: false };
}

/** A clip that could not be kept is still a clip: the cache is an optimisation only. */
async function keep(cache: AssetStore, key: string, clip: RenderedClip): Promise<void> {
  await readFile(clip.path)
    .then((bytes) => cache.putEntry(key, bytes, { imageFellBack: clip.imageFellBack }))
    .catch(() => undefined);
}

/**
 * Scenes ready together (clip-batches.ts). Rendered as one batch, every scene's clip is kept; with
 * `read` (a redo), each scene comes from the cache when it holds it and only the others render.
 */
export async function renderBatchCached(
  store: { cache?: AssetStore; read: boolean },
  ctx: ClipContext,
  jobs: ClipJob[],
): Promise<RenderedBatch> {
  const { cache } = store;
  if (cache && store.read) {
    const clips: RenderedClip[] = [];
    for (const job of jobs) clips.push(await renderSceneClipCached(store, ctx, job));
    return { paths: clips.map((c) => c.path), imageFellBack: clips.map((c) => c.imageFellBack) };
  }
  const batch = await renderClipBatch(ctx, jobs);
  if (cache) {
    await Promise.all(
      jobs.map(async (job, k) =>
        keep(cache, await clipCacheKey(cache, job), { path: batch.paths[k]!, imageFellBack: batch.imageFellBack[k]! }),
      ),
    );
  }
  return batch;
}
