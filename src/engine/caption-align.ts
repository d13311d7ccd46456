/**
 * The voice's word timings put back on the narration as written. A voice times what it was sent,
 * which has no emoji (speakable-text.ts) and, for some voices, no punctuation; the captions show
 * the narration itself, so each timed word takes its stretch of the narration: its letters, the
 * punctuation and emoji after it, and the opening quote or bracket before the next word.
 */
import type { WordTiming } from '../core/story.js';

const SPELLING = /[\p{L}\p{N}\p{M}]/u;
const PICTOGRAPH = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;
/** How far past the last match (in letters) a word may be found: a voice may skip a little. */
const LOOK_AHEAD = 60;

interface Spelled {
  /** Lower-case letters, digits and marks. */
  letters: string;
  /** For each letter, where its character is in the original text: [start, end). */
  at: [number, number][];
}

function spell(text: string): Spelled {
  let letters = '';
  const at: [number, number][] = [];
  let i = 0;
  for (const ch of text) {
    for (const c of ch.normalize('NFKC').toLocaleLowerCase()) {
      if (!SPELLING.test(c)) continue;
      letters += c;
      at.push([i, i + ch.length]);
    }
    i += ch.length;
  }
  return { letters, at };
}

const tidy = (text: string) => text.replace(/\s+/gu, ' ').trim();

/**
 * The timed words with the narration's own text, or undefined when the timings do not follow the
 * narration (fewer than half the words found in order): then the voice's words are shown as they are.
 */
export function alignToNarration(narration: string, words: WordTiming[]): WordTiming[] | undefined {
  const text = spell(narration);
  const spans: { word: WordTiming; from: number; to: number }[] = [];
  let p = 0;
  for (const word of words) {
    const letters = spell(word.word).letters;
    if (!letters) continue;
    const q = text.letters.indexOf(letters, p);
    if (q < 0 || q - p > LOOK_AHEAD) continue;
    spans.push({ word, from: text.at[q]![0], to: text.at[q + letters.length - 1]![1] });
    p = q + letters.length;
  }
  const spoken = words.filter((w) => spell(w.word).letters).length;
  if (spans.length === 0 || spans.length * 2 < spoken) return undefined;
  const out: WordTiming[] = [];
  let lead = narration.slice(0, spans[0]!.from);
  spans.forEach((span, k) => {
    const next = spans[k + 1];
    const gap = narration.slice(span.to, next ? next.from : narration.length);
    // The gap's last token, glued to the next word ('"Hello', '¿Qué'), opens it unless it is an emoji.
    const opening = next ? (gap.match(/\s(\S+)$/u)?.[1] ?? '') : '';
    const carried = opening && !PICTOGRAPH.test(opening) ? opening : '';
    const own = gap.slice(0, gap.length - carried.length);
    // A word the voice skipped (not found in order) is shown with the word before it.
    out.push({ word: tidy(lead + narration.slice(span.from, span.to) + own), start: span.word.start, end: span.word.end });
    lead = carried;
  });
  return out;
}
