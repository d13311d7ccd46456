/**
 * Named voices a Discord user can pick (narrator, warm, deep, bright, storyteller), and which voice
 * of each provider reads a story in a given language. A preset maps to a voice of the story's
 * language where the provider has one; otherwise to the closest language's voice, with a note
 * saying so (shown on the CLI line, in the embed and in history).
 *
 * Inworld voices per language are from Inworld's public voice list. Its newer models (1.5+) also
 * speak ru, hi, he and ar, with no voice listed for them: the English voices read them, noted.
 * espeak-ng voices are those `espeak-ng --voices` lists (1.51, Debian 12): about a hundred languages.
 */
import { languageName } from '../core/language.js';
import { EDGE_MULTILINGUAL, EDGE_VOICES } from './voices/edge-voices.js';
import type { VoiceNote } from '../core/voice-note.js';

export type VoicePreset = 'narrator' | 'warm' | 'deep' | 'bright' | 'storyteller';
export const VOICE_PRESET_NAMES: VoicePreset[] = ['narrator', 'warm', 'deep', 'bright', 'storyteller'];

/** The English voices each preset names (what the presets meant before voices had languages). */
export const VOICE_PRESETS: Record<VoicePreset, { inworld: string; espeak: string }> = {
  narrator: { inworld: 'Ashley', espeak: 'en-us' },
  warm: { inworld: 'Olivia', espeak: 'en-us+f3' },
  deep: { inworld: 'Dennis', espeak: 'en-us+m3' },
  bright: { inworld: 'Timothy', espeak: 'en-gb+m1' },
  storyteller: { inworld: 'Edward', espeak: 'en-gb' },
};

export function isVoicePreset(value: string): value is VoicePreset {
  return (VOICE_PRESET_NAMES as string[]).includes(value);
}

/** Inworld voices per language, in preset order: narrator, warm, deep, bright, storyteller. */
const INWORLD_VOICES: Record<string, readonly [string, string, string, string, string]> = {
  en: ['Ashley', 'Olivia', 'Dennis', 'Timothy', 'Edward'],
  zh: ['Xinyi', 'Xiaoyin', 'Yichen', 'Jing', 'Yichen'],
  ja: ['Asuka', 'Asuka', 'Satoshi', 'Asuka', 'Satoshi'],
  ko: ['Minji', 'Yoona', 'Hyunwoo', 'Seojun', 'Hyunwoo'],
  fr: ['Hélène', 'Hélène', 'Alain', 'Mathieu', 'Étienne'],
  de: ['Johanna', 'Johanna', 'Josef', 'Johanna', 'Josef'],
  es: ['Lupita', 'Lupita', 'Diego', 'Miguel', 'Rafael'],
  it: ['Orietta', 'Orietta', 'Gianni', 'Orietta', 'Gianni'],
  pt: ['Maitê', 'Maitê', 'Heitor', 'Maitê', 'Heitor'],
  nl: ['Katrien', 'Lore', 'Erik', 'Lennart', 'Erik'],
  pl: ['Szymon', 'Wojciech', 'Wojciech', 'Szymon', 'Wojciech'],
};
/** Every voice of Inworld's public list that the tables above name. */
export const INWORLD_LISTED_VOICES: readonly string[] = [...new Set(Object.values(INWORLD_VOICES).flat())];

/** Languages Inworld's newer models speak with voices listed for another language. */
const INWORLD_MODEL_LANGUAGES = new Set(['ru', 'hi', 'he', 'ar']);

/** espeak-ng 1.51's voice for each language it speaks (the language code itself unless listed). */
const ESPEAK_LANGUAGES = new Set(
  (
    'af am an ar as az ba be bg bn bs ca cs cy da de el en eo es et eu fa fi fr ga gd gn gu he hi hr ht hu hy ia id ' +
    'is it ja ka kk kl kn ko ku ky la lb lt lv mi mk ml mr ms mt my nb ne nl om or pa pl pt ro ru sd si sk sl sq sr ' +
    'sv sw ta te th tk tn tr tt ug uk ur uz vi zh'
  ).split(' '),
);
const ESPEAK_VOICE: Record<string, string> = { en: 'en-us', fr: 'fr-fr', pt: 'pt-br', zh: 'cmn' };
/** espeak-ng variants giving each preset its own colour: female 3, male 3, male 1, male 2. */
const ESPEAK_VARIANT: Record<VoicePreset, string> = { narrator: '', warm: '+f3', deep: '+m3', bright: '+m1', storyteller: '+m2' };

/** Languages espeak-ng has a voice for but reads badly: said up front, with the way to a better voice. */
const ESPEAK_POOR: Record<string, string> = {
  ja: 'espeak-ng cannot read Japanese (it says "Chinese letter" for every kanji): the free neural voice reads it (VOICE_PROVIDER=auto with a network, or edge)',
  zh: 'espeak-ng reads Chinese poorly: the free neural voice reads it well (VOICE_PROVIDER=auto with a network, or edge)',
};

