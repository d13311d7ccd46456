/**
 * Caption chunks -> the ASS subtitle file libass burns in. Text is shown literally (braces and
 * backslash sequences escaped), emoji are drawn in a monochrome font, right-to-left paragraphs get
 * an RTL embedding so their punctuation ends up on the left, and karaoke chunks light the word
 * being said: one event per word, from its start to the next word's start (ASS times are in
 * centiseconds, 10 ms, well inside the 80 ms a viewer notices).
 */
import { breakLongWord, gluedTogether, FONT_SCALE, MARGIN_X, PORTRAIT_MARGINS, type CaptionChunk } from './captions.js';
import { hasRtlLetter, isMostlyRtl } from '../core/language.js';
import type { CaptionPosition } from '../core/story.js';

/** Noto Sans is installed with fonts-noto-core; fontconfig falls back to Noto CJK / Arabic for other scripts. */
export const CAPTION_FONT = 'Noto Sans';
/**
 * libass draws outlines only: Noto Color Emoji (bitmaps) comes out as empty boxes. Symbola
 * (fonts-symbola) draws 1,138 of the 1,393 emoji of Unicode 15 in outline; the 255 newer ones it
 * lacks (U+1F6D5 on) are shown as ✧ rather than as an empty box.
 */
export const EMOJI_FONT = 'Symbola';
const EMOJI_STAND_IN = '\u2727';
const PICTOGRAPH = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;
/** Emoji newer than Unicode 9 (Symbola 2.60's coverage), from its cmap (fc-query). */
const NEWER_EMOJI =
  /[\u{1F6D5}-\u{1F6D8}\u{1F6DC}-\u{1F6DF}\u{1F6F9}-\u{1F6FC}\u{1F7E0}-\u{1F7EB}\u{1F7F0}\u{1F90C}-\u{1F90F}\u{1F93F}\u{1F94D}-\u{1F94F}\u{1F96C}-\u{1F97F}\u{1F998}-\u{1F9BF}\u{1F9C1}-\u{1F9CF}\u{1F9E7}-\u{1F9FF}\u{1FA70}-\u{1FAFF}]/u;
/** Karaoke colours, ASS &HBBGGRR&: gold for the word being said, the style's white for the rest. */
export const HIGHLIGHT = { rgb: [255, 215, 0] as const, ass: '&H00D7FF&' };
const NORMAL = '&HFFFFFF&';
/** Unicode RIGHT-TO-LEFT EMBEDDING ... POP DIRECTIONAL FORMATTING: an RTL paragraph whatever its first letter. */
const [RLE, PDF] = ['\u202B', '\u202C'];

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

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

/** Escaped text with every emoji cluster drawn in the emoji font (variation selectors dropped: the font has one style). */
export function withEmojiFont(escaped: string): string {
  let out = '';
  let run = '';
  const flush = () => {
    if (run) out += `{\\fn${EMOJI_FONT}}${run}{\\fn}`;
    run = '';
  };
  for (const { segment } of graphemes.segment(escaped)) {
    if (PICTOGRAPH.test(segment)) run += NEWER_EMOJI.test(segment) ? EMOJI_STAND_IN : segment.replace(/[\uFE0E\uFE0F]/gu, '');
    else {
      flush();
      out += segment;
    }
  }
  flush();
  return out;
}

/** One word as ASS text: literal, emoji in their font, and broken over lines (\N) if too wide for one. */
function assWord(word: string): string {
  return breakLongWord(word)
    .map((piece) => withEmojiFont(escapeAssText(piece)))
    .join('\\N');
}

/** Caption text as ASS shows it; `highlight` lights the word of that index (karaoke). */
function assLine(words: string[], joiners: string[], highlight?: number): string {
  return words
    .map((word, i) => {
      const text = assWord(word);
      return (i > 0 ? joiners[i - 1] : '') + (i === highlight ? `{\\1c${HIGHLIGHT.ass}}${text}{\\1c${NORMAL}}` : text);
    })
    .join('');
}

/** An RTL chunk: every line of it embedded right to left, so "البحر جميل." ends with its stop on the left. */
function directed(text: string, rtl: boolean): string {
  return rtl
    ? text
        .split('\\N')
        .map((line) => RLE + line + PDF)
        .join('\\N')
    : text;
}

