/**
 * Scene clips kept in the asset cache, so a render that changes one scene (Redo a scene) encodes
 * only that scene's clip and the next one's (its crossfade shows the changed picture) and joins
 * the others as they were. Only a redo reads them (see
 * RenderRequest.reuseClips): a re-render of the same story still encodes, as the benchmark's
 * "rendering alone" measures. A clip is about 0.5-1.5 MB and takes
 * 1-4 s of encoding on one core; reading it back takes milliseconds.
 *
 * The key is made of everything that decides the clip's frames (clipCacheKey): its part of the
 * timeline and its neighbour's, the images' bytes (hashed, so an evicted and fetched-again image
 * never pairs with an old clip), the captions file as written, and the ffmpeg arguments with
 * placeholder paths (size, frame rate, bitrate, motion, length, encoder settings). A change to clip-args.ts or captions.ts therefore misses instead of mixing
 * old and new clips, which the stream-copy join could not encode together.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import type { AssetStore } from '../providers/types.js';
import { buildBatchClipArgs } from '../media/args.js';
import {
  clipRunOfJobs,
  renderClipBatch,
  sceneAss,
  type ClipContext,
  type ClipJob,
  type RenderedBatch,
  type RenderedClip,
} from './scene-clip.js';

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** sha256 of an image: the timeline's when the builder set it, else of the file's bytes. */
const imageHash = async (image: { path: string; sha256?: string }) => image.sha256 ?? sha256(await readFile(image.path));

/**
 * The cache key of a scene's clip: its part of the timeline (length, move, lead-in, narration's
 * words), the part of the scene before it when it opens with a crossfade from it (a redo of scene
 * k therefore misses on clips k and k+1), the images' bytes, the captions as written and the
 * ffmpeg arguments with placeholder paths (size, rate, bitrate, encoder settings).
 */
export async function clipCacheKey(cache: AssetStore, job: ClipJob): Promise<string> {
  const ass = sceneAss(job) ?? '';
  const run = clipRunOfJobs([job], ass ? '<subtitles>' : undefined, { images: ['<image>'] });
  const args = buildBatchClipArgs({
    ...run,
    ...(run.previous ? { previous: { ...run.previous, image: '<previous>' } } : {}),
    out: '<out>',
  });
  const { image: _image, ...part } = job.part;
  const previous = run.previous && job.previous ? { motion: job.previous.motion, duration: job.previous.duration } : undefined;
  return cache.key({
    kind: 'clip',
    image: await imageHash(job.image),
    previousImage: run.previous && job.previous ? await imageHash(job.previous.image) : '',
    captions: sha256(ass),
    timeline: sha256(JSON.stringify({ part: { ...part, narration: part.narration && { ...part.narration, path: '' } }, previous })),
    args: sha256(JSON.stringify(args)),
  });
}

/** A clip that could not be kept is still a clip: the cache is an optimisation only. */
async function keep(cache: AssetStore, key: string, clip: RenderedClip): Promise<void> {
  await readFile(clip.path)
    .then((bytes) => cache.putEntry(key, bytes, { imageFellBack: clip.imageFellBack }))
    .catch(() => undefined);
}

/**
 * A redo's clip from the cache, written to `path`, when the cache holds one for the job; looked up
 * before the scene is given to a render slot, so kept clips take no slot and the clips that do
 * render are shared among the slots (a redo of scene k renders clips k and k+1 at once).
 */
export async function readCachedClip(cache: AssetStore, job: ClipJob, path: string): Promise<RenderedClip | undefined> {
  const hit = await cache.getEntry(await clipCacheKey(cache, job)).catch(() => undefined);
  if (!hit) return undefined;
  await writeFile(path, hit.bytes);
  return { path, imageFellBack: hit.meta.imageFellBack === true };
}

/** Scenes ready together (clip-batches.ts), rendered as one batch; every scene's clip is kept. */
export async function renderBatchCached(cache: AssetStore | undefined, ctx: ClipContext, jobs: ClipJob[]): Promise<RenderedBatch> {
  const batch = await renderClipBatch(ctx, jobs);
  if (cache) {
    await Promise.all(
      jobs.map((job, k) =>
        clipCacheKey(cache, job)
          .then((key) => keep(cache, key, { path: batch.paths[k]!, imageFellBack: batch.imageFellBack[k]! }))
          .catch(() => undefined),
      ),
    );
  }
  return batch;
}
