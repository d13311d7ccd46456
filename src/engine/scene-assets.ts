/**
 * One scene's image and narration: from the cache when it has them, else from the provider
 * (through its gate, with retries), else from the offline stand-in. Every step is an event.
 * A scene never fails the job: an image falls back to a local card, a voice to espeak, and
 * as a last resort to silence with captions.
 */
import { writeFile } from 'node:fs/promises';
import type { AssetKind, ProgressEvent } from './events.js';
import type { WordTiming } from '../core/story.js';
import type { AssetStore, GeneratedImage, ImageProvider, Speech, VoiceProvider } from '../providers/types.js';
import type { ProviderGate } from '../providers/gate.js';
import { isAbort, withRetries, type RetryPolicy } from './retry.js';
import { describeError } from '../core/describe-error.js';
import { createLogger } from '../core/log.js';
import { silentWav, estimateSpeechSeconds } from './silence.js';
import type { Workspace } from './workspace.js';
import { speakableText } from '../providers/voices/speakable-text.js';
import { estimateWordTimes } from '../providers/voices/estimate-word-times.js';
import { readWav } from '../core/wav.js';
import { speakSegments, type VoiceSegment } from './dialogue-voice.js';

type WithoutTime<E> = E extends unknown ? Omit<E, 'atMs'> : never;
export type Emit = (event: WithoutTime<ProgressEvent>) => void;

export interface AssetContext {
  signal: AbortSignal;
  emit: Emit;
  workspace: Workspace;
  cache?: AssetStore;
  retry: { image: RetryPolicy; voice: RetryPolicy };
  /** The job's deadline (epoch ms, JOB_TIMEOUT_MS): a service still failing or throttled then gives way to the stand-in. */
  deadline?: number;
  /** ffmpeg, to decode compressed speech when a scene's voices are joined (dialogue-voice.ts). */
  ffmpeg?: string;
  /** The image service's content filter for every image of this job (StoryOptions.safeImages). */
  safeImages?: boolean;
}

export interface GatedProvider<P> {
  provider: P;
  gate: ProviderGate;
}

export interface SceneImage {
  path: string;
  provider: string;
  cacheKey: string;
  cached: boolean;
  fallback: boolean;
  error?: string;
}

export interface SceneVoice {
  path: string;
  provider: string;
  cacheKey: string;
  cached: boolean;
  fallback: boolean;
  silent: boolean;
  /** The voice id the narration was made with (undefined: silence). */
  voice?: string;
  words?: WordTiming[];
  /** Where its word timings come from: the provider (measured), the audio (estimated), or nowhere (none: plain captions). */
  timings: WordTimings;
  error?: string;
}

export type WordTimings = 'measured' | 'estimated' | 'none';

export interface Attempted<T> {
  value: T;
  cached: boolean;
  key: string;
}

const cacheLog = createLogger('cache');
/** Cache failures already logged, per job (its AssetContext): a full disk fails every write. */
const cacheWarned = new WeakMap<AssetContext, Set<'read' | 'write'>>();

/**
 * A cache that cannot be read or written never fails a scene (the asset comes from the provider
 * and is used without caching), but it is said once per job and kind: a full disk used to turn
 * the cache off without a word.
 */
function cacheFailed(ctx: AssetContext, kind: 'read' | 'write', error: unknown): undefined {
  let warned = cacheWarned.get(ctx);
  if (!warned) {
    warned = new Set();
    cacheWarned.set(ctx, warned);
  }
  if (warned.has(kind)) return undefined;
  warned.add(kind);
  const outcome = kind === 'read' ? 'assets come from the providers instead' : "this job's assets are not cached";
  cacheLog.warn(`Cannot ${kind} the asset cache: ${describeError(error)}; ${outcome} (said once per job).`);
  return undefined;
}

