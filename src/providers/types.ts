/**
 * The outside world behind small interfaces: one file per provider implements one of these.
 * Providers do one attempt per call; retries, backoff and the per-provider concurrency gate
 * live in the engine (src/engine/retry.ts, src/providers/gate.ts), driven by ProviderError.
 */
import type { Aspect, Scene, Script, WordTiming } from '../core/story.js';

export interface ImageRequest {
  prompt: string;
  width: number;
  height: number;
  seed: number;
  /**
   * Images the picture keeps its characters from (the cast's portraits), as URLs the provider's
   * service fetches itself: only for a provider with `referenceUrl`.
   */
  references?: string[];
  /** The service's content filter for this request (Pollinations `safe`); undefined: the provider's own setting. */
  safe?: boolean;
  signal?: AbortSignal;
}

export interface GeneratedImage {
  bytes: Buffer;
  mime: 'image/png' | 'image/jpeg' | 'image/webp';
  width: number;
  height: number;
}

export interface ImageProvider {
  /** Short name shown in logs and summaries, e.g. "pollinations", "local". */
  readonly name: string;
  /** Model or variant name, part of the cache key. */
  readonly model: string;
  /** How many requests may be in flight at once. */
  readonly concurrency: number;
  generate(req: ImageRequest): Promise<GeneratedImage>;
  /**
   * Where the service serves the image of `req` (no secret in it), so later requests can name it
   * as a reference; absent when the provider takes no references.
   */
  referenceUrl?(req: Pick<ImageRequest, 'prompt' | 'width' | 'height' | 'seed' | 'safe'>): string;
  /** The model that draws an image with references (Pollinations: klein or kontext). */
  readonly referenceModel?: string;
}

export interface SpeechRequest {
  text: string;
  voice?: string;
  /** A model of this provider for this request; undefined uses the configured one. */
  model?: string;
  signal?: AbortSignal;
  /** Called as audio arrives: per chunk from a provider that streams (Edge), once from one that answers whole. */
  onAudio?: () => void;
}

export interface Speech {
  audio: Buffer;
  /** File extension of the audio bytes. */
  format: 'wav' | 'mp3' | 'ogg' | 'flac';
  /** Word timings when the provider gives them (seconds from the start of this audio). */
  words?: WordTiming[];
  /** Where the word timings come from: the provider's own (default), or estimated from the audio (estimate-word-times.ts). */
  wordTimings?: 'measured' | 'estimated';
}

export interface VoiceProvider {
  readonly name: string;
  readonly model: string;
  readonly defaultVoice: string;
  readonly concurrency: number;
  synthesize(req: SpeechRequest): Promise<Speech>;
}

export interface WriteRequest {
  story: string;
  /** Wanted scene count, or undefined to let the writer choose. */
  scenes?: number;
  aspect: Aspect;
  style?: string;
  signal?: AbortSignal;
  /**
   * The writer's previous answer and why it could not be used: ask for a corrected one. The engine
   * sets it (at most once per script); a writer that cannot repair ignores it.
   */
  repair?: { answer: string; reason: string };
}

export interface SceneWriter {
  readonly name: string;
  /** One attempt: a script, a ProviderError, or an UnusableAnswerError (writers/unusable-answer.ts). */
  write(req: WriteRequest): Promise<Script>;
}

export type { Scene, Script };

/** What the engine needs of a cache (cache.ts implements it). */
export interface AssetStore {
  key(parts: Record<string, string | number | undefined>): string;
  getEntry(key: string): Promise<{ bytes: Buffer; meta: Record<string, unknown> } | undefined>;
  putEntry(key: string, bytes: Buffer, meta: Record<string, unknown>): Promise<void>;
}
