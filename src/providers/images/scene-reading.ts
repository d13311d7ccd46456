/**
 * What an offline card shows, read from its scene's own words in the scene's language: the main
 * thing (a pictograph), a few props, the story's characters the scene names, the setting (sea,
 * forest, city, room, snow), the time of day, the weather and the season. Never from the story-wide
 * brief, which only says which capitalised words are characters. Pure and deterministic.
 */
import { createHash } from 'node:crypto';
import { detectAll } from 'tinyld';
import { detectLanguage, languageText } from '../../core/detect-language.js';
import { normalizeLanguage } from '../../core/language.js';
import { AMBIGUOUS, annotationLocale, findPictographs, type Pictograph, type PictographMatch } from './pictographs.js';
import { ENGLISH_OPENING } from '../../core/image-prompt.js';

export type Setting = 'sea' | 'forest' | 'city' | 'room' | 'snow';
export type TimeOfDay = 'night' | 'morning' | 'evening' | 'day';
export type Weather = 'rain' | 'storm' | 'snow' | 'fog';
export type Season = 'autumn' | 'spring' | 'summer' | 'winter';

export interface Character {
  name: string;
  emoji: string;
  /** Where the character stands, as a fraction of the width: the same in every scene. */
  x: number;
}

export interface SceneReading {
  language: string;
  scene: string;
  subject?: Pictograph;
  props: Pictograph[];
  characters: Character[];
  setting?: Setting;
  time?: TimeOfDay;
  weather?: Weather;
  season?: Season;
  lighthouse: boolean;
  /** The English names of what the card shows (subject first). */
  english: string[];
  /** The story's own words for the palette when the scene names no mood (the brief, else the scene). */
  paletteKey: string;
}

const names = (list: string) => new Set(list.split(',').map((s) => s.trim()));

/** Pictographs (by English CLDR name) that tell the setting, time, weather or season rather than a thing. */
const SETTINGS: Record<Setting, Set<string>> = {
  sea: names(
    'water wave, beach with umbrella, sailboat, ship, speedboat, canoe, ferry, motor boat, passenger ship, spouting whale, whale, dolphin, fish, tropical fish, octopus, spiral shell, desert island, anchor, seal, shark, jellyfish, coral, person surfing, person rowing boat',
  ),
  forest: names('evergreen tree, deciduous tree, mushroom, deer, national park, camping, hedgehog, wood, herb, chipmunk, badger'),
  city: names(
    'cityscape, office building, classical building, department store, bus, taxi, automobile, tram, hotel, bank, convenience store, cityscape at dusk, building construction, post office, Japanese post office, hospital, school, factory, oncoming bus, oncoming taxi, police car, bicycle',
  ),
  room: names(
    'bed, chair, door, window, candle, mirror, bathtub, toilet, books, teacup without handle, mantelpiece clock, framed picture, couch and lamp',
  ),
  snow: names('snowflake, snow-capped mountain, snowman, snowman without snow, skier, snowboarder, ice, mountain, cloud with snow'),
};
const TIMES: Record<TimeOfDay, Set<string>> = {
  night: names(
    'night with stars, crescent moon, full moon, new moon, milky way, bridge at night, shooting star, first quarter moon face, last quarter moon face, new moon face, full moon face, waning crescent moon',
  ),
  morning: names('sunrise, sunrise over mountains'),
  evening: names('sunset, cityscape at dusk'),
  day: names('sun, sun with face, sun behind small cloud'),
};
const WEATHERS: Record<Weather, Set<string>> = {
  rain: names('cloud with rain, umbrella with rain drops, closed umbrella, umbrella'),
  storm: names('cloud with lightning and rain, cloud with lightning, high voltage, tornado, cyclone'),
  snow: names('snowflake, cloud with snow, snowman'),
  fog: names('fog, foggy'),
};
const SEASONS: Record<Season, Set<string>> = {
  autumn: names('fallen leaf, maple leaf, leaf fluttering in wind'),
  spring: names('cherry blossom, tulip, blossom, seedling'),
  summer: names('beach with umbrella, sun with face, sunflower'),
  winter: names('snowflake, snowman, snowman without snow'),
};

/** Faces, hands, body parts, clocks, medals and symbols describe no thing to draw large (a love letter's heart does). */
const NOT_A_THING = new Set([...Array.from({ length: 23 }, (_, i) => i).filter((i) => i !== 14), 58, 61, 66]);
const NOT_A_THING_FROM = 83;

/** The word for "lighthouse" in the languages with an annotation table (there is no lighthouse emoji). */
const LIGHTHOUSE =
  /lighthouse|beacon|phare|leuchtturm|faro\b|farol|vuurtoren|latarni|fyrt[aå]rn|majakka|világítótorony|маяк|灯台|灯塔|燈塔|등대|hải đăng|प्रकाशस्तंभ|ประภาคาร|svyturys|tuletorn|rumah api/iu;

