/**
 * Redo one scene: the same script, options and seeds, except one scene's seed, so the render
 * asks for exactly one new image. Every other image and all narration are cache hits (their keys
 * are content hashes of prompt+seed and text+voice), every other clip is a clip-cache hit (see
 * clip-cache.ts) but the next scene's, which opens with the crossfade from the new image: the work
 * left is one image, two clips in one ffmpeg, joining the narration and the mux.
 */
import { randomInt } from 'node:crypto';
import type { Script } from '../core/story.js';
import { StoryInputError } from './story-input.js';
import type { RenderRequest, RenderResult } from './render-story.js';

export interface RedoRequest extends Omit<RenderRequest, 'script' | 'seeds'> {
  /** The earlier job's script and per-scene seeds, as it rendered them. */
  script: Script;
  seeds: number[];
  /** 0-based scene to make again. */
  scene: number;
  /** The scene's new seed; a random one different from the old by default. */
  newSeed?: number;
}

export interface RedoResult extends RenderResult {
  redo: { scene: number; oldSeed: number; newSeed: number };
}

/** Seeds stay below 2^31 (Pollinations and history take 32-bit signed integers). */
const SEED_LIMIT = 2 ** 31 - 1;

export function newSeedFor(oldSeed: number, random: () => number = () => randomInt(0, SEED_LIMIT)): number {
  for (;;) {
    const seed = random();
    if (seed !== oldSeed) return seed;
  }
}

/** Checks the request and gives the seeds the render uses: the old ones with one replaced. */
export function redoSeeds(req: Pick<RedoRequest, 'script' | 'seeds' | 'scene' | 'newSeed'>): {
  seeds: number[];
  oldSeed: number;
  newSeed: number;
} {
  const count = req.script.scenes.length;
  if (!Number.isInteger(req.scene) || req.scene < 0 || req.scene >= count) {
    throw new StoryInputError(`There is no scene ${req.scene + 1}: this story has ${count} scene${count === 1 ? '' : 's'} (1-${count}).`);
  }
  if (req.seeds.length !== count)
    throw new StoryInputError(`The earlier job has ${req.seeds.length} seeds for ${count} scenes: it cannot be redone scene by scene.`);
  const oldSeed = req.seeds[req.scene]!;
  const newSeed = req.newSeed ?? newSeedFor(oldSeed);
  return { seeds: req.seeds.map((s, i) => (i === req.scene ? newSeed : s)), oldSeed, newSeed };
}

export async function redoScene(render: (req: RenderRequest) => Promise<RenderResult>, req: RedoRequest): Promise<RedoResult> {
  const { seeds, oldSeed, newSeed } = redoSeeds(req);
  const { scene, newSeed: _n, ...rest } = req;
  const result = await render({ ...rest, script: req.script, seeds, reuseClips: true });
  return { ...result, redo: { scene, oldSeed, newSeed } };
}
