/**
 * The soundtrack kept in the asset cache beside the clips, so a redo that changes a picture (Redo a
 * scene, New images) does not mix, master and encode the same narration again: about 1.4 CPU-s
 * that took a render slot from the redo's two clips. Like the clips, only those re-renders of the
 * same script read it (RenderRequest.reuseClips); every render writes it.
 *
 * The key is made of everything that decides the bytes: each part's narration (its file's hash,
 * its length, lead and spoken time), the music (a built-in mood by name with its recipe's version;
 * a user's own file is never cached, it may change under the same name), the AAC bitrate, the
 * loudness targets and both passes' arguments (mix graph, encoder) with placeholder paths.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { isMoodName, RECIPE_VERSION } from '../media/music-recipes.js';
import { buildEncodeArgs, buildMixArgs } from '../media/soundtrack-args.js';
import type { AssetStore } from '../providers/types.js';
import { BED_LEVEL, LIMITER_CEILING_DB, LOUDNESS_TARGET, speechIntervals, type NarrationInput } from './soundtrack.js';

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

export interface SoundtrackInput {
  parts: NarrationInput[];
  music?: string;
  audioKbps: number;
}

/** The cache key, or undefined when the soundtrack is not to be cached (a user's own music file). */
export async function soundtrackCacheKey(cache: AssetStore, input: SoundtrackInput): Promise<string | undefined> {
  const music = input.music?.trim() || 'none';
  if (music !== 'none' && !isMoodName(music)) return undefined;
  const parts = await Promise.all(
    input.parts.map(async (p) => ({
      narration: sha256(await readFile(p.path)),
      seconds: p.seconds.toFixed(6),
      lead: p.lead.toFixed(6),
      spoken: p.spokenSeconds.toFixed(6),
    })),
  );
  return cache.key({
    kind: 'soundtrack',
    parts: sha256(JSON.stringify(parts)),
    music,
    recipe: music === 'none' ? undefined : RECIPE_VERSION,
    levels: JSON.stringify({ LOUDNESS_TARGET, BED_LEVEL, LIMITER_CEILING_DB }),
    // both passes' arguments with placeholder paths and gains: a change to the mix graph or the
    // encoder misses instead of reusing a soundtrack made the old way
    args: sha256(
      JSON.stringify([
        buildMixArgs({
          parts: input.parts.map((p) => ({ path: '<part>', seconds: p.seconds, lead: p.lead, gainDb: 0 })),
          ...(music === 'none' ? {} : { music: { path: '<music>', gainDb: 0, duckDb: BED_LEVEL.duckDb } }),
          speech: speechIntervals(input.parts),
          out: '<mix>',
        }),
        buildEncodeArgs({ pcm: '<pcm>', audioKbps: input.audioKbps, out: '<out>' }),
      ]),
    ),
  });
}

/**
 * `render` makes the soundtrack at `out`; with `read` (a redo) a kept one is written there instead.
 * A soundtrack that cannot be kept or read back is made as if there were no cache.
 */
export async function soundtrackCached(
  store: { cache?: AssetStore; read: boolean },
  input: SoundtrackInput & { out: string },
  render: () => Promise<void>,
): Promise<void> {
  const { cache } = store;
  const key = cache ? await soundtrackCacheKey(cache, input).catch(() => undefined) : undefined;
  if (!cache || key === undefined) return render();
  const hit = store.read ? await cache.getEntry(key).catch(() => undefined) : undefined;
  if (hit) return writeFile(input.out, hit.bytes);
  await render();
  await readFile(input.out)
    .then((bytes) => cache.putEntry(key, bytes, {}))
    .catch(() => undefined);
}