const PERSONS = ['🧑', '👩', '👨', '👧', '👦', '👵', '👴', '🧒', '👱', '🧔'];
/** Where characters stand (fractions of the width), in the order the story names them: inside the pan's safe 15%-85%. */
const SLOTS = [0.28, 0.72, 0.38, 0.62];

function hashOf(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32LE(0);
}

/** What a word may mean: all its pictographs when they are few, else only those it names. */
const meanings = (match: PictographMatch) => (match.candidates.length <= AMBIGUOUS ? match.candidates : match.named);

function first<T extends string>(table: Record<T, Set<string>>, matches: PictographMatch[]): T | undefined {
  for (const match of matches) {
    for (const [key, set] of Object.entries(table) as [T, Set<string>][]) {
      if (meanings(match).some((c) => set.has(c.english))) return key;
    }
  }
  return undefined;
}

const roleWord = (match: PictographMatch) =>
  [TIMES, WEATHERS, SEASONS].some((table) => Object.values(table).some((set) => meanings(match).some((c) => set.has(c.english))));

const HANGUL_WORD = /\p{Script=Hangul}/u;
const DENSE_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u;

/**
 * The word stands for a thing to draw: it names at most 5 pictographs (fox; "letter" in "love
 * letter"), or, outside English (whose keywords are too loose: "small" is a shrimp's), it is a
 * keyword of one or two pictographs or of things all of one kind, long enough not to be a
 * function word. Words that name their thing outright come first (evidence()).
 */
function namesAThing(match: PictographMatch, language: string): boolean {
  if (match.exact.length > 0) return true;
  // an ending taken off changes little in Korean (a particle: 편지가 → 편지); elsewhere the word
  // names a thing only as its whole name (French "noire" is no black bird)
  const particle = HANGUL_WORD.test(match.word);
  if (match.inflected && !particle) return false;
  if (match.named.length > 0) return match.named.length <= 5;
  const long = DENSE_SCRIPT.test(match.word) || [...match.word].length >= 4;
  if (language === 'en' || !long) return false;
  // a keyword of one thing, or of several all of one kind: Japanese 猫 (its name is ネコ) is cats only
  const things = match.candidates.filter((c) => isThing(c) && c.group !== 0);
  return things.length > 0 && (match.candidates.length <= 2 || new Set(things.map((c) => c.subgroup)).size === 1);
}

const isThing = (p: Pictograph) => !NOT_A_THING.has(p.subgroup) && p.subgroup < NOT_A_THING_FROM;

/** English keywords are loose: past tenses and gerunds are actions ("climbed" is not a ladder), numbers and common adjectives describe. */
const ENGLISH_NOT_THINGS = new Set(
  'one two three four five six seven eight nine ten eleven twelve hundred thousand first second third next last little small big great old new black white red blue green light dark tired cut long saw went came found made took left felt ran sat stood fell lay lit'.split(
    ' ',
  ),
);
const englishVerb = (word: string, language: string) =>
  language === 'en' && (/(ed|ing)$/i.test(word) || ENGLISH_NOT_THINGS.has(word.toLowerCase()));

