/**
 * What the offline writer tells the image model, without any LLM:
 * - `sceneImageText`: the scene's own sentences, whole (a "not" or a name is never dropped),
 *   trimmed by whole sentences to a length the image model reads in full;
 * - `storyBrief`: the story's recurring names and nouns, taken from the whole story, the same
 *   words for every scene so the images share their characters, places and things.
 * Pure: text in, text out. Word lists cover English plus the articles of a few languages written
 * with spaces; a story in another script simply gets fewer brief words.
 */
import { splitSentences, type Sentence } from './split-story.js';

/** The scene part of a prompt: about 90 words, a third of the 256 T5 tokens FLUX.1 schnell reads. */
export const MAX_SCENE_TEXT = 360;
const MAX_NAMES = 3;
const MAX_NOUNS = 8;

const words = (list: string) => new Set(list.split(' '));

/** Words that make a following word likely a noun ("the lamp", "her coat", "une lettre"). */
const DETERMINERS = words(
  'a an the this that these those my your his her its our their every each another one two three some no ' +
    'le la les un une des du ce cet cette ces son sa ses leur leurs ' +
    'el los las unos unas su sus este esta estos estas ' +
    'der die das den dem des ein eine einen einem einer sein seine ihr ihre ' +
    'il lo gli uno suo sua ' +
    'o os um uma seu',
);

/** Common adjectives that sit between a determiner and its noun, and are never the thing itself. */
const ADJECTIVES = words(
  'little big small large great old new young long short tall first second third last next final same other whole own ' +
    'good bad dark bright black white red blue green grey gray gold golden silver tired calm quiet cold warm high low deep',
);

/** Times of day and abstract words change from scene to scene: not part of what stays the same. */
const CHANGING = words(
  'night day morning evening afternoon dawn dusk time times year years month week moment way end thing things nothing something everything',
);

const STOP_WORDS = words(
  'a an the and or but if then so of to in on at by for with from into onto over under as is are was were be been being it its ' +
    'he she they them his her their we our you your i me my this that these those there here not no yes very just than too also ' +
    'up down out off again once all any each few more most other some such only own same can will would could should did do does ' +
    'had has have having while when where why how who whom which what said says say one two three',
);

/** A function word, an adjective, a time of day or an adverb: never a name nor a recurring thing. */
function plain(word: string): boolean {
  const lower = word.toLowerCase();
  return STOP_WORDS.has(lower) || DETERMINERS.has(lower) || ADJECTIVES.has(lower) || CHANGING.has(lower) || /ly$/.test(lower);
}