/** When no voice speaks a language, the language whose voice reads it least badly. */
const CLOSEST: Record<string, string> = {
  uk: 'ru',
  be: 'ru',
  bg: 'ru',
  kk: 'ru',
  mn: 'ru',
  tt: 'ru',
  mk: 'ru',
  sr: 'ru',
  ca: 'es',
  gl: 'es',
  eu: 'es',
  la: 'it',
  ro: 'it',
  ur: 'hi',
  mr: 'hi',
  ne: 'hi',
  pa: 'hi',
  gu: 'hi',
  bn: 'hi',
  af: 'nl',
  yi: 'he',
  fa: 'ar',
  cs: 'pl',
  sk: 'pl',
  sl: 'pl',
  hr: 'pl',
  da: 'de',
  nb: 'de',
  sv: 'de',
  is: 'de',
  lb: 'de',
};

export interface VoiceChoice {
  /** The provider's voice id; undefined leaves the provider's default. */
  voice?: string;
  /** Language the voice speaks (the story's language unless a fallback was needed). */
  language: string;
  /** Set when the voice is not a voice of the story's language: why, in one line (English: logs, CLI, history). */
  note?: string;
  /** The same as data, set with `note`. */
  said?: VoiceNote;
}

const nameOf = languageName;

/**
 * The voice of `provider` for a story in `language`. `requested` is a preset name (mapped to the
 * language), a provider voice id (used as given: the user chose it), or undefined (the preset
 * "narrator", or the configured default voice for English).
 */
export function chooseVoice(provider: string, language: string, requested?: string, defaultVoice?: string): VoiceChoice {
  if (requested !== undefined && !isVoicePreset(requested)) return { voice: requested, language };
  const preset: VoicePreset = requested ?? 'narrator';
  const slot = VOICE_PRESET_NAMES.indexOf(preset);
  if (provider === 'inworld') {
    const pick = (lang: string) => (requested === undefined && lang === 'en' && defaultVoice ? defaultVoice : INWORLD_VOICES[lang]![slot]);
    if (INWORLD_VOICES[language]) return { voice: pick(language), language };
    if (INWORLD_MODEL_LANGUAGES.has(language)) {
      const voice = pick('en');
      return {
        voice,
        language,
        note: `Inworld lists no ${nameOf(language)} voice; ${voice} reads it through the model's ${nameOf(language)}`,
        said: { kind: 'model-reads', provider: 'Inworld', language, voice: voice! },
      };
    }
    const near = CLOSEST[language];
    const lang = near && INWORLD_VOICES[near] ? near : 'en';
    const voice = pick(lang);
    return {
      voice,
      language: lang,
      note: `no Inworld voice speaks ${nameOf(language)}; ${voice} (${nameOf(lang)}) reads it`,
      said: { kind: 'other-language', provider: 'Inworld', language, voice: voice!, voiceLanguage: lang },
    };
  }
  if (provider === 'espeak') {
    const base = (lang: string) => (requested === undefined && lang === 'en' && defaultVoice ? defaultVoice : undefined);
    const pick = (lang: string) =>
      base(lang) ?? (lang === 'en' ? VOICE_PRESETS[preset].espeak : (ESPEAK_VOICE[lang] ?? lang) + ESPEAK_VARIANT[preset]);
    if (ESPEAK_LANGUAGES.has(language)) {
      const poor = ESPEAK_POOR[language];
      return { voice: pick(language), language, ...(poor ? { note: poor, said: { kind: 'rough', provider: 'espeak-ng', language } } : {}) };
    }
    const near = CLOSEST[language];
    const lang = near && ESPEAK_LANGUAGES.has(near) ? near : 'en';
    const voice = pick(lang);
    return {
      voice,
      language: lang,
      note: `espeak-ng has no ${nameOf(language)} voice; ${voice} (${nameOf(lang)}) reads it`,
      said: { kind: 'other-language', provider: 'espeak-ng', language, voice, voiceLanguage: lang },
    };
  }
  if (provider === 'edge') {
    const mine = EDGE_VOICES[language];
    if (mine) return { voice: requested === undefined && language === 'en' && defaultVoice ? defaultVoice : mine[slot]!, language };
    const voice = EDGE_MULTILINGUAL[slot]!;
    return {
      voice,
      language,
      note: `Edge lists no ${nameOf(language)} voice here; the multilingual ${voice} reads it`,
      said: { kind: 'multilingual', provider: 'Edge', language, voice },
    };
  }
  // A provider without language tables (a test double, a future service): its own default.
  return { voice: undefined, language };
}
