/**
 * Messages in the member's language, through i18next: one JSON file per language in ./locales/
 * (en.json is the reference; a missing key falls back to English). Keys are checked by the compiler:
 * `MessageKey` is every leaf path of en.json.
 */
import i18next, { type TFunction } from 'i18next';
import type { Interaction, LocalizationMap } from 'discord.js';
import { REPLY_LOCALES, discordLocalesOf, pickReplyLocale, type ReplyLocale } from './locales.js';
import en from './locales/en.json' with { type: 'json' };
import es from './locales/es.json' with { type: 'json' };
import fr from './locales/fr.json' with { type: 'json' };
import de from './locales/de.json' with { type: 'json' };
import it from './locales/it.json' with { type: 'json' };
import ptBR from './locales/pt-BR.json' with { type: 'json' };
import nl from './locales/nl.json' with { type: 'json' };
import pl from './locales/pl.json' with { type: 'json' };
import tr from './locales/tr.json' with { type: 'json' };
import ru from './locales/ru.json' with { type: 'json' };
import ja from './locales/ja.json' with { type: 'json' };
import ko from './locales/ko.json' with { type: 'json' };
import zhCN from './locales/zh-CN.json' with { type: 'json' };

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];

/** Every message there is, as "section.key". */
export type MessageKey = Leaves<typeof en>;
export type MessageVars = Record<string, string | number>;
/** A message in one language: `t('quota.memberDaily', { reset })`. */
export type Translate = (key: MessageKey, vars?: MessageVars) => string;

export const MESSAGES: Record<ReplyLocale, unknown> = {
  en,
  es,
  fr,
  de,
  it,
  'pt-BR': ptBR,
  nl,
  pl,
  tr,
  ru,
  ja,
  ko,
  'zh-CN': zhCN,
};

const i18n = i18next.createInstance();
void i18n.init({
  resources: Object.fromEntries(REPLY_LOCALES.map((l) => [l, { translation: MESSAGES[l] }])),
  lng: 'en',
  fallbackLng: 'en',
  supportedLngs: [...REPLY_LOCALES],
  // Discord renders markdown, not HTML: nothing to escape.
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
  showSupportNotice: false,
} as Parameters<typeof i18n.init>[0]);

const fixed = new Map<ReplyLocale, TFunction>();

/** Messages in `locale` (one of ours: see pickReplyLocale). */
export function translator(locale: ReplyLocale): Translate {
  let t = fixed.get(locale);
  if (!t) {
    t = i18n.getFixedT(locale);
    fixed.set(locale, t);
  }
  const bound = t;
  return (key, vars) => bound(key, vars) as string;
}

/** Messages for whoever sent this interaction: their language, else their server's, else English. */
export function translatorFor(interaction: Pick<Interaction, 'locale' | 'guildLocale'>): Translate {
  return translator(pickReplyLocale(interaction.locale, interaction.guildLocale));
}

/** A message in every language but English, keyed by Discord locale: for name_/description_localizations. */
export function localizationsOf(key: MessageKey): LocalizationMap {
  const map: LocalizationMap = {};
  for (const locale of REPLY_LOCALES) {
    if (locale === 'en') continue;
    const text = translator(locale)(key);
    for (const discord of discordLocalesOf(locale)) map[discord] = text;
  }
  return map;
}
