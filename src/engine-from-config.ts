/**
 * Config -> a ready engine: the configured providers (a service when its key or URL is set, the
 * offline stand-in otherwise), the offline stand-ins behind them, and the asset cache.
 * The one place that knows every provider class.
 */
import type { Config } from './config.js';
import type { FfmpegBinaries } from './media/binaries.js';
import { createEngine, type Engine } from './engine/create-engine.js';
import type { ImageProvider, SceneWriter, VoiceProvider } from './providers/types.js';
import { LocalImageProvider } from './providers/images/local.js';
import { EspeakVoiceProvider } from './providers/voices/espeak.js';
import { LocalSceneWriter } from './providers/writers/local.js';

export interface EngineSetup {
  /** Leave out the disk cache (the benchmark's cold runs). */
  cache?: boolean;
  workRoot?: string;
}

export async function engineFromConfig(config: Config, ffmpeg: FfmpegBinaries, setup: EngineSetup = {}): Promise<Engine> {
  const localImages = new LocalImageProvider();
  const espeak = new EspeakVoiceProvider({ path: config.voices.espeak.path, voice: config.voices.espeak.voice });
  const localWriter = new LocalSceneWriter();

  const images: ImageProvider = localImages;
  const voices: VoiceProvider = espeak;
  const writer: SceneWriter = localWriter;

  return createEngine({
    images,
    voices,
    writer,
    fallbackImages: localImages,
    fallbackVoices: espeak,
    fallbackWriter: localWriter,
    ffmpeg,
    cache: undefined,
    renderConcurrency: config.limits.renderConcurrency,
    workRoot: setup.workRoot,
  });
}
