/**
 * Narration -> short caption chunks timed to the voice (caption-ass.ts turns them into the ASS
 * file that libass burns in). Chunks follow the provider's word timings when it gives them, and are estimated from text
 * length otherwise. Any text is shown literally: ASS override braces, \N escapes and the like
 * in a story never turn into formatting. libass wraps only at spaces, so a word too wide for a line
 * (a URL, a long compound, a run of emoji) is cut between grapheme clusters into pieces that fit.
 */
import type { WordTiming } from '../core/story.js';
import { alignToNarration } from './caption-align.js';
import { closesPrevious, endsClause, endsSentence, leansOnNext } from './caption-breaks.js';

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

/** Short-video captions: 1-4 words at a time, at most two lines (of at most 42 characters, as subtitles). */
export const MAX_WORDS = 4;
export const MAX_LINE_CHARS = 42;
const NO_SPACE_SCRIPT =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

// Script extensions also take in the marks those scripts share, as the katakana long vowel ー and 。
const NO_SPACE_CHAR = NO_SPACE_SCRIPT.source.replaceAll('Script=', 'Script_Extensions=');
const [GLUED_END, GLUED_START] = [new RegExp(`${NO_SPACE_CHAR}$`, 'u'), new RegExp(`^${NO_SPACE_CHAR}`, 'u')];

/** Caption style, relative to the frame: font size from the short side (0.075 before the short-video style). */
export const FONT_SCALE = 0.085;
/**
 * Side margins, shares of the width. A portrait frame keeps clear of the apps' button column on the
 * right (the safe zone is 6%-90% of the width; outline and shadow take about 1.2% more each side).
 */
export const PORTRAIT_MARGINS = { left: 0.08, right: 0.13 } as const;
/** Landscape and square frames, each side: 12% of the width keeps the outline inside 10%-90%. */
export const MARGIN_X = 0.12;
/** Widest text a caption line may hold, in font sizes: 9.3 fit between the margins of a portrait frame, more elsewhere. */
export const MAX_LINE_WIDTH = Math.floor((1 - PORTRAIT_MARGINS.left - PORTRAIT_MARGINS.right) / FONT_SCALE);
/** A chunk is at most this wide, in font sizes: two lines, with room for where libass wraps. */
const MAX_CHUNK_WIDTH = 1.7 * MAX_LINE_WIDTH;

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
    // Glue punctuation and particles (は, の, 的) to the word before them, so no chunk starts with one.
    const first = units.length;
    for (const { segment, isWordLike } of wordSegmenter.segment(token)) {
      const glue = !isWordLike || closesPrevious(segment) || inflects(units[units.length - 1], segment);
      if (glue && units.length > first && segment.trim() !== '') units[units.length - 1] += segment;
      else if (segment.trim() !== '') units.push(segment);
    }
  }
  // An emoji on its own rides with the word before it: it is not a word to count or to break at.
  return units.reduce<string[]>((out, unit) => {
    if (out.length > 0 && !SPELLED.test(unit)) out[out.length - 1] += ` ${unit}`;
    else out.push(unit);
    return out;
  }, []);
}

const SPELLED = /[\p{L}\p{N}]/u;
const KANA_ONLY = /^\p{Script=Hiragana}+$/u;
const WORD_END = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]$/u;

/**
 * A Japanese verb or adjective's ending that the segmenter cut off (住|んで|いま|した): hiragana
 * after a word that does not end in a particle.
 */
