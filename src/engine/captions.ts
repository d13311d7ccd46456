/**
 * Narration -> short caption chunks timed to the voice -> an ASS subtitle file that libass burns
 * in. Chunks follow the provider's word timings when it gives them, and are estimated from text
 * length otherwise. Any text is shown literally: ASS override braces, \N escapes and the like
 * in a story never turn into formatting.
 */
import type { WordTiming } from './types.js';

export interface CaptionChunk {
  text: string;
  start: number;
  end: number;
}

/** A chunk holds at most this many words, or this many characters. */
const MAX_WORDS = 5;
const MAX_CHARS = 30;
const BREAK_AFTER = /[.,!?;:…。，！？、；：»”"')\]]$/u;
const NO_SPACE_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const wordSegmenter = new Intl.Segmenter(undefined, { granularity: 'word' });

export function graphemeLength(text: string): number {
  let n = 0;
  for (const _ of graphemes.segment(text)) n++;
  return n;
}

/** Words to show: spaces split words; scripts written without spaces are cut by the segmenter. */
export function captionUnits(text: string): string[] {
  const units: string[] = [];
  for (const token of text.split(/\s+/u).filter(Boolean)) {
    if (!NO_SPACE_SCRIPT.test(token) || graphemeLength(token) <= 6) {
      units.push(token);
      continue;
    }
    // Glue punctuation to the word before it, so no chunk starts with a comma.
    for (const { segment, isWordLike } of wordSegmenter.segment(token)) {
      if (!isWordLike && units.length > 0 && segment.trim() !== '') units[units.length - 1] += segment;
      else if (segment.trim() !== '') units.push(segment);
    }
  }
  return units;
}

interface TimedUnit {
  text: string;
  start?: number;
  end?: number;
}

function group(units: TimedUnit[]): TimedUnit[][] {
  const groups: TimedUnit[][] = [];
  let current: TimedUnit[] = [];
  let chars = 0;
  for (const unit of units) {
    const len = graphemeLength(unit.text);
    const joiner = NO_SPACE_SCRIPT.test(unit.text) ? 0 : 1;
    if (current.length > 0 && (current.length >= MAX_WORDS || chars + joiner + len > MAX_CHARS)) {
      groups.push(current);
      current = [];
      chars = 0;
    }
    current.push(unit);
    chars += len + joiner;
    if (BREAK_AFTER.test(unit.text) && current.length >= 2) {
      groups.push(current);
      current = [];
      chars = 0;
    }
  }
  if (current.length) groups.push(current);
  return groups;
}

function joinUnits(units: TimedUnit[]): string {
  return units.reduce((text, u, i) => {
    if (i === 0) return u.text;
    const cjkBoundary = NO_SPACE_SCRIPT.test(text.slice(-1)) && NO_SPACE_SCRIPT.test(u.text[0] ?? '');
    return text + (cjkBoundary ? '' : ' ') + u.text;
  }, '');
}

export function chunkCaptions(narration: string, durationSeconds: number, words?: WordTiming[]): CaptionChunk[] {
  const usable = words?.filter((w) => w.word.trim() && Number.isFinite(w.start) && Number.isFinite(w.end) && w.end >= w.start) ?? [];
  const duration = Math.max(0.1, durationSeconds);
  if (usable.length > 0) {
    const groups = group(usable.map((w) => ({ text: w.word.trim(), start: w.start, end: w.end })));
    return groups.map((g, i) => {
      const start = Math.min(duration, Math.max(0, i === 0 ? 0 : g[0]!.start!));
      const next = groups[i + 1]?.[0]?.start;
      const end = Math.min(duration, next ?? Math.max(g.at(-1)!.end! + 0.3, duration));
      return { text: joinUnits(g), start, end: Math.max(start + 0.05, end) };
    });
  }
  const groups = group(captionUnits(narration).map((text) => ({ text })));
  const weights = groups.map((g) => g.reduce((n, u) => n + graphemeLength(u.text) + 1, 0));
  const total = weights.reduce((a, b) => a + b, 0) || 1;
  let t = 0;
  return groups.map((g, i) => {
    const start = t;
    t = i === groups.length - 1 ? duration : t + (weights[i]! / total) * duration;
    return { text: joinUnits(g), start, end: t };
  });
}

/**
 * Text as ASS shows it literally: newlines become spaces, braces are escaped (libass reads \{
 * and \} as literal braces), and a word joiner after each backslash keeps "\N", "\n", "\h" from
 * becoming line breaks or hard spaces.
 */
export function escapeAssText(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/\\/g, '\\\u2060')
    .replace(/[{}]/g, (b) => `\\${b}`)
    .trim();
}

function assTime(seconds: number): string {
  const cs = Math.max(0, Math.round(seconds * 100));
  const h = Math.floor(cs / 360000);
  const m = Math.floor((cs % 360000) / 6000);
  const s = Math.floor((cs % 6000) / 100);
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(cs % 100).padStart(2, '0')}`;
}

/** Noto Sans is installed with fonts-noto-core; fontconfig falls back to Noto CJK / Arabic for other scripts. */
export const CAPTION_FONT = 'Noto Sans';

export function buildAss(chunks: CaptionChunk[], video: { width: number; height: number; fontName?: string }): string {
  const short = Math.min(video.width, video.height);
  const fontSize = Math.round(short * 0.075);
  const outline = Math.max(2, Math.round(fontSize * 0.09));
  const marginX = Math.round(video.width * 0.07);
  const marginV = Math.round(video.height * (video.height > video.width ? 0.16 : 0.1));
  const lines = [
    '[Script Info]',
    'ScriptType: v4.00+',
    `PlayResX: ${video.width}`,
    `PlayResY: ${video.height}`,
    'WrapStyle: 0',
    'ScaledBorderAndShadow: yes',
    'YCbCr Matrix: TV.709',
    '',
    '[V4+ Styles]',
    'Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding',
    `Style: Caption,${video.fontName ?? CAPTION_FONT},${fontSize},&H00FFFFFF,&H000000FF,&H00000000,&H96000000,-1,0,0,0,100,100,0,0,1,${outline},${Math.round(outline / 2)},2,${marginX},${marginX},${marginV},1`,
    '',
    '[Events]',
    'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text',
    ...chunks.map((c) => `Dialogue: 0,${assTime(c.start)},${assTime(c.end)},Caption,,0,0,0,,${escapeAssText(c.text)}`),
  ];
  return lines.join('\n') + '\n';
}
