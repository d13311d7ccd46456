import { afterEach, describe, expect, it } from 'vitest';
import { startFakeInworld } from '../fakes/inworld.js';
import type { FakeServer as FakeService } from '../fakes/fake-server.js';
import { InworldVoiceProvider } from '../../src/providers/voices/inworld.js';
import { splitForLimit } from '../../src/providers/voices/split-text.js';
import { pcmSeconds, readWav } from '../../src/providers/voices/wav.js';
import { ProviderError } from '../../src/providers/errors.js';
import { fakeConfig, TEST_KEYS } from '../support/provider-config.js';

let fake: FakeService;
afterEach(async () => fake?.close());

const voice = () => new InworldVoiceProvider(fakeConfig({ inworld: fake.url }).voices.inworld);

describe('InworldVoiceProvider against the fake', () => {
  it('returns real audio with word timings, sending Basic auth, voice, model and WORD timestamps', async () => {
    fake = await startFakeInworld({ apiKey: TEST_KEYS.inworld });
    const speech = await voice().synthesize({ text: 'The fox lit the lantern in the snow.', voice: 'Dennis' });
    const pcm = readWav(speech.audio)!;
    expect(pcmSeconds(pcm)).toBeGreaterThan(1);
    expect(speech.words?.map((w) => w.word)).toEqual(['The', 'fox', 'lit', 'the', 'lantern', 'in', 'the', 'snow.']);
    expect(speech.words!.at(-1)!.end).toBeLessThanOrEqual(pcmSeconds(pcm));
    const sent = JSON.parse(fake.record[0]!.body);
    expect(sent).toMatchObject({ voiceId: 'Dennis', modelId: 'inworld-tts-1.5-mini', timestampType: 'WORD', audioConfig: { audioEncoding: 'LINEAR16' } });
    expect(fake.record[0]!.headers.authorization).toBe(`Basic ${TEST_KEYS.inworld}`);
  });

  it('splits text over 2,000 characters at sentence ends and shifts the word timings', async () => {
    fake = await startFakeInworld({ apiKey: TEST_KEYS.inworld });
    const sentence = 'The keeper climbed the long stairs of the old tower again tonight. ';
    const text = sentence.repeat(68).trim(); // about 4,500 characters
    expect(text.length).toBeGreaterThan(4000);
    const speech = await voice().synthesize({ text });
    expect(fake.record).toHaveLength(3);
    for (const r of fake.record) {
      const part = JSON.parse(r.body).text as string;
      expect(part.length).toBeLessThanOrEqual(2000);
      expect(part.endsWith('tonight.')).toBe(true);
    }
    const words = speech.words!;
    expect(words).toHaveLength(text.split(/\s+/).length);
    for (let i = 1; i < words.length; i++) expect(words[i]!.start).toBeGreaterThanOrEqual(words[i - 1]!.start);
    expect(words.at(-1)!.end).toBeLessThanOrEqual(pcmSeconds(readWav(speech.audio)!) + 0.01);
  });

  it('splitForLimit never cuts inside a word and keeps all the text', () => {
    const text = 'word '.repeat(900).trim();
    const parts = splitForLimit(text, 2000);
    expect(parts.every((p) => p.length <= 2000)).toBe(true);
    expect(parts.join(' ')).toBe(text);
  });

  it.each([
    [{ status: 429, retryAfter: 3 }, { retryable: true, status: 429, retryAfterMs: 3000 }],
    [{ status: 500 }, { retryable: true, status: 500 }],
    [{ kind: 'no-audio' }, { retryable: true }],
  ])('bad day %j -> %j', async (step, info) => {
    fake = await startFakeInworld({ apiKey: TEST_KEYS.inworld });
    fake.script.push(step);
    const error = await voice().synthesize({ text: 'Hello.' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).info).toMatchObject(info);
  });

  it('a bad key is final and never echoed', async () => {
    fake = await startFakeInworld({ apiKey: 'the-right-key' });
    const error = (await voice().synthesize({ text: 'Hello.' }).catch((e: unknown) => e)) as ProviderError;
    expect(error.info).toMatchObject({ retryable: false, status: 401 });
    expect(error.message).not.toContain(TEST_KEYS.inworld);
  });
});
