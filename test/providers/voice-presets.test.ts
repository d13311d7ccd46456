import { describe, expect, it } from 'vitest';
import { chooseVoice, VOICE_PRESET_NAMES } from '../../src/providers/voice-presets.js';

const INWORLD_BY_LANGUAGE: Record<string, string[]> = {
  en: ['Ashley', 'Olivia', 'Dennis', 'Timothy', 'Edward'],
  zh: ['Yichen', 'Xiaoyin', 'Xinyi', 'Jing'],
  ja: ['Asuka', 'Satoshi'],
  ko: ['Hyunwoo', 'Minji', 'Seojun', 'Yoona'],
  fr: ['Alain', 'Hélène', 'Mathieu', 'Étienne'],
  de: ['Johanna', 'Josef'],
  es: ['Diego', 'Lupita', 'Miguel', 'Rafael'],
  it: ['Gianni', 'Orietta'],
  pt: ['Heitor', 'Maitê'],
  nl: ['Erik', 'Katrien', 'Lennart', 'Lore'],
  pl: ['Szymon', 'Wojciech'],
};

describe('chooseVoice', () => {
  it('maps every preset to an Inworld voice of the story language', () => {
    for (const [lang, voices] of Object.entries(INWORLD_BY_LANGUAGE)) {
      for (const preset of [undefined, ...VOICE_PRESET_NAMES]) {
        const choice = chooseVoice('inworld', lang, preset);
        expect(voices, `${lang} ${preset}`).toContain(choice.voice);
        expect(choice.language).toBe(lang);
        expect(choice.note).toBeUndefined();
      }
    }
    // English keeps the configured default voice when no preset is asked for.
    expect(chooseVoice('inworld', 'en', undefined, 'Olivia').voice).toBe('Olivia');
    expect(chooseVoice('inworld', 'es', undefined, 'Olivia').voice).toBe('Lupita');
  });

  it('says so when Inworld has no voice of the language', () => {
    expect(chooseVoice('inworld', 'ru')).toMatchObject({ voice: 'Ashley', language: 'ru', note: expect.stringContaining('Russian') });
    expect(chooseVoice('inworld', 'ca')).toMatchObject({
      voice: 'Lupita',
      language: 'es',
      note: expect.stringMatching(/Catalan.*Lupita \(Spanish\)/),
    });
    expect(chooseVoice('inworld', 'tr')).toMatchObject({ voice: 'Ashley', language: 'en', note: expect.stringContaining('Turkish') });
  });

  it('maps presets to espeak-ng voices of the language, with variants', () => {
    expect(chooseVoice('espeak', 'es')).toEqual({ voice: 'es', language: 'es' });
    expect(chooseVoice('espeak', 'ja', 'deep').voice).toBe('ja+m3');
    expect(chooseVoice('espeak', 'zh').voice).toBe('cmn');
    expect(chooseVoice('espeak', 'pt', 'warm').voice).toBe('pt-br+f3');
    expect(chooseVoice('espeak', 'en', 'bright').voice).toBe('en-gb+m1');
    expect(chooseVoice('espeak', 'en', undefined, 'en-gb').voice).toBe('en-gb');
    expect(chooseVoice('espeak', 'yi')).toMatchObject({ voice: 'he', language: 'he', note: expect.stringContaining('Yiddish') });
  });

  it('uses an explicit voice id as given, and leaves unknown providers their default', () => {
    expect(chooseVoice('inworld', 'ja', 'Dennis')).toEqual({ voice: 'Dennis', language: 'ja' });
    expect(chooseVoice('fake', 'ja', 'deep')).toEqual({ voice: undefined, language: 'ja' });
  });
});
