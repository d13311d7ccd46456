/**
 * A scene's words matched to pictographs through the Unicode CLDR emoji annotations of its own
 * language (emojibase-data: a name and keywords for every emoji, in 28 locales). Matching in the
 * story's language, never in English, avoids false friends: Vietnamese "bay" (to fly) finds a dove
 * and a kite, not a sea bay. Each match carries the emoji's English name, which gives an English
 * core to what the card shows whatever the language. Loaded lazily, once per locale and thread.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

interface Annotation {
  label: string;
  hexcode: string;
  tags?: string[];
  emoji: string;
  order?: number;
  group?: number;
  subgroup?: number;
  version: number;
}

export interface Pictograph {
  emoji: string;
  hexcode: string;
  /** The English CLDR name, e.g. "fox", "envelope". */
  english: string;
  group: number;
  subgroup: number;
}

export interface PictographMatch {
  /** The scene's word as written, and where it starts in the text. */
  word: string;
  at: number;
  /** Candidates for the word, best first. */
  candidates: Pictograph[];
  /**
   * The candidates whose name in this language is or contains the word (fox, Fuchs, лиса; "letter"
   * in "love letter"), not only a keyword of it; never a proper name ("Tokyo tower"). Best first.
   */
  named: Pictograph[];
  /** The candidates whose whole name is the word (Katze, 고양이). */
  exact: Pictograph[];
  /** Found through an ending taken off (ночью → ночь), not as written. */
  inflected: boolean;
}

/** The font on this machine (Debian's fonts-noto-color-emoji) draws emoji up to this version. */
const MAX_VERSION = 15;
/** Component (skin tones, hair) and flags are never a scene's subject. */
const NEVER_GROUPS = new Set([2, 9]);
/** Smileys and symbols (hearts, arrows, signs) only when named outright. */
const WEAK_GROUPS = new Set([0, 8]);

const LOCALES = new Set('bn da de en en-gb es es-mx et fi fr hi hu it ja ko lt ms nb nl pl pt ru sv th uk vi zh zh-hant'.split(' '));

/** The emojibase-data locale for a BCP-47 language ("no" reads Bokmål; "zh-TW" traditional). */
export function annotationLocale(language: string): string | undefined {
  const tag = language.toLowerCase();
  if (tag === 'no' || tag === 'nn') return 'nb';
  if (/^zh-(tw|hk|hant)/.test(tag)) return 'zh-hant';
  const primary = tag.split('-')[0]!;
  return LOCALES.has(tag) ? tag : LOCALES.has(primary) ? primary : undefined;
}

let dataDir: string | undefined;
function load(locale: string): Annotation[] {
  dataDir ??= dirname(createRequire(import.meta.url).resolve('emojibase-data/package.json'));
  return JSON.parse(readFileSync(join(dataDir, locale, 'data.json'), 'utf8')) as Annotation[];
}

interface Entry {
  pictograph: Pictograph;
  /** label: the word is the whole name; part: one word of it; tag: a keyword. */
  kind: 'label' | 'part' | 'tag';
  tags: number;
}

interface LocaleIndex {
  words: Map<string, Entry[]>;
}

const indexes = new Map<string, LocaleIndex>();
let english: Map<string, string> | undefined;

function englishNames(): Map<string, string> {
  english ??= new Map(load('en').map((a) => [a.hexcode, a.label]));
  return english;
}

const fold = (word: string) => word.toLocaleLowerCase().normalize('NFC');

function indexFor(locale: string): LocaleIndex {
  const cached = indexes.get(locale);
  if (cached) return cached;
  const names = englishNames();
  const words = new Map<string, Entry[]>();
  for (const a of load(locale)) {
    const group = a.group ?? 8;
    // the man and woman forms of a person emoji add nothing to its neutral form
    if (a.version > MAX_VERSION || NEVER_GROUPS.has(group) || /200D-264[02]/.test(a.hexcode)) continue;
    const pictograph = { emoji: a.emoji, hexcode: a.hexcode, english: names.get(a.hexcode) ?? a.label, group, subgroup: a.subgroup ?? -1 };
    const label = fold(a.label);
    // a capital inside an English name is a proper name: Tokyo tower, Statue of Liberty, Japanese castle
    const proper = /\p{Lu}/u.test(pictograph.english.slice(1)) || /^\p{Lu}\p{Ll}/u.test(pictograph.english);
    // a word of the name counts when it is a keyword too: "letter" in "love letter", never "and" or "the"
    const parts = new Set(label.split(/[\s:,]+/));
    const kinds = new Map<string, Entry['kind']>();
    for (const tag of (a.tags ?? []).map(fold)) kinds.set(tag, !proper && parts.has(tag) ? 'part' : 'tag');
    if (!proper) kinds.set(label, 'label');
    for (const [key, kind] of kinds) {
      if (/\s/.test(key)) continue;
      const list = words.get(key) ?? [];
      list.push({ pictograph, kind, tags: a.tags?.length ?? 0 });
      words.set(key, list);
    }
  }
  const index = { words };
  indexes.set(locale, index);
  return index;
}

/** Better candidates first: the emoji this word names, then things over faces and symbols, then the most specific. */
function rank(entries: Entry[]): Entry[] {
  const score = (e: Entry) =>
    (e.kind === 'label' ? 100 : e.kind === 'part' ? 60 : 20) -
    (WEAK_GROUPS.has(e.pictograph.group) ? 50 : 0) -
    (e.pictograph.group === 1 ? 5 : 0) -
    e.tags * 0.5;
  return [...entries].sort((a, b) => score(b) - score(a));
}

