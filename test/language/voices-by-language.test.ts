/**
 * The 12 languages of issue 11: each story is detected right and narrated by a voice of its
 * language, offline (real espeak-ng) and with Inworld (the real client against the fake, which
 * records the voiceId it receives).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DETECTION_SET } from './detection-set.js';
import { storyLanguage } from '../../src/engine/story-language.js';
import { EspeakVoiceProvider } from '../../src/providers/voices/espeak.js';
import { InworldVoiceProvider } from '../../src/providers/voices/inworld.js';
import { readWav, pcmSeconds } from '../../src/core/wav.js';
import { startFakeInworld } from '../fakes/providers.js';
import type { FakeServer } from '../fakes/providers.js';
import { fakeConfig, TEST_KEYS } from '../support/provider-config.js';

const LANGUAGES = ['en', 'es', 'fr', 'de', 'it', 'pt', 'ru', 'ja', 'zh', 'ko', 'ar', 'hi'];
const STORIES = LANGUAGES.map((lang) => DETECTION_SET.find((s) => s.lang === lang && s.sentences === 2)!);
/** Inworld's voices per language (its public list); ru, hi, ar are spoken by its newer models with these English voices. */
const INWORLD: Record<string, string[]> = {
  en: ['Ashley', 'Olivia', 'Dennis', 'Timothy', 'Edward'],
  es: ['Diego', 'Lupita', 'Miguel', 'Rafael'],
  fr: ['Alain', 'Hélène', 'Mathieu', 'Étienne'],
  de: ['Johanna', 'Josef'],
  it: ['Gianni', 'Orietta'],
  pt: ['Heitor', 'Maitê'],
  ja: ['Asuka', 'Satoshi'],
  zh: ['Yichen', 'Xiaoyin', 'Xinyi', 'Jing'],
  ko: ['Hyunwoo', 'Minji', 'Seojun', 'Yoona'],
};
/** espeak-ng's voice names per language (espeak-ng --voices). */
const ESPEAK: Record<string, string> = {
  en: 'en-us',
  es: 'es',
  fr: 'fr-fr',
  de: 'de',
  it: 'it',
  pt: 'pt-br',
  ru: 'ru',
  ja: 'ja',
  zh: 'cmn',
  ko: 'ko',
  ar: 'ar',
  hi: 'hi',
};

describe.each(STORIES)('a story in $lang', (story) => {
  it("is detected, and espeak-ng narrates it with its language's voice", async () => {
    const espeak = new EspeakVoiceProvider();
    const chosen = storyLanguage(story.text, {}, espeak);
    expect(chosen).toMatchObject({ language: story.lang, source: 'detected' });
    expect(chosen.voice.voice).toBe(ESPEAK[story.lang]);
    expect(chosen.voice.note).toBeUndefined();
    const speech = await espeak.synthesize({ text: story.text, voice: chosen.voice.voice });
    const pcm = readWav(speech.audio)!;
    // A voice that cannot read the script skips it: real speech lasts about a second per 10 letters at least.
    expect(pcmSeconds(pcm)).toBeGreaterThan(1.5);
  });
});

describe('Inworld receives a voice of the story language', () => {
  let fake: FakeServer;
  beforeAll(async () => {
    fake = await startFakeInworld({ apiKey: TEST_KEYS.inworld });
  });
  afterAll(async () => {
    await fake.close();
  });

  it.each(STORIES)('$lang', async (story) => {
    const inworld = new InworldVoiceProvider(fakeConfig({ inworld: fake.url }).voices.inworld);
    const chosen = storyLanguage(story.text, { voice: 'storyteller' }, inworld, new EspeakVoiceProvider());
    expect(chosen.language).toBe(story.lang);
    expect(chosen.fallbackVoice?.voice).toBe(`${ESPEAK[story.lang]}${story.lang === 'en' ? '' : '+m2'}`.replace('en-us', 'en-gb'));
    const before = fake.record.length;
    await inworld.synthesize({ text: story.text, voice: chosen.voice.voice });
    const voiceId = JSON.parse(fake.record[before]!.body).voiceId as string;
    if (INWORLD[story.lang]) {
      expect(INWORLD[story.lang]).toContain(voiceId);
      expect(chosen.voice.note).toBeUndefined();
    } else {
      // No voice listed for the language: an English voice through the model, and a note saying so.
      expect(INWORLD.en).toContain(voiceId);
      expect(chosen.voice.note).toMatch(/Inworld lists no (Russian|Hindi|Arabic) voice/);
    }
  });
});
