/**
 * A cast, drawn once, used everywhere: one portrait per main character (at most MAX_CAST), each
 * with its own seed on a plain background, made before any scene that shows it; then every scene
 * naming a character is asked for with the portraits as references (the provider's own URLs of
 * the portrait requests, so nothing is hosted), on the provider's reference model.
 * - Only a provider with references (`referenceUrl` and `referenceModel`: Pollinations) gets
 *   portraits; with another (the offline cards) the cast is kept in the script and shown as is.
 * - A portrait that cannot be made leaves its character without a reference; nothing fails.
 * - A scene whose request with references fails (the model missing or paid-only, any 4xx, or its
 *   retries spent) is made again from its words alone, and so is every later scene of the job: the
 *   job says so once (log, `referencesNote`).
 * Seeds: a portrait's is the script's (a redo keeps its portraits) or base + PORTRAIT_SEED_OFFSET + i.
 */
import type { CastMember, Scene, Script } from '../core/story.js';
import { MAX_CAST } from '../core/story.js';
import { NO_TEXT, styleWords } from '../core/image-prompt.js';
import { createLogger } from '../core/log.js';
import { describeError } from '../core/describe-error.js';
import { writeFile } from 'node:fs/promises';
import type { GeneratedImage, ImageProvider } from '../providers/types.js';
import { isAbort, withRetries } from './retry.js';
import { fetchSceneImage, type AssetContext, type GatedProvider, type ImageJob, type SceneImage } from './scene-assets.js';

const log = createLogger('cast');

/** Portraits are square and small: a reference, not a frame of the video. */
export const PORTRAIT_SIZE = { width: 768, height: 768 } as const;
/** Far from the scenes' seeds (base + 0..19), so no portrait shares a scene's noise. */
export const PORTRAIT_SEED_OFFSET = 100_000;
const SEED_LIMIT = 2 ** 31 - 1;
/** A portrait's description, in characters: its URL travels inside every scene's URL. */
const MAX_PORTRAIT_DESCRIPTION = 200;

