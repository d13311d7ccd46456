/**
 * Caption cues -> a SubRip (.srt) file: numbered cues, `HH:MM:SS,mmm --> HH:MM:SS,mmm`, at most
 * two lines of at most 42 characters (the usual subtitle limits), a blank line between cues.
 */
import type { CaptionCue } from './video-cues.js';

export const SRT_LINE_CHARS = 42;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const clusters = (text: string) => Array.from(graphemes.segment(text), (s) => s.segment);

export function srtTime(seconds: number): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)},${pad(ms % 1000, 3)}`;
}

/** A cue's text in at most two lines of at most 42 characters, cut at the space nearest the middle. */
export function srtLines(text: string): string[] {
  const flat = text.replace(/\s+/gu, ' ').trim();
  const chars = clusters(flat);
  if (chars.length <= SRT_LINE_CHARS) return [flat];
  const spaces = chars.flatMap((c, i) => (c === ' ' ? [i] : []));
  const middle = chars.length / 2;
  const best = spaces
    .filter((i) => i <= SRT_LINE_CHARS && chars.length - i - 1 <= SRT_LINE_CHARS)
    .sort((a, b) => Math.abs(a - middle) - Math.abs(b - middle))[0];
  if (best !== undefined) return [chars.slice(0, best).join(''), chars.slice(best + 1).join('')];
  // No space to cut at (Japanese, Chinese): cut between characters, each line at most 42.
  const cut = Math.min(SRT_LINE_CHARS, Math.ceil(middle));
  return [chars.slice(0, cut).join(''), chars.slice(cut, cut + SRT_LINE_CHARS).join('')];
}

export function toSrt(cues: CaptionCue[]): string {
  return cues
    .filter((c) => c.text.trim() && c.end > c.start)
    .map((c, i) => `${i + 1}\n${srtTime(c.start)} --> ${srtTime(c.end)}\n${srtLines(c.text).join('\n')}\n`)
    .join('\n');
}