/** Cache lookup, then gated retries; emits started/done/retrying/failed for this provider. */
export async function attemptProvider<T>(
  ctx: AssetContext,
  kind: AssetKind,
  scene: number,
  source: { name: string; gate: ProviderGate },
  policy: RetryPolicy,
  key: string,
  codec: { encode(v: T): { bytes: Buffer; meta: Record<string, unknown> }; decode(bytes: Buffer, meta: Record<string, unknown>): T },
  call: (signal: AbortSignal) => Promise<T>,
  deadline?: number,
): Promise<Attempted<T>> {
  const hit = await ctx.cache?.getEntry(key).catch((error: unknown) => cacheFailed(ctx, 'read', error));
  if (hit) {
    ctx.emit({ type: 'asset', scene, kind, state: 'cached', attempt: 0, provider: source.name });
    return { value: codec.decode(hit.bytes, hit.meta), cached: true, key };
  }
  let startedAt = 0;
  const value = await withRetries(
    source.gate,
    policy,
    async (attempt) => {
      startedAt = Date.now();
      ctx.emit({ type: 'asset', scene, kind, state: 'started', attempt, provider: source.name });
      // a request still out when the deadline comes is cut there
      const signal =
        deadline === undefined ? ctx.signal : AbortSignal.any([ctx.signal, AbortSignal.timeout(Math.max(0, deadline - startedAt))]);
      const result = await call(signal);
      ctx.emit({ type: 'asset', scene, kind, state: 'done', attempt, provider: source.name, ms: Date.now() - startedAt });
      return result;
    },
    {
      signal: ctx.signal,
      deadline,
      onRetry: (attempt, error, delayMs) =>
        ctx.emit({ type: 'asset', scene, kind, state: 'retrying', attempt, provider: source.name, error: describeError(error), delayMs }),
    },
  );
  if (ctx.cache) {
    const { bytes, meta } = codec.encode(value);
    await ctx.cache.putEntry(key, bytes, meta).catch((error: unknown) => cacheFailed(ctx, 'write', error));
  }
  return { value, cached: false, key };
}

const imageCodec = {
  encode: (img: GeneratedImage) => ({ bytes: img.bytes, meta: { mime: img.mime, width: img.width, height: img.height } }),
  decode: (bytes: Buffer, meta: Record<string, unknown>): GeneratedImage => ({
    bytes,
    mime: (meta.mime as GeneratedImage['mime']) ?? 'image/png',
    width: Number(meta.width),
    height: Number(meta.height),
  }),
};

export const speechCodec = {
  encode: (s: Speech) => ({ bytes: s.audio, meta: { format: s.format, words: s.words, wordTimings: s.wordTimings } }),
  decode: (bytes: Buffer, meta: Record<string, unknown>): Speech => ({
    audio: bytes,
    format: (meta.format as Speech['format']) ?? 'wav',
    words: Array.isArray(meta.words) ? (meta.words as WordTiming[]) : undefined,
    ...(meta.wordTimings === 'estimated' ? { wordTimings: 'estimated' as const } : {}),
  }),
};

const EXT = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' } as const;

export interface ImageJob {
  scene: number;
  prompt: string;
  width: number;
  height: number;
  seed: number;
  /** The portraits this scene keeps its characters from (the primary provider's reference URLs). */
  references?: string[];
  primary: GatedProvider<ImageProvider>;
  fallback: GatedProvider<ImageProvider>;
}

export async function fetchSceneImage(ctx: AssetContext, job: ImageJob): Promise<SceneImage> {
  const sources = job.primary.provider === job.fallback.provider ? [job.primary] : [job.primary, job.fallback];
  let lastError: string | undefined;
  for (const [i, source] of sources.entries()) {
    const { provider, gate } = source;
    // references are for the primary (the stand-in paints from the words)
    const references = i === 0 && job.references?.length ? job.references : undefined;
    const key =
      ctx.cache?.key({
        kind: 'image',
        provider: provider.name,
        model: references ? provider.referenceModel : provider.model,
        references: references?.join('|'),
        prompt: job.prompt,
        seed: job.seed,
        width: job.width,
        height: job.height,
        // an image drawn without the filter is never served to a job that asks for it
        ...(ctx.safeImages !== undefined ? { safe: String(ctx.safeImages) } : {}),
      }) ?? '';
    try {
      const got = await attemptProvider(
        ctx,
        'image',
        job.scene,
        { name: provider.name, gate },
        i === 0 ? ctx.retry.image : { ...ctx.retry.image, attempts: 2 },
        key,
        imageCodec,
        (signal) =>
          provider.generate({
            prompt: job.prompt,
            width: job.width,
            height: job.height,
            seed: job.seed,
            references,
            safe: ctx.safeImages,
            signal,
          }),
        // the deadline holds the service, not the offline stand-in behind it
        i < sources.length - 1 ? ctx.deadline : undefined,
      );
      const path = ctx.workspace.file(`scene-${job.scene}.${EXT[got.value.mime]}`);
      await writeFile(path, got.value.bytes);
      if (i > 0)
        ctx.emit({
          type: 'asset',
          scene: job.scene,
          kind: 'image',
          state: 'fallback',
          attempt: 0,
          provider: provider.name,
          error: lastError ?? 'primary provider failed',
        });
      return { path, provider: provider.name, cacheKey: got.key, cached: got.cached, fallback: i > 0, error: lastError };
    } catch (error) {
      if (isAbort(error, ctx.signal)) throw error;
      lastError = describeError(error);
      ctx.emit({ type: 'asset', scene: job.scene, kind: 'image', state: 'failed', attempt: 0, provider: provider.name, error: lastError });
    }
  }
  throw new Error(`Scene ${job.scene + 1}: no image could be made (${lastError}).`);
}

