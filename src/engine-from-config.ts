/**
 * Config -> a ready engine: the configured providers (a service when its key or URL is set, the
 * offline stand-in otherwise), the offline stand-ins behind them, and the asset cache.
 * The one place that knows every provider class.
 */
import { join } from 'node:path';
import type { Config } from './config.js';
import type { FfmpegBinaries } from './media/binaries.js';
import { createEngine, type Engine } from './engine/create-engine.js';
import type { ImageProvider, SceneWriter, VoiceProvider } from './providers/types.js';
import { LocalImageProvider } from './providers/images/local.js';
import { PollinationsImageProvider } from './providers/images/pollinations.js';
import { checkPollinations } from './providers/images/check-pollinations.js';
import { EspeakVoiceProvider } from './providers/voices/espeak.js';
import { InworldVoiceProvider } from './providers/voices/inworld.js';
import { EdgeVoiceProvider } from './providers/voices/edge.js';
import { checkEdge } from './providers/voices/check-edge.js';
import { LocalSceneWriter } from './providers/writers/local.js';
import { OpenAiSceneWriter } from './providers/writers/openai.js';
import { AssetCache } from './providers/cache.js';

export interface EngineSetup {
  /** Leave out the disk cache (the benchmark's cold runs). */
  cache?: boolean;
  workRoot?: string;
}

export function engineFromConfig(config: Config, ffmpeg: FfmpegBinaries, setup: EngineSetup = {}): Engine {
  const localImages = new LocalImageProvider();
  const espeak = new EspeakVoiceProvider({ path: config.voices.espeak.path, voice: config.voices.espeak.voice });
  const localWriter = new LocalSceneWriter();

  const images: ImageProvider =
    config.images.provider === 'pollinations' ? new PollinationsImageProvider(config.images.pollinations) : localImages;
  const voices: VoiceProvider =
    config.voices.provider === 'inworld'
      ? new InworldVoiceProvider(config.voices.inworld)
      : config.voices.provider === 'edge'
        ? new EdgeVoiceProvider(config.voices.edge)
        : espeak;
  const writer: SceneWriter =
    config.writer.provider === 'openai'
      ? new OpenAiSceneWriter(config.writer.openai)
      : config.writer.provider === 'pollinations'
        ? new OpenAiSceneWriter(config.writer.pollinations, 'pollinations')
        : localWriter;

  return createEngine({
    images,
    voices,
    writer,
    fallbackImages: localImages,
    fallbackVoices: espeak,
    fallbackWriter: localWriter,
    ffmpeg,
    cache: setup.cache === false ? undefined : new AssetCache({ dir: join(config.dataDir, 'cache'), maxBytes: config.cacheMaxBytes }),
    renderConcurrency: config.limits.renderConcurrency,
    providerMaxWaitMs: config.limits.providerMaxWaitMs,
    jobTimeoutMs: config.limits.jobTimeoutMs,
    workRoot: setup.workRoot,
    music: { default: config.defaultMusic, dir: join(config.dataDir, 'music') },
  });
}

/**
 * The start-up check of IMAGE_PROVIDER=auto without a key, run once by an entry point before it
 * builds its engine: Pollinations' anonymous endpoint when it answers within
 * IMAGE_CHECK_TIMEOUT_MS (one request at a time, as its anonymous tier allows), local cards
 * otherwise. `images.why` of the result says which and why, for the start-up line. A config that
 * needs no check comes back as it is, without a request (IMAGE_PROVIDER=local skips it). Never
 * rejects: a failed check means local cards. An engine built without this stays on local cards.
 */
export async function settleImageProvider(config: Config): Promise<Config> {
  const check = config.images.check;
  if (!check) return config;
  const { pollinations } = config.images;
  const result = await checkPollinations({ baseUrl: pollinations.baseUrl, timeoutMs: check.timeoutMs });
  const images: Config['images'] = result.answered
    ? {
        ...config.images,
        provider: 'pollinations',
        why: `anonymous, ${pollinations.concurrency} at a time: ${result.detail}`,
        check: undefined,
      }
    : { ...config.images, provider: 'local', why: `${result.detail}; IMAGE_PROVIDER=local skips this check`, check: undefined };
  return { ...config, images };
}

/**
 * The start-up check of VOICE_PROVIDER=auto without an Inworld key: Edge's free neural voices when
 * its voice list answers within VOICE_CHECK_TIMEOUT_MS, espeak-ng otherwise. Never rejects.
 */
export async function settleVoiceProvider(config: Config): Promise<Config> {
  const check = config.voices.check;
  if (!check) return config;
  const result = await checkEdge({ baseUrl: config.voices.edge.baseUrl, timeoutMs: check.timeoutMs });
  const voices: Config['voices'] = result.answered
    ? { ...config.voices, provider: 'edge', why: `free neural voices (an unofficial endpoint): ${result.detail}`, check: undefined }
    : { ...config.voices, provider: 'espeak', why: `${result.detail}; VOICE_PROVIDER=espeak skips this check`, check: undefined };
  return { ...config, voices };
}

/** Both start-up checks at once (each skipped when its provider needs none). */
export async function settleProviders(config: Config): Promise<Config> {
  const [images, voices] = await Promise.all([settleImageProvider(config), settleVoiceProvider(config)]);
  return { ...config, images: images.images, voices: voices.voices };
}
