import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeEdge, startFakeInworld, type FakeEdge, type FakeServer } from '../fakes/providers.js';
import { measureVoices, formatVoices } from '../../src/bench/voice-section.js';
import { EdgeVoiceProvider } from '../../src/providers/voices/edge.js';
import { EspeakVoiceProvider } from '../../src/providers/voices/espeak.js';
import { InworldVoiceProvider } from '../../src/providers/voices/inworld.js';
import { fakeConfig, TEST_KEYS } from '../support/provider-config.js';

let inworld: FakeServer;
let edge: FakeEdge;
beforeAll(async () => {
  inworld = await startFakeInworld({ apiKey: TEST_KEYS.inworld });
  edge = await startFakeEdge();
});
afterAll(async () => {
  await inworld.close();
  await edge.close();
});

describe("the bench's voices section", () => {
  it('times the first audio and the whole narration of each provider', async () => {
    const providers = [
      new InworldVoiceProvider(fakeConfig({ inworld: inworld.url }).voices.inworld),
      new EdgeVoiceProvider({ baseUrl: edge.url, voice: 'en-US-EmmaMultilingualNeural', concurrency: 1, timeoutMs: 30_000 }),
      new EspeakVoiceProvider(),
    ];
    const timings = await measureVoices(providers, 'The keeper climbed the stairs and lit the lamp for the ships at sea.', 1);
    expect(timings.map((t) => t.provider)).toEqual(['inworld', 'edge', 'espeak']);
    for (const t of timings) {
      expect(t.firstAudioMs).toBeGreaterThan(0);
      expect(t.firstAudioMs).toBeLessThanOrEqual(t.totalMs);
    }
    // every provider was really asked (the fakes recorded it)
    expect(inworld.record).toHaveLength(1);
    expect(edge.requests).toHaveLength(1);
    expect(formatVoices(timings)).toMatch(/edge\s+first audio\s+\d+ ms, whole narration\s+\d+ ms/);
  });
});