/** The brief's capitalised single words: the story's characters ("Mara"), not its places ("Gull Point"). */
function characterNames(brief: string | undefined): string[] {
  if (!brief) return [];
  return brief
    .split(',')
    .map((s) => s.trim())
    .filter((s) => /^\p{Lu}[\p{L}\p{M}'’-]*$/u.test(s));
}

/**
 * The setting most of the scene's words point to, counting only what a word names (or its only
 * pictographs): "night" has a person in bed among its keywords, which is no reason to paint a room.
 * A lighthouse stands by the sea.
 */
function settingOf(matches: PictographMatch[], lighthouse: boolean): Setting | undefined {
  const votes = new Map<Setting, number>(lighthouse ? [['sea', 2]] : []);
  for (const match of matches) {
    const meant = match.candidates.length <= 2 ? match.candidates : match.named;
    for (const [key, set] of Object.entries(SETTINGS) as [Setting, Set<string>][]) {
      // a keyword most of whose pictographs belong to one setting points there too (Hungarian
      // tengerparton, "on the beach": a whale, a dolphin, a shell, a beach)
      const most = meant.length === 0 && match.candidates.filter((c) => set.has(c.english)).length * 2 > match.candidates.length;
      if (most || meant.some((c) => set.has(c.english))) votes.set(key, (votes.get(key) ?? 0) + 1);
    }
  }
  let best: Setting | undefined;
  for (const [key, count] of votes) if (!best || count > votes.get(best)!) best = key;
  return best;
}

/** How surely a word names its thing: by (a word of) its name, or only as one of its keywords. */
const evidence = (match: PictographMatch) => (match.named.length > 0 ? 1 : 0);

/**
 * The scene's language, among those with annotations when the text allows. One short sentence can
 * read as a neighbour without any (tinyld reads "Chaque nuit, Léa montait au sommet du phare" as
 * Irish, French a distant second): then the runners-up with annotations (at most 3) are tried, and
 * the one in which most of the scene's words are found is taken. A language without annotations
 * and no such runner-up (Turkish) stays: its card shows no pictographs rather than false friends.
 */
function annotatedLanguage(text: string): string {
  const { language: detected, confidence } = detectLanguage(text, { fallback: 'en' });
  const annotated = annotationLocale(detected) !== undefined;
  if (annotated && confidence >= SURE) return detected;
  const runnersUp = detectAll(languageText(text))
    .map((r) => ({ language: normalizeLanguage(r.lang), score: r.accuracy }))
    .filter(
      (r): r is { language: string; score: number } =>
        Boolean(r.language && r.language !== detected && annotationLocale(r.language)) && r.score >= 0.01,
    )
    .slice(0, 3);
  // an unsure guess with annotations is kept unless a runner-up names more of the words outright
  // (Danish "Hesten stod i sneen." reads as German: no word of it is German)
  const named = (language: string) => findPictographs(text, language).filter((m) => m.named.length > 0 && !m.inflected).length;
  let best = annotated ? { language: detected, found: named(detected) } : { language: detected, found: 0 };
  for (const { language } of runnersUp) {
    const found = annotated ? named(language) : findPictographs(text, language).length;
    if (found > best.found) best = { language, found };
  }
  return best.language;
}

/** A detection this sure (its share of the votes) is not second-guessed. */
const SURE = 0.5;

/** What a scene's own words show; `brief` (the offline writer's, story-wide) only names the characters. */
export function readSceneText(scene: string, brief?: string): SceneReading {
  const language = annotatedLanguage(`${scene} ${brief ?? ''}`);
  const cast = characterNames(brief);
  // chosen over the whole cast, so each character keeps its pictograph and place in every scene
  const taken = new Set<string>();
  const characters: Character[] = [];
  cast.slice(0, SLOTS.length).forEach((name, i) => {
    let pick = hashOf(name) % PERSONS.length;
    while (taken.has(PERSONS[pick]!)) pick = (pick + 1) % PERSONS.length;
    taken.add(PERSONS[pick]!);
    if (new RegExp(`(^|[^\\p{L}])${name}($|[^\\p{L}])`, 'u').test(scene)) characters.push({ name, emoji: PERSONS[pick]!, x: SLOTS[i]! });
  });
  const nameWords = new Set(cast.flatMap((n) => n.toLocaleLowerCase().split(/\s+/)));
  const briefNames = (brief ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => /^\p{Lu}/u.test(s))
    .flatMap((s) => s.toLocaleLowerCase().split(/\s+/));
  for (const w of briefNames) nameWords.add(w);
  const matches = findPictographs(scene, language).filter((m) => !nameWords.has(m.word.toLocaleLowerCase()));

  const found: { thing: Pictograph; evidence: number }[] = [];
  for (const match of matches) {
    if (roleWord(match) || englishVerb(match.word, language) || !namesAThing(match, language)) continue;
    // the best thing among all its pictographs ("letter": the envelope before the love letter),
    // when one it names is a thing at all ("one" names a clock face: no camel)
    // never a face or a heart itself
    const pool = match.exact.length > 0 ? match.exact : match.candidates;
    const best = match.named.length === 0 || match.named.some(isThing) ? pool.find((c) => isThing(c) && c.group !== 0) : undefined;
    if (best && !found.some((t) => t.thing.hexcode === best.hexcode)) found.push({ thing: best, evidence: evidence(match) });
  }
  // the things the scene names outright first, in the scene's order (Korean 작은 배, "small boat":
  // 배 before the shrimp that 작은 is a keyword of)
  const things = found.sort((a, b) => b.evidence - a.evidence).map((f) => f.thing);
  const setting = settingOf(matches, LIGHTHOUSE.test(scene));
  const weather = first(WEATHERS, matches);
  const time = first(TIMES, matches);
  const season = first(SEASONS, matches) ?? (weather === 'snow' ? 'winter' : undefined);
  const lighthouse = LIGHTHOUSE.test(scene);
  const [subject, ...props] = things;
  const english = [...(lighthouse ? ['lighthouse'] : []), ...things.slice(0, 4).map((t) => t.english)];
  return {
    language,
    scene,
    subject,
    props: props.slice(0, 2),
    characters,
    setting: setting ?? (lighthouse ? 'sea' : weather === 'snow' ? 'snow' : undefined),
    time,
    weather,
    season,
    lighthouse,
    english,
    paletteKey: brief ?? scene,
  };
}

/**
 * An English core for an image prompt written in another language: "Showing: fox, evergreen
 * tree", the English names of the pictographs the scene matched (FLUX reads English best).
 * Undefined for an English scene or one that matched nothing.
 */
export function englishCore(scene: string): string | undefined {
  // an English scene (most of them) returns before any annotations are loaded
  if (detectLanguage(scene, { fallback: 'en' }).language === 'en') return undefined;
  const reading = readSceneText(scene);
  if (reading.language === 'en' || reading.english.length === 0) return undefined;
  return `${ENGLISH_OPENING} ${reading.english.join(', ')}`;
}

/** How the English core begins, so the painter can tell it from the scene's own words. */
