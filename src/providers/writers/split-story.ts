/**
 * Story text -> paragraphs of sentences (Intl.Segmenter, so CJK and Arabic punctuation work),
 * and sentences -> a number of balanced scenes that never cross a paragraph when avoidable.
 */
import { MAX_SCENES } from '../../core/story.js';

const sentenceSegmenter = new Intl.Segmenter(undefined, { granularity: 'sentence' });

export interface Sentence {
  text: string;
  paragraph: number;
  /** Rough speaking weight: words, or characters/2.5 for scripts written without spaces. */
  weight: number;
}

export function speakingWeight(text: string): number {
  const words = text.split(/\s+/).filter(Boolean).length;
  const dense = (text.match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/gu) ?? []).length;
  return Math.max(1, words + dense / 2.5);
}

/** Ends a sentence in some script: . ! ? … and the full stops of CJK, Arabic, Urdu, Devanagari, Ethiopic, Armenian, Burmese, Tibetan. */
const TERMINAL = /[.!?…。！？｡؟۔।॥።፧։။།‼⁇⁈⁉]["'”’»)\]」』]*$/u;
/** Abbreviations that end in a full stop inside a sentence (Mr. Smith, Dr. Who, Sra. García). */
const ABBREVIATION =
  /(?:^|[\s(])(?:[Mm]rs?|[Mm]s|[Dd]r|[Pp]rof|[Ss]t|[Ss]ra?|[Ss]rta|[Jj]r|[Mm]t|[Mm]me|[Mm]lle|[Hh]r|[Ff]r|[Nn]r|vs|\p{Lu})\.$/u;
/** Scripts whose sentences are separated by a space, not a full stop. */
const SPACE_SEPARATED = /[\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}]/u;
/** A Greek question mark is a semicolon (U+037E normalises to U+003B), which the segmenter does not cut at. */
const GREEK = /\p{Script=Greek}/u;

/**
 * A line of its own that is not a sentence (a title, a heading): no final full stop, short, and
 * the next line starts as a sentence does (not in lower case). Such a line is narrated alone,
 * never merged into the sentence after it; hard-wrapped prose (long lines, or a next line that
 * goes on in lower case) is joined as before.
 */
function standsAlone(line: string, next: string | undefined): boolean {
  if (next === undefined || TERMINAL.test(line)) return false;
  const words = line.split(/\s+/u).filter(Boolean).length;
  return [...line].length <= 60 && words <= 10 && !/^["'“‘«(¿¡]*\p{Ll}/u.test(next);
}

/** Sentences of one line of text: the segmenter's cut, mended where it cuts too often or too rarely. */
function lineSentences(text: string): string[] {
  const out: string[] = [];
  for (const { segment } of sentenceSegmenter.segment(text)) {
    const piece = segment.trim();
    if (!piece) continue;
    const last = out.at(-1);
    // "Mr. Smith", "J. R. R. Tolkien", and «Bonjour !» dit-il: one sentence, not two.
    if (last !== undefined && (ABBREVIATION.test(last) || /^["'“‘«(]*\p{Ll}/u.test(piece))) out[out.length - 1] = `${last} ${piece}`;
    else out.push(piece);
  }
  return out.flatMap((sentence) => {
    if (SPACE_SEPARATED.test(sentence)) return sentence.split(/\s+/u).filter(Boolean);
    if (GREEK.test(sentence)) return sentence.split(/(?<=;)\s+(?=\p{Lu})/u);
    return [sentence];
  });
}

export function splitSentences(story: string): Sentence[] {
  const paragraphs = story
    .split(/\n\s*\n/)
    .map((p) =>
      p
        .split('\n')
        .map((l) => l.replace(/\s+/g, ' ').trim())
        .filter(Boolean),
    )
    .filter((p) => p.length > 0);
  const sentences: Sentence[] = [];
  paragraphs.forEach((lines, index) => {
    // Lines join into runs of prose; a title line is a run of its own.
    const runs: string[] = [];
    let run = '';
    lines.forEach((line, i) => {
      run = run ? `${run} ${line}` : line;
      if (standsAlone(line, lines[i + 1]) || i === lines.length - 1) {
        runs.push(run);
        run = '';
      }
    });
    for (const text of runs.flatMap(lineSentences)) {
      // A "sentence" with no letters or digits (a lone emoji, "...") rides with the one before.
      const last = sentences.at(-1);
      if (!/[\p{L}\p{N}]/u.test(text) && last && last.paragraph === index) {
        last.text += ' ' + text;
        last.weight = speakingWeight(last.text);
        continue;
      }
      sentences.push({ text, paragraph: index, weight: speakingWeight(text) });
    }
  });
  return sentences;
}

/** About 22 words (7-9 s of narration) a scene, 3-12 scenes for most stories, MAX_SCENES (20) at most. */
export function autoSceneCount(totalWeight: number, sentences: number): number {
  const wanted = Math.round(totalWeight / 22);
  return Math.max(1, Math.min(sentences, MAX_SCENES, Math.max(3, Math.min(12, wanted)) + Math.max(0, Math.floor((wanted - 12) / 3))));
}

/**
 * Cut the sentences into `count` consecutive groups of similar weight; a paragraph end is a
 * preferred cut, taken when it falls near the ideal place.
 */
export function groupSentences(sentences: Sentence[], count: number): Sentence[][] {
  const n = Math.max(1, Math.min(count, sentences.length));
  const total = sentences.reduce((s, x) => s + x.weight, 0);
  const groups: Sentence[][] = [];
  let current: Sentence[] = [];
  let acc = 0;
  sentences.forEach((sentence, i) => {
    current.push(sentence);
    acc += sentence.weight;
    const left = sentences.length - i - 1;
    const groupsLeft = n - groups.length - 1;
    if (groupsLeft <= 0) return;
    const target = (total * (groups.length + 1)) / n;
    const next = sentences[i + 1];
    const paragraphEnd = next !== undefined && next.paragraph !== sentence.paragraph;
    const nearTarget = acc >= target - (paragraphEnd ? sentence.weight * 0.6 : 0.001);
    if (left === groupsLeft || (left > groupsLeft - 1 && nearTarget && left >= groupsLeft)) {
      groups.push(current);
      current = [];
    }
  });
  if (current.length) groups.push(current);
  return groups;
}
