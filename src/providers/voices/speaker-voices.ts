/**
 * One voice per character for the whole story, never the narrator's: from the provider's voices
 * of the story's language (voice-presets.ts), a woman's voice for a character the cast describes
 * as a woman, a man's for a man, else the next voice not yet taken. Characters keep distinct
 * voices while the provider has enough: a second woman gets a man's voice sooner than the first's. espeak-ng colours its
 * language voice with variants (+f3, +m3, …).
 */
import { chooseVoice, type VoicePreset } from '../voice-presets.js';

export type Gender = 'female' | 'male';

export interface Speaker {
  name: string;
  /** The cast's description ("a tall woman in a red coat"), when the cast has one. */
  description?: string;
}

const FEMALE =
  /\b(woman|women|girl|lady|she|her|queen|princess|mother|mom|mum|grandmother|granny|aunt|sister|daughter|wife|witch|female|mujer|niña|chica|femme|fille|frau|mädchen|donna|ragazza|menina|mulher)\b/giu;
const MALE =
  /\b(man|men|boy|gentleman|he|his|him|king|prince|father|dad|grandfather|grandpa|uncle|brother|son|husband|wizard|male|hombre|niño|chico|homme|garçon|mann|junge|uomo|ragazzo|menino|homem)\b/giu;

/** The gender a cast description says, when it says one (more of its words point one way). */
export function genderOf(description?: string): Gender | undefined {
  if (!description) return undefined;
  const f = description.match(FEMALE)?.length ?? 0;
  const m = description.match(MALE)?.length ?? 0;
  return f > m ? 'female' : m > f ? 'male' : undefined;
}

/** The presets' voices in an order that alternates women's and men's voices; narrator last. */
const PRESETS: { preset: VoicePreset; gender: Gender }[] = [
  { preset: 'warm', gender: 'female' },
  { preset: 'deep', gender: 'male' },
  { preset: 'bright', gender: 'male' },
  { preset: 'storyteller', gender: 'male' },
  { preset: 'narrator', gender: 'female' },
];
const ESPEAK_VARIANTS: { variant: string; gender: Gender }[] = [
  { variant: '+f3', gender: 'female' },
  { variant: '+m3', gender: 'male' },
  { variant: '+f2', gender: 'female' },
  { variant: '+m1', gender: 'male' },
  { variant: '+f4', gender: 'female' },
  { variant: '+m2', gender: 'male' },
];

function candidates(provider: string, language: string, narrator: string | undefined): { voice: string; gender: Gender }[] {
  let list: { voice: string; gender: Gender }[];
  if (provider === 'espeak') {
    const base = (narrator ?? chooseVoice('espeak', language).voice ?? 'en-us').split('+')[0]!;
    list = ESPEAK_VARIANTS.map(({ variant, gender }) => ({ voice: base + variant, gender }));
  } else {
    list = PRESETS.flatMap(({ preset, gender }) => {
      const voice = chooseVoice(provider, language, preset).voice;
      return voice ? [{ voice, gender }] : [];
    });
  }
  const seen = new Set<string>(narrator ? [narrator] : []);
  return list.filter(({ voice }) => {
    if (seen.has(voice)) return false;
    seen.add(voice);
    return true;
  });
}

/**
 * Each speaker's voice id for `provider` (same order as `speakers`). Undefined for all when the
 * provider has no voice tables (a test double): the narrator then reads every line.
 */
export function speakerVoices(
  provider: string,
  language: string,
  narrator: string | undefined,
  speakers: readonly Speaker[],
): Map<string, string | undefined> {
  const pool = candidates(provider, language, narrator);
  const taken = new Set<string>();
  const voices = new Map<string, string | undefined>();
  // characters whose gender is known choose first: one of unknown gender takes what is left
  const order = [...speakers.entries()].sort(([, a], [, b]) => Number(!genderOf(a.description)) - Number(!genderOf(b.description)));
  const picked = new Map<string, string | undefined>();
  for (const [i, speaker] of order) {
    if (pool.length === 0) {
      picked.set(speaker.name, undefined);
      continue;
    }
    const gender = genderOf(speaker.description);
    const free = pool.filter((c) => !taken.has(c.voice));
    // a voice of its own first (two characters in one voice cannot be told apart), of its gender when there is one
    const pick = free.find((c) => gender === undefined || c.gender === gender) ?? free[0] ?? pool[i % pool.length]!;
    taken.add(pick.voice);
    picked.set(speaker.name, pick.voice);
  }
  for (const speaker of speakers) voices.set(speaker.name, picked.get(speaker.name));
  return voices;
}
