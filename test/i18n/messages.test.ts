/**
 * Every language file has exactly en.json's messages, with the same {{placeholders}}, and no
 * message is left empty; a member's locale picks their language, else the server's, else English.
 */
import { describe, expect, it } from 'vitest';
import { MESSAGES, localizationsOf, translator } from '../../src/i18n/translate.js';
import { REPLY_LOCALES, pickReplyLocale } from '../../src/i18n/locales.js';

function leaves(value: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === 'string') out.set(prefix + k, v);
    else for (const [kk, vv] of leaves(v, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

const english = leaves(MESSAGES.en);

describe('message files', () => {
  it('has at least the thirteen languages the issue names', () => {
    expect(REPLY_LOCALES).toEqual(
      expect.arrayContaining(['en', 'es', 'fr', 'de', 'it', 'pt-BR', 'nl', 'pl', 'tr', 'ru', 'ja', 'ko', 'zh-CN']),
    );
  });

  for (const locale of REPLY_LOCALES) {
    it(`${locale} has every English message, no other, with the same placeholders`, () => {
      const ours = leaves(MESSAGES[locale]);
      expect([...ours.keys()].sort()).toEqual([...english.keys()].sort());
      for (const [key, text] of ours) {
        expect(text.trim(), `${locale} ${key}`).not.toBe('');
        expect(placeholders(text), `${locale} ${key}`).toEqual(placeholders(english.get(key)!));
      }
    });
  }

  it('translates with values filled in', () => {
    expect(translator('de')('common.unknownCommand', { command: 'zap' })).toBe('Unbekannter Befehl /zap.');
    expect(translator('ja')('common.formExpired')).toContain('/story');
  });

  it('non-English files are translated, not copied (fewer than a quarter of messages equal English)', () => {
    for (const locale of REPLY_LOCALES.filter((l) => l !== 'en')) {
      const ours = leaves(MESSAGES[locale]);
      const same = [...ours].filter(([k, v]) => v === english.get(k) && placeholders(v).length === 0 && v.length > 12).length;
      expect(same, locale).toBeLessThan(Math.max(1, english.size / 4));
    }
  });
});

describe('which language', () => {
  it("is the member's, else the server's, else English", () => {
    expect(pickReplyLocale('de', 'fr')).toBe('de');
    expect(pickReplyLocale('es-419', 'fr')).toBe('es');
    expect(pickReplyLocale('en-GB', 'fr')).toBe('en');
    expect(pickReplyLocale('sv-SE', 'fr')).toBe('fr');
    expect(pickReplyLocale('sv-SE', 'fi')).toBe('en');
    expect(pickReplyLocale(undefined, null)).toBe('en');
  });

  it('gives command localizations for every Discord locale we have, English left to the default', () => {
    const map = localizationsOf('common.formExpired');
    expect(map['es-ES']).toBe(map['es-419']);
    expect(map.ja).toBe(translator('ja')('common.formExpired'));
    expect(map['en-US']).toBeUndefined();
    expect(Object.keys(map)).toHaveLength(13);
  });
});
