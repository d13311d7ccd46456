/**
 * Voices for the characters, end to end: a story where Mara and Tom talk across two scenes is
 * spoken by three voices (narrator + 2), each character with the same voice in every scene; with
 * `voices: 'narrator-only'` one voice reads it all. Once with the real Inworld client against the
 * fake (which records each request's voiceId), once with real espeak-ng (its variants); real ffmpeg.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from '../../src/engine/create-engine.js';
import { LocalImageProvider } from '../../src/providers/images/local.js';
import { EspeakVoiceProvider } from '../../src/providers/voices/espeak.js';
import { InworldVoiceProvider } from '../../src/providers/voices/inworld.js';
import { LocalSceneWriter } from '../../src/providers/writers/local.js';
import { resolveFfmpeg } from '../../src/media/binaries.js';
import type { Script } from '../../src/core/story.js';
import type { Speech, SpeechRequest, VoiceProvider } from '../../src/providers/types.js';
import { startFakeInworld, type FakeServer } from '../fakes/providers.js';
import { fakeConfig, TEST_KEYS } from '../support/provider-config.js';
import { offlineEngine } from '../support/offline-engine.js';

const SCRIPT: Script = {
  title: 'The bridge',
  writer: 'test',
  cast: [
    { name: 'Mara', description: 'a young woman in a red coat' },
    { name: 'Tom', description: 'an old man with a grey beard' },
  ],
  scenes: [
    {
      index: 0,
      narration: 'Mara met Tom at the old bridge. "Where are you going?" asked Mara. "Home," said Tom.',
      imagePrompt: 'two people on an old bridge',
    },
    {
      index: 1,
      narration: '"Can I come?" Mara asked. Tom nodded. "Of course," Tom replied.',
      imagePrompt: 'two people walking home',
    },
  ],
};
const STORY = SCRIPT.scenes.map((s) => s.narration).join('\n\n');
const options = { aspect: '16:9' as const, maxBytes: 10 * 1024 * 1024, captions: 'plain' as const, music: 'none', seed: 1, language: 'en' };

/** Who said each line: the voice of the request whose text holds it. */
function voiceOf(calls: { text: string; voice?: string }[], words: string): string | undefined {
  const hits = [...new Set(calls.filter((c) => c.text.includes(words)).map((c) => c.voice))];
  expect(hits, words).toHaveLength(1);
  return hits[0];
}

function expectThreeVoices(calls: { text: string; voice?: string }[]) {
  const narrator = voiceOf(calls, 'Mara met Tom');
  const mara = voiceOf(calls, 'Where are you going?');
  const tom = voiceOf(calls, 'Home,');
  expect(voiceOf(calls, 'Can I come?')).toBe(mara);
  expect(voiceOf(calls, 'Of course,')).toBe(tom);
  expect(voiceOf(calls, 'Tom nodded')).toBe(narrator);
  expect(new Set([narrator, mara, tom]).size).toBe(3);
  expect(new Set(calls.map((c) => c.voice)).size).toBe(3);
  return { narrator, mara, tom };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storyreel-character-voices-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Inworld', () => {
  let fake: FakeServer;
  beforeAll(async () => {
    fake = await startFakeInworld({ apiKey: TEST_KEYS.inworld });
  });
  afterAll(async () => {
    await fake?.close();
  });
  const engine = () => {
    const images = new LocalImageProvider();
    const writer = new LocalSceneWriter();
    return createEngine({
      images,
      voices: new InworldVoiceProvider(fakeConfig({ inworld: fake.url }).voices.inworld),
      writer,
      fallbackImages: images,
      fallbackVoices: new EspeakVoiceProvider(),
      fallbackWriter: writer,
      ffmpeg: resolveFfmpeg(),
    });
  };
  const calls = (from: number) =>
    fake.record.slice(from).map((r) => {
      const body = JSON.parse(r.body) as { text: string; voiceId: string };
      return { text: body.text, voice: body.voiceId };
    });

  it('speaks the dialogue with three voices, each character the same in every scene, and names them', async () => {
    const from = fake.record.length;
    const result = await engine().render({ story: STORY, script: SCRIPT, out: join(dir, 'inworld.mp4'), options });
    const { narrator, mara, tom } = expectThreeVoices(calls(from));
    expect(narrator).toBe('Ashley');
    // Mara is a woman, Tom a man: Olivia and Dennis of the English voices
    expect(result.speakers).toEqual([
      { name: 'Mara', voice: mara },
      { name: 'Tom', voice: tom },
    ]);
    expect([mara, tom]).toEqual(['Olivia', 'Dennis']);
    expect(result.voices).toEqual(['Ashley', 'Ashley']);
    // the joined parts keep Inworld's word timings, shifted: karaoke still has every word
    expect(result.sceneResults.every((s) => s.voice.timings === 'measured')).toBe(true);
  }, 120_000);

  it('reads it all with the narrator with voices: narrator-only', async () => {
    const from = fake.record.length;
    const result = await engine().render({
      story: STORY,
      script: SCRIPT,
      out: join(dir, 'inworld-narrator.mp4'),
      options: { ...options, voices: 'narrator-only' },
    });
    const made = calls(from);
    expect(new Set(made.map((c) => c.voice))).toEqual(new Set(['Ashley']));
    expect(made).toHaveLength(2);
    expect(result.speakers).toEqual([]);
  }, 120_000);
});

/** Real espeak-ng, each request's voice written down. */
class RecordingEspeak implements VoiceProvider {
  private readonly inner = new EspeakVoiceProvider();
  readonly name = this.inner.name;
  readonly model = this.inner.model;
  readonly defaultVoice = this.inner.defaultVoice;
  readonly concurrency = this.inner.concurrency;
  readonly calls: { text: string; voice?: string }[] = [];
  synthesize(req: SpeechRequest): Promise<Speech> {
    this.calls.push({ text: req.text, voice: req.voice });
    return this.inner.synthesize(req);
  }
}

describe('espeak-ng', () => {
  it('speaks the dialogue with three espeak-ng voices (variants), narrator-only with one', async () => {
    const voices = new RecordingEspeak();
    const result = await offlineEngine({ voices, fallbackVoices: voices }).render({
      story: STORY,
      script: SCRIPT,
      out: join(dir, 'espeak.mp4'),
      options,
    });
    const { narrator, mara, tom } = expectThreeVoices(voices.calls);
    expect(narrator).toBe('en-us');
    expect(mara).toMatch(/\+f\d$/);
    expect(tom).toMatch(/\+m\d$/);
    expect(result.speakers.map((s) => s.name)).toEqual(['Mara', 'Tom']);
    // the scene's audio is the parts joined: its words are timed across all of them
    const words = result.sceneResults[0]!.voice.timings;
    expect(words).not.toBe('none');

    const alone = new RecordingEspeak();
    await offlineEngine({ voices: alone, fallbackVoices: alone }).render({
      story: STORY,
      script: SCRIPT,
      out: join(dir, 'espeak-narrator.mp4'),
      options: { ...options, voices: 'narrator-only' },
    });
    expect(new Set(alone.calls.map((c) => c.voice)).size).toBe(1);
  }, 180_000);
});
