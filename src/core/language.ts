/**
 * Languages by their BCP-47 primary subtag ("es", "ja", "ar"): names, writing direction, and
 * turning what people type or Discord sends ("pt-BR", "zh-TW", "es-419", "Spanish") into one code.
 * Pure tables: the engine, the providers and the bot all read them.
 */

export interface LanguageInfo {
  /** English name, for CLI lines, embeds and fallback reasons. */
  name: string;
  /** Written right to left (captions need an RTL paragraph). */
  rtl?: boolean;
}

/** Every language detection can return, and a few more a user may ask for with --language. */
export const LANGUAGES: Record<string, LanguageInfo> = {
  af: { name: 'Afrikaans' },
  am: { name: 'Amharic' },
  ar: { name: 'Arabic', rtl: true },
  be: { name: 'Belarusian' },
  bg: { name: 'Bulgarian' },
  bn: { name: 'Bengali' },
  ca: { name: 'Catalan' },
  cs: { name: 'Czech' },
  cy: { name: 'Welsh' },
  da: { name: 'Danish' },
  de: { name: 'German' },
  el: { name: 'Greek' },
  en: { name: 'English' },
  eo: { name: 'Esperanto' },
  es: { name: 'Spanish' },
  et: { name: 'Estonian' },
  eu: { name: 'Basque' },
  fa: { name: 'Persian', rtl: true },
  fi: { name: 'Finnish' },
  fr: { name: 'French' },
  ga: { name: 'Irish' },
  gl: { name: 'Galician' },
  gu: { name: 'Gujarati' },
  he: { name: 'Hebrew', rtl: true },
  hi: { name: 'Hindi' },
  hr: { name: 'Croatian' },
  hu: { name: 'Hungarian' },
  hy: { name: 'Armenian' },
  id: { name: 'Indonesian' },
  is: { name: 'Icelandic' },
  it: { name: 'Italian' },
  ja: { name: 'Japanese' },
  ka: { name: 'Georgian' },
  kk: { name: 'Kazakh' },
  km: { name: 'Khmer' },
  kn: { name: 'Kannada' },
  ko: { name: 'Korean' },
  la: { name: 'Latin' },
  lt: { name: 'Lithuanian' },
  lv: { name: 'Latvian' },
  mk: { name: 'Macedonian' },
  mn: { name: 'Mongolian' },
  mr: { name: 'Marathi' },
  ms: { name: 'Malay' },
  my: { name: 'Burmese' },
  nb: { name: 'Norwegian' },
  ne: { name: 'Nepali' },
  nl: { name: 'Dutch' },
  pa: { name: 'Punjabi' },
  pl: { name: 'Polish' },
  pt: { name: 'Portuguese' },
  ro: { name: 'Romanian' },
  ru: { name: 'Russian' },
  sk: { name: 'Slovak' },
  sl: { name: 'Slovenian' },
  sr: { name: 'Serbian' },
  sv: { name: 'Swedish' },
  sw: { name: 'Swahili' },
  ta: { name: 'Tamil' },
  te: { name: 'Telugu' },
  th: { name: 'Thai' },
  tk: { name: 'Turkmen' },
  tl: { name: 'Tagalog' },
  tr: { name: 'Turkish' },
  tt: { name: 'Tatar' },
  uk: { name: 'Ukrainian' },
  ur: { name: 'Urdu', rtl: true },
  vi: { name: 'Vietnamese' },
  yi: { name: 'Yiddish', rtl: true },
  zh: { name: 'Chinese' },
};

export const LANGUAGE_CODES = Object.keys(LANGUAGES);

/** Codes that name the same language as one of ours (ISO 639-3, macrolanguages, old codes). */
const ALIASES: Record<string, string> = {
  no: 'nb',
  nn: 'nb',
  iw: 'he',
  ji: 'yi',
  in: 'id',
  fil: 'tl',
  cmn: 'zh',
  yue: 'zh',
  arb: 'ar',
  pes: 'fa',
  eng: 'en',
  spa: 'es',
  fra: 'fr',
  deu: 'de',
  ita: 'it',
  por: 'pt',
  rus: 'ru',
  jpn: 'ja',
  zho: 'zh',
  kor: 'ko',
  ara: 'ar',
  hin: 'hi',
};

/**
 * "pt-BR", "zh_TW", "ES", "Spanish", "español"? -> "pt", "zh", "es", "es"; undefined when it names no
 * language we know. Only the primary subtag matters: voices and captions differ by language, not region.
 */
export function normalizeLanguage(input: string | undefined | null): string | undefined {
  if (!input) return undefined;
  const raw = input.trim().toLowerCase();
  if (!raw) return undefined;
  const primary = raw.split(/[-_]/)[0]!;
  const code = ALIASES[primary] ?? primary;
  if (Object.hasOwn(LANGUAGES, code)) return code;
  const byName = LANGUAGE_CODES.find((c) => LANGUAGES[c]!.name.toLowerCase() === raw);
  return byName;
}

export function languageName(code: string): string {
  return LANGUAGES[code]?.name ?? code;
}

export function isRtlLanguage(code: string | undefined): boolean {
  return code !== undefined && LANGUAGES[code]?.rtl === true;
}

/** Letters of right-to-left scripts (Hebrew, Arabic and its presentation forms, Syriac, Thaana, N'Ko). */
const RTL_LETTER = /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/gu;
const LETTER = /\p{L}/gu;

/** True when the text has any letter of a right-to-left script. */
export function hasRtlLetter(text: string): boolean {
  return text.search(RTL_LETTER) >= 0;
}

/** True when most letters of the text are of a right-to-left script. */
export function isMostlyRtl(text: string): boolean {
  const letters = text.match(LETTER)?.length ?? 0;
  const rtl = text.match(RTL_LETTER)?.length ?? 0;
  return letters > 0 && rtl * 2 > letters;
}
