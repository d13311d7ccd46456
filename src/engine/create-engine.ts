/**
 * An engine: providers wrapped in their concurrency gates, a shared limit on concurrent clip
 * renders, and the cache. One engine serves every job of a process (the bot's queue, the CLI,
 * the benchmark), so its gates and limits hold across jobs.
 */
import pLimit from 'p-limit';
import { ProviderGate } from '../providers/gate.js';
import type { AssetStore, ImageProvider, SceneWriter, VoiceProvider } from '../providers/types.js';
import type { FfmpegBinaries } from '../media/binaries.js';
import { IMAGE_RETRY, VOICE_RETRY, type RetryPolicy } from './retry.js';
import { renderStory, type RenderRequest, type RenderResult } from './render-story.js';

export interface EngineOptions {
  images: ImageProvider;
  voices: VoiceProvider;
  writer: SceneWriter;
  /** Offline stand-ins used when a service fails: the local card, espeak, the local writer. */
  fallbackImages: ImageProvider;
  fallbackVoices?: VoiceProvider;
  fallbackWriter: SceneWriter;
  ffmpeg: FfmpegBinaries;
  cache?: AssetStore;
  /** Scene clips rendered at once, across all jobs (2 fits a 2-core machine). */
  renderConcurrency?: number;
  workRoot?: string;
  /** The music when a request names none (absent: none), and where generated loops are kept. */
  music?: { default?: string; dir?: string };
  /** Retry policies per asset kind (defaults: IMAGE_RETRY, VOICE_RETRY). */
  retry?: { image?: RetryPolicy; voice?: RetryPolicy };
  /** The longest one provider is paused for a rate limit, whatever Retry-After said (PROVIDER_MAX_WAIT_MS, default 60 s). */
  providerMaxWaitMs?: number;
  /** Every job's deadline for its services (JOB_TIMEOUT_MS; default from the story's size, job-deadline.ts). */
  jobTimeoutMs?: number;
}

export interface Engine {
  render(req: RenderRequest): Promise<RenderResult>;
  /** Provider names, for a startup line and summaries. */
  readonly providers: { image: string; voice: string; writer: string };
}

export function createEngine(options: EngineOptions): Engine {
  const gated = <P extends { name: string; concurrency: number }>(provider: P) => ({
    provider,
    gate: new ProviderGate(provider.name, provider.concurrency, Date.now, options.providerMaxWaitMs),
  });
  const images = gated(options.images);
  const voices = gated(options.voices);
  const parts = {
    images,
    voices,
    fallbackImages: options.fallbackImages === options.images ? images : gated(options.fallbackImages),
    fallbackVoices: !options.fallbackVoices || options.fallbackVoices === options.voices ? undefined : gated(options.fallbackVoices),
    writer: options.writer,
    fallbackWriter: options.fallbackWriter,
    ffmpeg: options.ffmpeg,
    cache: options.cache,
    renderLimit: pLimit(options.renderConcurrency ?? 2),
    workRoot: options.workRoot,
    music: options.music,
    retry: { image: options.retry?.image ?? IMAGE_RETRY, voice: options.retry?.voice ?? VOICE_RETRY },
    jobTimeoutMs: options.jobTimeoutMs,
  };
  return {
    render: (req) => renderStory(parts, req),
    providers: { image: options.images.name, voice: options.voices.name, writer: options.writer.name },
  };
}