/** A character as drawn: what --json and history show. */
export interface CastPortrait {
  name: string;
  description: string;
  /** The portrait's seed (absent when the provider takes no references: nothing was drawn). */
  seed?: number;
  /** The portrait's URL at the provider, used as every scene's reference. */
  url?: string;
  /** Why no portrait could be made. */
  error?: string;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The cast members a scene names in its narration or its image prompt (case-insensitive, whole words). */
export function castInScene(cast: readonly CastMember[], scene: Pick<Scene, 'narration' | 'imagePrompt'>): CastMember[] {
  const text = `${scene.narration}\n${scene.imagePrompt}`;
  return cast.filter((member) => {
    const name = member.name.replace(/^(the|a|an) /i, '').trim();
    return name !== '' && new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(name)}($|[^\\p{L}\\p{N}])`, 'iu').test(text);
  });
}

/**
 * The story-wide words of a scene's prompt: an LLM script's look and the descriptions of the
 * characters the scene shows; else the writer's visual brief (the offline writer's names the
 * painter reads back, core/image-prompt.ts).
 */
export function sceneBrief(script: Pick<Script, 'look' | 'visualBrief' | 'cast'>, scene: Scene): string | undefined {
  if (!script.look) return script.visualBrief;
  const who = castInScene(script.cast ?? [], scene).map((m) => `${m.name}: ${m.description}`);
  return [script.look.replace(/[.\s]+$/, ''), ...who].join('. ');
}

export function portraitPrompt(member: CastMember, style: string | undefined): string {
  const description = member.description.slice(0, MAX_PORTRAIT_DESCRIPTION).replace(/[.\s]+$/, '');
  return `Character portrait of ${member.name}, ${description}. Full figure, facing the viewer, centred on a plain light grey background. ${styleWords(style)}. ${NO_TEXT}.`;
}

/** The seeds of the drawn cast: the script's when kept (a redo), else fresh from the base seed. */
export function portraitSeeds(cast: readonly CastMember[], baseSeed: number, keep: boolean): number[] {
  return cast.map((member, i) => (keep && member.seed !== undefined ? member.seed : (baseSeed + PORTRAIT_SEED_OFFSET + i) % SEED_LIMIT));
}

export function takesReferences(provider: ImageProvider): boolean {
  return typeof provider.referenceUrl === 'function' && Boolean(provider.referenceModel);
}

/** One portrait: from the cache when it has it, else from the provider (through its gate, with retries). */
async function drawPortrait(
  ctx: AssetContext,
  images: GatedProvider<ImageProvider>,
  member: CastMember,
  seed: number,
  style: string | undefined,
  job: { warned: { portrait?: boolean }; index: number; onPortrait?: PortraitListener },
): Promise<CastPortrait> {
  const { provider, gate } = images;
  const safety = ctx.safeImages !== undefined ? { safe: ctx.safeImages } : {};
  const req = { prompt: portraitPrompt(member, style), ...PORTRAIT_SIZE, seed, ...safety };
  const url = provider.referenceUrl!(req);
  const drawn = { name: member.name, description: member.description, seed };
  const key = ctx.cache?.key({
    kind: 'portrait',
    provider: provider.name,
    model: provider.model,
    prompt: req.prompt,
    seed,
    ...PORTRAIT_SIZE,
    ...(ctx.safeImages !== undefined ? { safe: String(ctx.safeImages) } : {}),
  });
  // for the live preview: the portrait on disk (until the render ends)
  const show = async (bytes: Buffer, mime: unknown) => {
    if (!job.onPortrait) return;
    const path = ctx.workspace.file(`portrait-${job.index}.${mime === 'image/png' ? 'png' : mime === 'image/webp' ? 'webp' : 'jpg'}`);
    await writeFile(path, bytes);
    job.onPortrait(job.index, { name: member.name, path });
  };
  const hit = key ? await ctx.cache!.getEntry(key).catch(() => undefined) : undefined;
  if (hit) {
    await show(hit.bytes, hit.meta.mime);
    return { ...drawn, url };
  }
  try {
    const image: GeneratedImage = await withRetries(gate, ctx.retry.image, () => provider.generate({ ...req, signal: ctx.signal }), {
      signal: ctx.signal,
    });
    if (key)
      await ctx.cache!.putEntry(key, image.bytes, { mime: image.mime, width: image.width, height: image.height }).catch(() => undefined);
    await show(image.bytes, image.mime);
    return { ...drawn, url };
  } catch (error) {
    if (isAbort(error, ctx.signal)) throw error;
    // a service that is down fails every portrait: said once per job
    if (!job.warned.portrait)
      log.warn('a portrait could not be made; its scenes are drawn from their words', { reason: describeError(error) });
    job.warned.portrait = true;
    return { ...drawn, error: describeError(error) };
  }
}

/** Told when a portrait is on disk at `path` (until the render ends), e.g. for a live preview. */
export type PortraitListener = (index: number, portrait: { name: string; path: string }) => void;

export interface CastPlan {
  /** Each main character's portrait, in cast order (all requested before any scene that needs them). */
  portraits: Promise<CastPortrait>[];
  /** The script with its portrait seeds. */
  cast: CastMember[];
  /** Set once a scene's references were refused: why (the job's one note). */
  refused?: string;
}

/** Starts the portraits (none when the provider takes no references). */
export function planCast(
  ctx: AssetContext,
  images: GatedProvider<ImageProvider>,
  script: Script,
  opts: { baseSeed: number; keepSeeds: boolean; style?: string; onPortrait?: PortraitListener },
): CastPlan {
  const main = (script.cast ?? []).slice(0, MAX_CAST);
  if (main.length === 0 || !takesReferences(images.provider)) return { portraits: [], cast: main };
  const seeds = portraitSeeds(main, opts.baseSeed, opts.keepSeeds);
  const cast = main.map((member, i) => ({ ...member, seed: seeds[i]! }));
  const warned = {};
  const portraits = cast.map((member, index) =>
    drawPortrait(ctx, images, member, member.seed, opts.style, { warned, index, onPortrait: opts.onPortrait }),
  );
  portraits.forEach((p) => p.catch(() => undefined));
  return { portraits, cast };
}

/**
 * A scene's image, with the portraits of the characters it names as references when there are
 * any (waiting for them first); refused references make it, and every later scene, text only.
 */
export async function fetchSceneWithCast(
  ctx: AssetContext,
  plan: CastPlan,
  scene: Scene,
  job: ImageJob,
): Promise<SceneImage & { references?: string[] }> {
  const names = new Set(castInScene(plan.cast, scene).map((m) => m.name));
  if (names.size === 0 || plan.refused !== undefined) return fetchSceneImage(ctx, job);
  const portraits = await Promise.all(plan.portraits);
  const references = portraits.filter((p) => names.has(p.name) && p.url).map((p) => p.url!);
  if (references.length === 0 || plan.refused !== undefined) return fetchSceneImage(ctx, job);
  try {
    // the primary alone: a refusal is made good by the same provider without references, not by a card
    const image = await fetchSceneImage(ctx, { ...job, references, fallback: job.primary });
    return { ...image, references };
  } catch (error) {
    if (isAbort(error, ctx.signal)) throw error;
    if (plan.refused === undefined) {
      plan.refused = `${job.primary.provider.referenceModel} did not take the cast's portraits (${describeError(error)}); scenes are drawn from their words alone`;
      log.warn(plan.refused);
    }
    return fetchSceneImage(ctx, job);
  }
}
