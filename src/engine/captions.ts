/**
 * Narration -> short caption chunks timed to the voice (caption-ass.ts turns them into the ASS
 * file that libass burns in). Chunks follow the provider's word timings when it gives them, and are estimated from text
 * length otherwise. Any text is shown literally: ASS override braces, \N escapes and the like
 * in a story never turn into formatting. libass wraps only at spaces, so a word too wide for a line
 * (a URL, a long compound, a run of emoji) is cut between grapheme clusters into pieces that fit.
 */
import type { WordTiming } from '../core/story.js';

/** One spoken word of a chunk (or a piece of a word too wide for a line), when the voice timed it. */
export interface CaptionWord {
  text: string;
  start: number;
  end: number;
}

export interface CaptionChunk {
  text: string;
  start: number;
  end: number;
  /** The chunk's words with their times, in order, when the voice gave word timings (karaoke). */
  words?: CaptionWord[];
}

/** A chunk holds at most this many words, or this many characters. */
const MAX_WORDS = 5;
const MAX_CHARS = 30;
const BREAK_AFTER = /[.,!?;:…。，！？、；：»”"')\]]$/u;
const NO_SPACE_SCRIPT =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

// Script extensions also take in the marks those scripts share, as the katakana long vowel ー and 。
const NO_SPACE_CHAR = NO_SPACE_SCRIPT.source.replaceAll('Script=', 'Script_Extensions=');
const [GLUED_END, GLUED_START] = [new RegExp(`${NO_SPACE_CHAR}$`, 'u'), new RegExp(`^${NO_SPACE_CHAR}`, 'u')];

/** Caption style, relative to the frame: font size from the short side, side margins from the width. */
export const FONT_SCALE = 0.075;
export const MARGIN_X = 0.07;
/** Widest text a caption line may hold, in font sizes: 11.47 fit between the margins of a portrait or square frame, more in landscape. */
export const MAX_LINE_WIDTH = Math.floor((1 - 2 * MARGIN_X) / FONT_SCALE);

const PICTOGRAPH = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20E3/gu;
const FULL_WIDTH = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303F\uFF00-\uFFEF]/u;
const NARROW_GLYPH_SCRIPT =
  /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Armenian}\p{Script=Georgian}\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Thai}\p{Script=Lao}\p{Script=Common}\p{Script=Inherited}]/u;
