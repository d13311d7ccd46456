/**
 * The offline writer's cast: the story's recurring names that stand for someone (not a place),
 * then its recurring nouns that name a person, an animal or an object (their CLDR pictograph says
 * which), each with a short English description, at most MAX_CAST. No LLM: what the words give.
 * - a name: the appositive the story gives it ("Mara, an old keeper"), in English stories;
 *   otherwise "a woman" / "a man" / "a person" by the pronouns of the sentences that name it;
 * - a noun: "a fox"; in another language the pictograph's English name (Fuchs -> "a fox").
 * Pure and deterministic.
 */
import type { CastMember } from '../../core/story.js';
import { MAX_CAST } from '../../core/story.js';
import { detectLanguage } from '../../core/detect-language.js';
import { findPictographs, type Pictograph } from '../images/pictographs.js';
import { splitSentences } from './split-story.js';
import { recurringNamesAndNouns } from './story-brief.js';

/**
 * Words before a name that make it a place or a thing, not someone: "of Gull Point", "the Gull
 * Point lighthouse", German nouns after their article ("der Fuchs").
 */
const NOT_SOMEONE_BEFORE = new Set(
  'the of at in to from on near into onto across toward towards behind der die das den dem des ein eine einen einem einer'.split(' '),
);
/** emojibase groups: 1 people & body, 3 animals & nature (its animal subgroups end at 39), 7 objects. */
const PEOPLE = 1;
const NATURE = 3;
const LAST_ANIMAL_SUBGROUP = 39;
const OBJECTS = 7;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const mentions = (name: string) => new RegExp(`(^|[^\\p{L}])${escapeRegExp(name)}(?=$|[^\\p{L}])`, 'gu');

function notSomeone(name: string, story: string): boolean {
  for (const m of story.matchAll(mentions(name))) {
    const before = /([\p{L}]+)[^\p{L}]*$/u.exec(story.slice(Math.max(0, m.index - 20), m.index + m[1]!.length))?.[1];
    if (before && NOT_SOMEONE_BEFORE.has(before.toLowerCase())) return true;
  }
  return false;
}

function describeName(name: string, story: string, english: boolean): string {
  if (english) {
    const appositive = new RegExp(`${escapeRegExp(name)}, ((?:an?|the) [\\p{L}' -]{2,40}?)[,.;]`, 'u').exec(story)?.[1];
    if (appositive) return appositive.replace(/^the /, 'a ').replace(/^a ([aeiou])/, 'an $1');
    const sentences = splitSentences(story).map((s) => s.text);
    const near = sentences.filter((_, i) => mentions(name).test(sentences[i - 1] ?? '') || mentions(name).test(sentences[i]!));
    const count = (re: RegExp) => near.reduce((n, s) => n + (s.match(re)?.length ?? 0), 0);
    const she = count(/\b(she|her|hers|herself)\b/gi);
    const he = count(/\b(he|him|his|himself)\b/gi);
    if (she > he) return 'a woman';
    if (he > she) return 'a man';
  }
  return 'a person';
}

/** The pictograph a noun names, when it is a person, an animal or an object. */
function castPictograph(noun: string, language: string): Pictograph | undefined {
  const match = findPictographs(noun, language)[0];
  let best = match?.exact[0] ?? match?.named[0];
  // "letter" names the love letter (a heart) before the envelope it is a keyword of
  if (best?.group === 0) best = match!.candidates.find((c) => c.group !== 0);
  if (!best) return undefined;
  const animal = best.group === NATURE && best.subgroup <= LAST_ANIMAL_SUBGROUP;
  return best.group === PEOPLE || best.group === OBJECTS || animal ? best : undefined;
}

const withArticle = (thing: string) => `${/^[aeiou]/i.test(thing) ? 'an' : 'a'} ${thing}`;

export function storyCast(story: string): CastMember[] {
  const language = detectLanguage(story, { fallback: 'en' }).language;
  const english = language === 'en';
  const { names, nouns } = recurringNamesAndNouns(story);
  const cast: CastMember[] = names
    .filter((name) => !notSomeone(name, story))
    .map((name) => ({ name, description: describeName(name, story, english) }));
  // a capitalised word after an article is a thing when it names one (German nouns)
  const things = [...names.filter((name) => !name.includes(' ') && notSomeone(name, story)), ...nouns];
  for (const noun of things) {
    if (cast.length >= MAX_CAST) break;
    const pictograph = castPictograph(noun, language);
    if (!pictograph) continue;
    cast.push({ name: noun, description: withArticle(english ? noun : pictograph.english) });
  }
  return cast.slice(0, MAX_CAST);
}