const WORD = /[\p{L}\p{M}][\p{L}\p{M}'’-]*/gu;
const isCapitalized = (w: string) => /^\p{Lu}/u.test(w);

/** Double quotes go: an image model reads a quoted phrase as text to letter into the picture. */
function unquote(text: string): string {
  return text
    .replace(/[“”„"«»]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Cut one over-long sentence at a clause (after 60% of the room) or a word boundary. */
function cutSentence(sentence: string, max: number): string {
  const room = sentence.slice(0, max + 1);
  const clause = Math.max(room.lastIndexOf(', '), room.lastIndexOf('; '), room.lastIndexOf(': '));
  if (clause >= max * 0.6) return room.slice(0, clause).trim();
  const space = room.lastIndexOf(' ');
  return (space > 0 ? room.slice(0, space) : room.slice(0, max)).trim();
}

/** The scene's sentences, whole, as many as fit in `max` characters (the first always, cut if it must be). */
export function sceneImageText(narration: string, max = MAX_SCENE_TEXT): string {
  const sentences = splitSentences(narration)
    .map((s) => unquote(s.text))
    .filter(Boolean);
  if (sentences.length === 0) return unquote(narration).slice(0, max);
  let out = sentences[0]!.length <= max ? sentences[0]! : cutSentence(sentences[0]!, max);
  for (const next of sentences.slice(1)) {
    if (out.length + 1 + next.length > max) break;
    out += ' ' + next;
  }
  return out;
}

/** A first paragraph of one short sentence with no full stop is a title: its capitals are not evidence. */
function withoutTitle(sentences: Sentence[]): Sentence[] {
  const first = sentences[0];
  const paragraphs = new Set(sentences.map((s) => s.paragraph)).size;
  if (!first || paragraphs < 2 || /[.!?…:;。！？"”]$/u.test(first.text)) return sentences;
  return sentences.filter((s) => s.paragraph === first.paragraph).length === 1 ? sentences.slice(1) : sentences;
}

interface Tally {
  count: number;
  first: number;
  /** Seen right after a determiner (or a determiner and an adjective). */
  evidence: boolean;
  forms: Map<string, number>;
}

function add(map: Map<string, Tally>, key: string, form: string, at: number, evidence = false): void {
  const t = map.get(key) ?? { count: 0, first: at, evidence: false, forms: new Map() };
  t.count += 1;
  t.evidence ||= evidence;
  t.forms.set(form, (t.forms.get(form) ?? 0) + 1);
  map.set(key, t);
}

const mostUsedForm = (t: Tally) => [...t.forms].sort((a, b) => b[1] - a[1])[0]![0];
const byWeight = (a: Tally, b: Tally) => b.count - a.count || a.first - b.first;

/**
 * Names: runs of capitalized words not at a sentence's start ("Gull Point"), and at a start once
 * known (or when a word starts two sentences and is never written in lower case). Nouns: other
 * words seen after a determiner ("the lamp", "an old lamp", "a fishing boat").
 * Both must recur (2+ times); plurals count with their singular.
 */
export function recurringNamesAndNouns(story: string): { names: string[]; nouns: string[] } {
  const sentences = withoutTitle(splitSentences(story)).map((s) => [...s.text.matchAll(WORD)].map((m) => m[0]));
  const known = new Set<string>();
  for (const ws of sentences) ws.forEach((w, i) => i > 0 && isCapitalized(w) && !plain(w) && known.add(w));
  // A name that only ever starts sentences ("Mara lit... Mara did not..."): capitalized at two
  // starts and never written in lower case anywhere.
  const lowerCase = new Set(sentences.flat().filter((w) => !isCapitalized(w)));
  const starts = new Map<string, number>();
  for (const ws of sentences) if (ws[0] && isCapitalized(ws[0]) && !plain(ws[0])) starts.set(ws[0], (starts.get(ws[0]) ?? 0) + 1);
  // (Two letters are too few to tell a name from a function word: Norwegian "Om natten... Om morgenen...".)
  for (const [w, n] of starts) if (n >= 2 && [...w].length > 2 && !lowerCase.has(w.toLowerCase())) known.add(w);

  const names = new Map<string, Tally>();
  const nouns = new Map<string, Tally>();
  let at = 0;
  for (const ws of sentences) {
    for (let i = 0; i < ws.length; i++, at++) {
      const w = ws[i]!;
      if (isCapitalized(w) && known.has(w)) {
        let run = w;
        while (i + 1 < ws.length && known.has(ws[i + 1]!)) run += ' ' + ws[++i]!;
        add(names, run, run, at);
        continue;
      }
      const lower = w.toLowerCase();
      if (lower.length < 3 || plain(w)) continue;
      const prev = ws[i - 1]?.toLowerCase();
      const before = ws[i - 2]?.toLowerCase();
      const afterDeterminer =
        (prev !== undefined && DETERMINERS.has(prev)) ||
        (prev !== undefined && before !== undefined && DETERMINERS.has(before) && (ADJECTIVES.has(prev) || /ing$/.test(prev)));
      add(nouns, lower, lower, at, afterDeterminer);
    }
  }
  // "rocks" counts with "rock" when both appear.
  for (const [key, t] of nouns) {
    const singular = nouns.get(key.replace(/s$/, ''));
    if (key.endsWith('s') && singular && singular !== t) {
      singular.count += t.count;
      singular.evidence ||= t.evidence;
      singular.first = Math.min(singular.first, t.first);
      for (const [form, n] of t.forms) singular.forms.set(form, (singular.forms.get(form) ?? 0) + n);
      nouns.delete(key);
    }
  }
  const pick = (map: Map<string, Tally>, max: number, keep: (t: Tally) => boolean) =>
    [...map.values()]
      .filter((t) => t.count >= 2 && keep(t))
      .sort(byWeight)
      .slice(0, max)
      .map(mostUsedForm);
  return { names: pick(names, MAX_NAMES, () => true), nouns: pick(nouns, MAX_NOUNS, (t) => t.evidence) };
}

/** The shared visual brief of a story, or undefined when nothing recurs. */
export function storyBrief(story: string): string | undefined {
  const { names, nouns } = recurringNamesAndNouns(story);
  const all = [...names, ...nouns];
  return all.length > 0 ? `Recurring in this story: ${all.join(', ')}` : undefined;
}