/** Languages whose nouns change their last letter by case (лиса, лису; kot, kota): the stem rule. */
const CASE_ENDINGS = new Set(['ru', 'uk', 'pl', 'lt', 'et', 'fi', 'hu']);

/**
 * Scandinavian definite and plural endings (räven, hesten, sneen, huset, husene, rävarna): the
 * noun itself with its article, so the word names what its stem names (like a Korean particle).
 */
const DEFINITE_ENDINGS: Record<string, string[]> = {
  sv: ['arna', 'orna', 'erna', 'na', 'en', 'et', 'n', 't'],
  da: ['erne', 'ene', 'ne', 'en', 'et', 'n', 't'],
  nb: ['ene', 'ne', 'en', 'et', 'a', 'n', 't'],
};

/** Finnish case endings that may leave a short stem (yöllä → yö): found so, the word tells time or place, never the subject. */
const SHORT_STEM_CASES: Record<string, string[]> = {
  fi: ['llä', 'lla', 'ssä', 'ssa', 'stä', 'sta', 'lle', 'ltä', 'lta', 'ksi', 'nä', 'na', 'n'],
};

/**
 * Ukrainian closes a syllable with і where its other forms have о or е (ніч, ночі; кіт, кота):
 * the word minus its ending, with that last о/е read as і.
 */
function ukrainianStem(word: string): string | undefined {
  const stem = word.slice(0, -1);
  const at = Math.max(stem.lastIndexOf('о'), stem.lastIndexOf('е'));
  return at > 0 || (at === 0 && stem.length > 1) ? `${stem.slice(0, at)}і${stem.slice(at + 1)}` : undefined;
}

const HANGUL = /\p{Script=Hangul}/u;
const THAI = /\p{Script=Thai}/u;
const HAN_OR_KANA = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/**
 * The index entries for one word: the word itself, or (inflected languages) the word minus an
 * ending: a Korean particle (밤에 → 밤), a case or plural ending of up to 3 letters on a stem of at
 * least 4 (ночью → ночь, Schiffe → Schiff), or a changed last letter on 5 letters or more (лису → лиса).
 */
function lookup(index: LocaleIndex, word: string, locale: string): { entries: Entry[]; inflected: boolean } | undefined {
  const exact = index.words.get(word);
  if (exact) return { entries: exact, inflected: false };
  const chars = [...word];
  if (HAN_OR_KANA.test(word)) return undefined;
  for (const ending of DEFINITE_ENDINGS[locale] ?? []) {
    if (!word.endsWith(ending) || chars.length - ending.length < 3) continue;
    const found = index.words.get(word.slice(0, -ending.length));
    if (found) return { entries: found, inflected: false };
  }
  const hangul = HANGUL.test(word);
  for (let cut = 1; cut <= 3 && chars.length - cut >= (hangul ? 1 : 4); cut++) {
    const found = index.words.get(chars.slice(0, -cut).join(''));
    if (found) return { entries: found, inflected: true };
  }
  for (const ending of SHORT_STEM_CASES[locale] ?? []) {
    if (!word.endsWith(ending) || chars.length - ending.length < 2) continue;
    const found = index.words.get(word.slice(0, -ending.length));
    if (found) return { entries: found, inflected: true };
  }
  const alternated = locale === 'uk' && chars.length >= 3 ? ukrainianStem(word) : undefined;
  const found = alternated ? index.words.get(alternated) : undefined;
  if (found) return { entries: found, inflected: true };
  if (CASE_ENDINGS.has(locale) && chars.length >= 5) {
    const stem = chars.slice(0, -1).join('');
    for (const [key, entries] of index.words) if (key.length === word.length && key.startsWith(stem)) return { entries, inflected: true };
  }
  return undefined;
}

/** Too common to mean a thing ("face", "man", "hand"): more candidates than this are not a subject. */
export const AMBIGUOUS = 12;

/** Every word of `text` (in `language`) that names or describes a pictograph, in order. */
export function findPictographs(text: string, language: string): PictographMatch[] {
  const locale = annotationLocale(language);
  if (!locale) return [];
  const index = indexFor(locale);
  const matches: PictographMatch[] = [];
  const segments = [...new Intl.Segmenter(locale, { granularity: 'word' }).segment(text)];
  for (let i = 0; i < segments.length; i++) {
    const { index: at, isWordLike } = segments[i]!;
    let segment = segments[i]!.segment;
    if (!isWordLike) continue;
    // Thai is written without spaces and its segmenter splits compounds (กลางคืน, night: กลาง|คืน):
    // two neighbours that are one word of the annotations are read as one
    const next = segments[i + 1];
    if (THAI.test(segment) && next?.isWordLike && THAI.test(next.segment) && index.words.has(fold(segment + next.segment))) {
      segment += next.segment;
      i++;
    }
    const word = fold(segment);
    // one Latin or Cyrillic letter or two ("a", "on") is a function word; one Han character is a word
    if (!HAN_OR_KANA.test(word) && !HANGUL.test(word) && [...word].length < 3) continue;
    const found = lookup(index, word, locale);
    if (!found) continue;
    const ranked = rank(found.entries);
    matches.push({
      word: segment,
      at,
      candidates: ranked.map((e) => e.pictograph),
      named: ranked.filter((e) => e.kind !== 'tag').map((e) => e.pictograph),
      exact: ranked.filter((e) => e.kind === 'label').map((e) => e.pictograph),
      inflected: found.inflected,
    });
  }
  return matches;
}

/** The English name of an emoji (CLDR), e.g. "🦊" → "fox". */
export function englishName(hexcode: string): string | undefined {
  return englishNames().get(hexcode);
}