export function assTime(seconds: number): string {
  const cs = Math.max(0, Math.round(seconds * 100));
  const h = Math.floor(cs / 360000);
  const m = Math.floor((cs % 360000) / 6000);
  const s = Math.floor((cs % 6000) / 100);
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(cs % 100).padStart(2, '0')}`;
}

const dialogue = (start: number, end: number, text: string) => `Dialogue: 0,${assTime(start)},${assTime(end)},Caption,,0,0,0,,${text}`;

/** A chunk's events: one plain event, or (karaoke) plain until the first word, then one per word lit. */
function chunkEvents(chunk: CaptionChunk, karaoke: boolean, rtlLanguage: boolean): string[] {
  // An RTL story's chunk with any RTL letter is an RTL paragraph (even "Harry Potter كتاب."); a chunk
  // with none ("OK!") keeps the direction of its own letters.
  const rtl = isMostlyRtl(chunk.text) || (rtlLanguage && hasRtlLetter(chunk.text));
  const timed = karaoke && chunk.words && chunk.words.length > 0 ? chunk.words : undefined;
  if (!timed) {
    const words = chunk.text.split(/[ \t\r\n]+/u).filter(Boolean);
    return [
      dialogue(
        chunk.start,
        chunk.end,
        directed(
          assLine(
            words,
            words.map(() => ' '),
          ),
          rtl,
        ),
      ),
    ];
  }
  const words = timed.map((w) => w.text);
  const joiners = words.slice(1).map((w, i) => (gluedTogether(words[i]!, w) ? '' : ' '));
  const events: string[] = [];
  const first = Math.max(chunk.start, timed[0]!.start);
  if (first - chunk.start >= 0.01) events.push(dialogue(chunk.start, first, directed(assLine(words, joiners), rtl)));
  timed.forEach((word, i) => {
    const from = Math.max(chunk.start, word.start);
    const to = Math.min(chunk.end, timed[i + 1]?.start ?? chunk.end);
    if (to - from >= 0.01) events.push(dialogue(from, to, directed(assLine(words, joiners, i), rtl)));
  });
  return events;
}

export interface AssOptions {
  width: number;
  height: number;
  /** Where the captions sit (default: the safe bottom). */
  position?: CaptionPosition;
  /** More events to draw (a title card, title-card.ts), after the captions'. */
  extraEvents?: string[];
  fontName?: string;
  /** Light the word being said in chunks that carry word timings. */
  karaoke?: boolean;
  /** The story's language is written right to left: every chunk is an RTL paragraph. */
  rtl?: boolean;
}

/**
 * Where the caption box goes, in pixels: the platforms' safe zone of a portrait frame is 6%-90% of
 * the width and above 80% of the height (their description and buttons cover the rest); a
 * landscape or square frame keeps above 90%. Margins leave room for the outline and shadow.
 */
export function captionLayout(width: number, height: number, position: CaptionPosition = 'bottom') {
  const portrait = height > width;
  const fontSize = Math.round(Math.min(width, height) * FONT_SCALE);
  const [left, right] = portrait ? [PORTRAIT_MARGINS.left, PORTRAIT_MARGINS.right] : [MARGIN_X, MARGIN_X];
  const vertical = { bottom: portrait ? 0.22 : 0.13, middle: 0, top: portrait ? 0.14 : 0.08 }[position];
  return {
    fontSize,
    outline: Math.max(2, Math.round(fontSize * 0.12)),
    marginL: Math.round(width * left),
    marginR: Math.round(width * right),
    marginV: Math.round(height * vertical),
    // ASS numpad alignment: 2 bottom centre, 5 middle centre, 8 top centre
    alignment: { bottom: 2, middle: 5, top: 8 }[position],
  };
}

export function buildAss(chunks: CaptionChunk[], video: AssOptions): string {
  const { fontSize, outline, marginL, marginR, marginV, alignment } = captionLayout(video.width, video.height, video.position);
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
    // Bold, a thick black outline and a soft shadow: readable over any picture. Encoding -1: libass
    // takes each line's direction from its first strong letter (1 forces LTR).
    `Style: Caption,${video.fontName ?? CAPTION_FONT},${fontSize},&H00FFFFFF,&H000000FF,&H00000000,&H96000000,-1,0,0,0,100,100,0,0,1,${outline},${Math.round(outline / 3)},${alignment},${marginL},${marginR},${marginV},-1`,
    '',
    '[Events]',
    'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text',
    ...chunks.flatMap((c) => chunkEvents(c, video.karaoke === true, video.rtl === true)),
    ...(video.extraEvents ?? []),
  ];
  return lines.join('\n') + '\n';
}