function inflects(before: string | undefined, segment: string): boolean {
  if (!before || !KANA_ONLY.test(segment) || !WORD_END.test(before)) return false;
  const lastChar = before.at(-1)!;
  return !closesPrevious(lastChar) && !/[をにへ]$/u.test(before);
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

/** Units cut where the text must or should break: after every sentence end, after a clause end. */
function phrases(units: TimedUnit[]): TimedUnit[][] {
  const out: TimedUnit[][] = [];
  let current: TimedUnit[] = [];
  for (const unit of units) {
    current.push(unit);
    if (endsSentence(unit.text) || (endsClause(unit.text) && current.length >= 2)) {
      out.push(current);
      current = [];
    }
  }
  if (current.length) out.push(current);
  return out;
}

const joinerOf = (unit: TimedUnit) => (NO_SPACE_SCRIPT.test(unit.text) ? 0 : 0.3);

/** Room on one caption line of a portrait frame (the narrowest), in font sizes. */
const LINE_ROOM = (1 - PORTRAIT_MARGINS.left - PORTRAIT_MARGINS.right) / FONT_SCALE;

/**
 * Whether units fit in one chunk: at most 4 words, at most two lines when wrapped at spaces as
 * libass does (three words of half a line each would take three), and no run without a space
 * wider than a line.
 */
function fits(units: TimedUnit[]): boolean {
  if (units.length > MAX_WORDS) return false;
  let width = 0;
  let run = 0;
  let lines = 1;
  let line = 0;
  units.forEach((unit, i) => {
    const w = captionTextWidth(unit.text);
    const glued = i > 0 && gluedTogether(units[i - 1]!.text, unit.text);
    const joiner = i > 0 && !glued ? joinerOf(unit) : 0;
    width += w + joiner;
    run = glued ? run + w : w;
    if (i > 0 && !glued && line + joiner + w > LINE_ROOM) [lines, line] = [lines + 1, w];
    else line += joiner + w;
  });
  return lines <= 2 && width <= MAX_CHUNK_WIDTH && run <= MAX_LINE_WIDTH && graphemeLength(joinUnits(units)) <= 2 * MAX_LINE_CHARS;
}

/**
 * One phrase in chunks of similar size (5 words: 3 + 2, not 4 + 1), each as full as fits, none
 * ending on a word that leans on the next when moving it to the next chunk fits.
 */
function groupPhrase(units: TimedUnit[], language: string | undefined): TimedUnit[][] {
  const target = Math.ceil(units.length / Math.ceil(units.length / MAX_WORDS));
  const groups: TimedUnit[][] = [];
  let current: TimedUnit[] = [];
  let carriedOver = 0; // words moved into this chunk from the one before: it may hold that many more (up to 4)
  for (const unit of units) {
    const last = current.at(-1);
    const full = current.length > 0 && (current.length >= Math.min(MAX_WORDS, target + carriedOver) || !fits([...current, unit]));
    if (full || unit.alone || last?.alone) {
      let keep = current.length;
      while (keep > 1 && !current[keep - 1]!.alone && leansOnNext(current[keep - 1]!.text, language)) keep--;
      const carried = current.slice(keep);
      if (carried.length > 0 && !unit.alone && fits([...carried, unit])) {
        groups.push(current.slice(0, keep));
        current = carried;
      } else {
        groups.push(current);
        current = [];
      }
      carriedOver = current.length;
    }
    current.push(unit);
  }
  if (current.length) groups.push(current);
  return groups;
}

function group(units: TimedUnit[], language?: string): TimedUnit[][] {
  return phrases(units).flatMap((phrase) => groupPhrase(phrase, language));
}

function joinUnits(units: TimedUnit[]): string {
  return units.reduce((text, u, i) => (i === 0 ? u.text : text + (gluedTogether(text, u.text) ? '' : ' ') + u.text), '');
}

/**
 * A scene's narration as caption chunks over its `durationSeconds` of speech, timed by the voice's
 * words when given. `language` (BCP-47) chooses the words a chunk should not end on.
 */
export function chunkCaptions(narration: string, durationSeconds: number, words?: WordTiming[], language?: string): CaptionChunk[] {
  const timed = words?.filter((w) => w.word.trim() && Number.isFinite(w.start) && Number.isFinite(w.end) && w.end >= w.start) ?? [];
  const usable = (timed.length > 0 && alignToNarration(narration, timed)) || timed;
  const duration = Math.max(0.1, durationSeconds);
  if (usable.length > 0) {
    const groups = group(fitToLines(usable.map((w) => ({ text: w.word.trim(), start: w.start, end: w.end }))), language);
    return groups.map((g, i) => {
      const start = Math.min(duration, Math.max(0, i === 0 ? 0 : g[0]!.start!));
      const next = groups[i + 1]?.[0]?.start;
      const end = Math.min(duration, next ?? Math.max(g.at(-1)!.end! + 0.3, duration));
      const words = g.map((u) => ({ text: u.text, start: Math.max(start, u.start!), end: Math.min(duration, u.end!) }));
      return { text: joinUnits(g), start, end: Math.max(start + 0.05, end), words };
    });
  }
  const groups = group(fitToLines(captionUnits(narration).map((text) => ({ text }))), language);
  const weights = groups.map((g) => g.reduce((n, u) => n + graphemeLength(u.text) + 1, 0));
  const total = weights.reduce((a, b) => a + b, 0) || 1;
  let t = 0;
  return groups.map((g, i) => {
    const start = t;
    t = i === groups.length - 1 ? duration : t + (weights[i]! / total) * duration;
    return { text: joinUnits(g), start, end: t };
  });
}