const SLIM_GLYPH = /[iIjl.,:;'!|]/u;
const BROAD_GLYPH = /[MWmwÆŒæœ@%—…ЖМШЩЮжмшщю\uFB50-\uFDFF\uFE70-\uFEFF]/u;
/** Where a word too wide for a line is best cut: after a slash, dash, dot... of a URL or a compound. */
const SOFT_BREAK = /[/\-_.?&=#+]/u;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const wordSegmenter = new Intl.Segmenter(undefined, { granularity: 'word' });

export function graphemeLength(text: string): number {
  return Array.from(graphemes.segment(text)).length;
}

/** Width of a grapheme cluster as libass draws it in the caption font, in font sizes: measured, a little generous. */
function clusterWidth(cluster: string): number {
  const pictographs = cluster.match(PICTOGRAPH)?.length ?? 0;
  // Without a font that draws a ZWJ sequence as one emoji, each person in it is drawn side by side.
  if (pictographs > 0) return Math.max(1.1, 0.5 * pictographs);
  const base = String.fromCodePoint(cluster.codePointAt(0) ?? 32);
  if (FULL_WIDTH.test(base)) return 0.75;
  if (!NARROW_GLYPH_SCRIPT.test(base)) return 1.1; // Indic and other scripts: wide clusters
  if (SLIM_GLYPH.test(base)) return 0.3;
  if (BROAD_GLYPH.test(base)) return 0.8;
  return /\p{Lu}/u.test(base) ? 0.6 : 0.5;
}

/** Estimated width of text on one line, in font sizes of the caption style. */
export function captionTextWidth(text: string): number {
  return Array.from(graphemes.segment(text), ({ segment }) => clusterWidth(segment)).reduce((a, b) => a + b, 0);
}

type Cluster = { segment: string; width: number };
const joinClusters = (clusters: Cluster[]) => clusters.map((c) => c.segment).join('');

/** Where to end a full piece: after its last slash, dash or dot, if that keeps most of it here. */
function softCut(piece: Cluster[], width: number, next: Cluster): number {
  let carried = 0;
  for (let i = piece.length - 1; i > 0; i--) {
    carried += piece[i]!.width;
    if (carried > width / 2 || carried + next.width > MAX_LINE_WIDTH) break;
    if (SOFT_BREAK.test(piece[i - 1]!.segment)) return i;
  }
  return piece.length;
}

/**
 * A word as pieces of similar widths that each fit on a caption line, cut only between grapheme
 * clusters (an emoji ZWJ sequence, a flag, a letter and its marks stay whole).
 */
export function breakLongWord(word: string): string[] {
  const clusters = Array.from(graphemes.segment(word), ({ segment }): Cluster => ({ segment, width: clusterWidth(segment) }));
  let rest = clusters.reduce((sum, c) => sum + c.width, 0);
  if (rest <= MAX_LINE_WIDTH) return [word];
  const target = rest / Math.ceil(rest / MAX_LINE_WIDTH);
  const pieces: string[] = [];
  let piece: Cluster[] = [];
  let width = 0;
  for (const cluster of clusters) {
    const overflows = width + cluster.width > MAX_LINE_WIDTH;
    // Cut near the target width, unless all that is left still fits on this line.
    if (piece.length > 0 && (overflows || (width + cluster.width > target && width + rest > MAX_LINE_WIDTH))) {
      const cut = softCut(piece, width, cluster);
      pieces.push(joinClusters(piece.slice(0, cut)));
      piece = piece.slice(cut);
      width = piece.reduce((sum, c) => sum + c.width, 0);
    }
    piece.push(cluster);
    width += cluster.width;
    rest -= cluster.width;
  }
  pieces.push(joinClusters(piece));
  return pieces;
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
  alone?: boolean; // a piece of a word too wide for one line: a chunk of its own
}

/** Units with every word too wide for a line replaced by its pieces, the word's time shared out by width. */
function fitToLines(units: TimedUnit[]): TimedUnit[] {
  return units.flatMap((unit) => {
    const pieces = breakLongWord(unit.text);
    if (pieces.length === 1) return [unit];
    const { start, end } = unit;
    const at = (share: number) => (start === undefined || end === undefined ? undefined : start + (end - start) * share);
    const total = captionTextWidth(unit.text);
    let done = 0; // width of the pieces before this one
    return pieces.map((text): TimedUnit => {
      const before = done;
      done += captionTextWidth(text);
      return { text, start: at(before / total), end: at(done / total), alone: true };
    });
  });
}

/** Whether two units are written together with no space (and so no place for libass to wrap). */
export function gluedTogether(before: string, after: string): boolean {
  return GLUED_END.test(before) && GLUED_START.test(after);
}

function group(units: TimedUnit[]): TimedUnit[][] {
  const groups: TimedUnit[][] = [];
  let current: TimedUnit[] = [];
  let chars = 0;
  let run = 0; // width of the end of the chunk that has no space to wrap at
  const flush = () => {
    if (current.length) groups.push(current);
    [current, chars, run] = [[], 0, 0];
  };
  for (const unit of units) {
    const len = graphemeLength(unit.text);
    const width = captionTextWidth(unit.text);
    const joiner = NO_SPACE_SCRIPT.test(unit.text) ? 0 : 1;
    const last = current.at(-1);
    const glued = last !== undefined && gluedTogether(last.text, unit.text);
    const full = current.length >= MAX_WORDS || chars + joiner + len > MAX_CHARS || (glued && run + width > MAX_LINE_WIDTH);
    if (full || unit.alone || last?.alone) flush();
    run = current.length > 0 && glued ? run + width : width;
    current.push(unit);
    chars += len + joiner;
    if (BREAK_AFTER.test(unit.text) && current.length >= 2) flush();
  }
  flush();
  return groups;
}

function joinUnits(units: TimedUnit[]): string {
  return units.reduce((text, u, i) => (i === 0 ? u.text : text + (gluedTogether(text, u.text) ? '' : ' ') + u.text), '');
}

export function chunkCaptions(narration: string, durationSeconds: number, words?: WordTiming[]): CaptionChunk[] {
  const usable = words?.filter((w) => w.word.trim() && Number.isFinite(w.start) && Number.isFinite(w.end) && w.end >= w.start) ?? [];
  const duration = Math.max(0.1, durationSeconds);
  if (usable.length > 0) {
    const groups = group(fitToLines(usable.map((w) => ({ text: w.word.trim(), start: w.start, end: w.end }))));
    return groups.map((g, i) => {
      const start = Math.min(duration, Math.max(0, i === 0 ? 0 : g[0]!.start!));
      const next = groups[i + 1]?.[0]?.start;
      const end = Math.min(duration, next ?? Math.max(g.at(-1)!.end! + 0.3, duration));
      const words = g.map((u) => ({ text: u.text, start: Math.max(start, u.start!), end: Math.min(duration, u.end!) }));
      return { text: joinUnits(g), start, end: Math.max(start + 0.05, end), words };
    });
  }
  const groups = group(fitToLines(captionUnits(narration).map((text) => ({ text }))));
  const weights = groups.map((g) => g.reduce((n, u) => n + graphemeLength(u.text) + 1, 0));
  const total = weights.reduce((a, b) => a + b, 0) || 1;
  let t = 0;
  return groups.map((g, i) => {
    const start = t;
    t = i === groups.length - 1 ? duration : t + (weights[i]! / total) * duration;
    return { text: joinUnits(g), start, end: t };
  });
}
