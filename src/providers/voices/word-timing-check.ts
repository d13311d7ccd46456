/**
 * Whether a voice's word timings can be believed: Inworld calls its timestamps "experimental" in
 * every language but English and Spanish. Timings that go back in time, fall outside the audio,
 * leave words out or crowd into a corner of the speech are replaced by the estimate from the audio
 * (estimate-word-times.ts).
 */
import type { Pcm } from '../../core/wav.js';
import { pcmSeconds } from '../../core/wav.js';
import { speechLayout } from './estimate-word-times.js';

/** Languages whose Inworld timestamps are documented as reliable. */
export const RELIABLE_TIMESTAMP_LANGUAGES = new Set(['en', 'es']);

export interface RawAlignment {
  words: string[];
  wordStartTimeSeconds: number[];
  wordEndTimeSeconds: number[];
}

/** A little slack for rounding, and for a voice that times a word's end into the trailing silence. */
const SLACK_SECONDS = 0.05;
const LETTERS = /[\p{L}\p{N}]/gu;

/** Why the timings cannot be believed, or undefined when they look sane. */
export function wordTimingProblem(a: RawAlignment, pcm: Pcm, text: string): string | undefined {
  const n = a.words.length;
  if (n === 0 || a.wordStartTimeSeconds.length !== n || a.wordEndTimeSeconds.length !== n) return 'word and time lists differ';
  const seconds = pcmSeconds(pcm);
  let previous = -Infinity;
  let first = Infinity;
  let last = -Infinity;
  let letters = 0;
  for (let i = 0; i < n; i++) {
    const token = a.words[i]!;
    if (!token.trim() || !token.match(LETTERS)) continue;
    const start = a.wordStartTimeSeconds[i]!;
    const end = a.wordEndTimeSeconds[i]!;
    if (!Number.isFinite(start) || !Number.isFinite(end)) return 'a time is not a number';
    if (start < -SLACK_SECONDS || end > seconds + SLACK_SECONDS)
      return `a word is timed outside the audio (${start}-${end} s of ${seconds.toFixed(2)} s)`;
    if (end < start - SLACK_SECONDS) return 'a word ends before it starts';
    if (start < previous - SLACK_SECONDS) return 'the words go back in time';
    previous = start;
    first = Math.min(first, start);
    last = Math.max(last, end);
    letters += token.match(LETTERS)!.length;
  }
  const wanted = text.match(LETTERS)?.length ?? 0;
  if (letters < wanted * 0.8) return `the timed words cover ${letters} of the text's ${wanted} letters`;
  const layout = speechLayout(pcm);
  if (layout) {
    const voiced = layout.voiced.end - layout.voiced.start;
    // the words must reach across the speech: not crowded at its start or pushed past its end
    if (last - first < voiced * 0.6) return `the words span ${(last - first).toFixed(2)} s of ${voiced.toFixed(2)} s of speech`;
    if (first > layout.voiced.start + voiced * 0.25) return 'the first word is timed well after the speech starts';
  }
  return undefined;
}
