import { describe, expect, it } from 'vitest';
import { detectLanguage, languageText } from '../../src/core/detect-language.js';
import { isMostlyRtl, isRtlLanguage, normalizeLanguage } from '../../src/core/language.js';
import { DETECTION_SET } from './detection-set.js';

describe('detectLanguage on short stories in 16 languages', () => {
  it('has at least 100 texts of 1-3 sentences in at least 12 languages', () => {
    expect(DETECTION_SET.length).toBeGreaterThanOrEqual(100);
    expect(new Set(DETECTION_SET.map((s) => s.lang)).size).toBeGreaterThanOrEqual(12);
  });

  it('is right on at least 95% of the texts of 2-3 sentences, and on every language of the issue', () => {
    const longer = DETECTION_SET.filter((s) => s.sentences >= 2);
    const wrong = longer.filter((s) => detectLanguage(s.text).language !== s.lang).map((s) => `${s.lang}: ${s.text}`);
    expect(wrong.length / longer.length).toBeLessThanOrEqual(0.05);
    for (const lang of ['en', 'es', 'fr', 'de', 'it', 'pt', 'ru', 'ja', 'zh', 'ko', 'ar', 'hi']) {
      const texts = longer.filter((s) => s.lang === lang);
      expect(texts.length, lang).toBeGreaterThan(0);
      for (const s of texts) expect(detectLanguage(s.text), s.text).toMatchObject({ language: lang, source: 'detected' });
    }
  });

  it('is right on at least 90% of single sentences', () => {
    const single = DETECTION_SET.filter((s) => s.sentences === 1);
    const right = single.filter((s) => detectLanguage(s.text).language === s.lang).length;
    expect(right / single.length).toBeGreaterThanOrEqual(0.9);
  });

  it('narrates a story that mixes languages in its main one', () => {
    const story =
      'A fox found a lantern. Un zorro encontró una linterna en la nieve y con ella iluminó todo el bosque. Los animales salieron a mirar la luz. Nadie había visto algo así.';
    expect(detectLanguage(story).language).toBe('es');
    const mostlyJapanese =
      'キツネが雪の中でランタンを見つけた。その光が森じゅうを照らした。動物たちはみんな集まってきた。 "Wow," said the owl.';
    expect(detectLanguage(mostlyJapanese).language).toBe('ja');
  });

  it('ignores emoji, links and Discord mentions', () => {
    expect(languageText('<@123456> look https://example.com/a 🌊❤️ <:fox:987654>')).not.toMatch(/example|123456|fox|🌊/u);
    expect(
      detectLanguage('<@123456> 🌊🌊 Der Zug hielt mitten im Nirgendwo. Alle schauten aus dem Fenster. https://example.com').language,
    ).toBe('de');
  });

  it('takes the locale hint for short or ambiguous texts, not against a clear text', () => {
    expect(detectLanguage('Hola')).toMatchObject({ language: 'en', source: 'default' });
    expect(detectLanguage('Hola', { hint: 'es-ES' })).toMatchObject({ language: 'es', source: 'hint' });
    expect(detectLanguage('🌊✨', { hint: 'pt-BR' })).toMatchObject({ language: 'pt', source: 'hint' });
    // Clear Japanese stays Japanese for an English-speaking user; clear Spanish for a Portuguese one.
    expect(detectLanguage('キツネが雪の中でランタンを見つけた。', { hint: 'en-US' }).language).toBe('ja');
    expect(
      detectLanguage('El tren se detuvo en medio de la nada. Todos miraron por la ventana al mismo tiempo.', { hint: 'pt-BR' }).language,
    ).toBe('es');
  });
});

describe('language codes', () => {
  it('normalizes BCP-47 tags, Discord locales, ISO 639-3 codes and English names', () => {
    expect(['pt-BR', 'zh-TW', 'es-419', 'EN_us', 'no', 'iw', 'cmn', 'Spanish', 'ja'].map(normalizeLanguage)).toEqual([
      'pt',
      'zh',
      'es',
      'en',
      'nb',
      'he',
      'zh',
      'es',
      'ja',
    ]);
    expect(normalizeLanguage('klingon')).toBeUndefined();
    expect(normalizeLanguage('')).toBeUndefined();
  });

  it('knows which languages and texts are written right to left', () => {
    expect(['ar', 'he', 'fa', 'ur'].every(isRtlLanguage)).toBe(true);
    expect(isRtlLanguage('en')).toBe(false);
    expect(isMostlyRtl('قرأت كتاب Harry Potter أمس في المساء!')).toBe(true);
    expect(isMostlyRtl('I read كتاب yesterday')).toBe(false);
  });
});