export interface VoiceJob {
  scene: number;
  text: string;
  voice?: string;
  /** The stand-in's voice for this job (a voice of the story's language); undefined uses its default. */
  fallbackVoice?: string;
  /** A model of the primary voice provider, for this job. */
  model?: string;
  primary: GatedProvider<VoiceProvider>;
  fallback?: GatedProvider<VoiceProvider>;
  /** The narration in voices (narrator and characters), when more than one reads it: joined into one audio. */
  segments?: VoiceSegment[];
}

export async function fetchSceneVoice(ctx: AssetContext, job: VoiceJob): Promise<SceneVoice> {
  const sources = job.fallback && job.fallback.provider !== job.primary.provider ? [job.primary, job.fallback] : [job.primary];
  // Emoji are for the eyes: the captions show them, no voice is asked to say them.
  const text = speakableText(job.text);
  let lastError: string | undefined = text === '' ? 'nothing to say but pictographs' : undefined;
  for (const [i, source] of (text === '' ? [] : sources).entries()) {
    const { provider, gate } = source;
    // A per-job voice name belongs to the primary provider; the stand-in has its own for the language.
    const voice = i === 0 ? (job.voice ?? provider.defaultVoice) : (job.fallbackVoice ?? provider.defaultVoice);
    const model = i === 0 ? (job.model ?? provider.model) : provider.model;
    const speak = (t: string, v: string) =>
      attemptProvider(
        ctx,
        'voice',
        job.scene,
        { name: provider.name, gate },
        ctx.retry.voice,
        ctx.cache?.key({ kind: 'voice', provider: provider.name, model, voice: v, text: t }) ?? '',
        speechCodec,
        (signal) => provider.synthesize({ text: t, voice: v, model: i === 0 ? job.model : undefined, signal }),
        i < sources.length - 1 ? ctx.deadline : undefined,
      );
    // A character's line its voice cannot say is the narrator's rather than the whole scene the stand-in's.
    const speakLine = async (t: string, v: string | undefined) => {
      const one = await speak(t, v ?? voice).catch((error: unknown) => {
        if (isAbort(error, ctx.signal) || v === undefined || v === voice) throw error;
        return speak(t, voice);
      });
      return { speech: one.value, cached: one.cached, key: one.key };
    };
    try {
      const got =
        job.segments && job.segments.length > 1
          ? await speakSegments(job.segments, i > 0, speakLine, {
              ffmpeg: ctx.ffmpeg,
              file: (name) => ctx.workspace.file(name),
              scene: job.scene,
              signal: ctx.signal,
              timed: timedWords,
            })
          : await speak(text, voice);
      const path = ctx.workspace.file(`voice-${job.scene}.${got.value.format}`);
      await writeFile(path, got.value.audio);
      const timed = timedWords(got.value, text);
      if (i > 0)
        ctx.emit({
          type: 'asset',
          scene: job.scene,
          kind: 'voice',
          state: 'fallback',
          attempt: 0,
          provider: provider.name,
          error: lastError ?? 'primary provider failed',
        });
      return {
        path,
        provider: provider.name,
        cacheKey: got.key,
        cached: got.cached,
        fallback: i > 0,
        silent: false,
        voice,
        ...timed,
        error: lastError,
      };
    } catch (error) {
      if (isAbort(error, ctx.signal)) throw error;
      lastError = describeError(error);
      ctx.emit({ type: 'asset', scene: job.scene, kind: 'voice', state: 'failed', attempt: 0, provider: provider.name, error: lastError });
    }
  }
  // Every voice failed: keep the scene, silent, with its captions on screen for a reading time.
  const path = ctx.workspace.file(`voice-${job.scene}.wav`);
  await writeFile(path, silentWav(estimateSpeechSeconds(job.text)));
  ctx.emit({
    type: 'asset',
    scene: job.scene,
    kind: 'voice',
    state: 'fallback',
    attempt: 0,
    provider: 'silence',
    error: lastError ?? 'no voice',
  });
  return { path, provider: 'silence', cacheKey: '', cached: false, fallback: true, silent: true, timings: 'none', error: lastError };
}

/**
 * A narration's word timings and where they come from: the provider's, else (a voice without
 * them, a cached espeak-ng WAV from before it had them) estimated from a 16-bit PCM WAV's audio.
 */
export function timedWords(speech: Speech, text: string): { words?: WordTiming[]; timings: WordTimings } {
  if (speech.words?.length) return { words: speech.words, timings: speech.wordTimings ?? 'measured' };
  const pcm = speech.format === 'wav' ? readWav(speech.audio) : undefined;
  const words = pcm ? estimateWordTimes(text, pcm) : undefined;
  return words ? { words, timings: 'estimated' } : { timings: 'none' };
}
