/** An engine on the offline providers, real ffmpeg and espeak-ng, for tests. */
import { createEngine, type EngineOptions } from '../../src/engine/create-engine.js';
import { LocalImageProvider } from '../../src/providers/images/local.js';
import { EspeakVoiceProvider } from '../../src/providers/voices/espeak.js';
import { LocalSceneWriter } from '../../src/providers/writers/local.js';
import { resolveFfmpeg } from '../../src/media/binaries.js';

export function offlineEngine(overrides: Partial<EngineOptions> = {}) {
  const images = new LocalImageProvider();
  const voices = new EspeakVoiceProvider();
  const writer = new LocalSceneWriter();
  return createEngine({
    images,
    voices,
    writer,
    fallbackImages: images,
    fallbackVoices: voices,
    fallbackWriter: writer,
    ffmpeg: resolveFfmpeg(),
    ...overrides,
  });
}
