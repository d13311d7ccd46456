/**
 * Captions in every script, checked on real libass renders: emoji drawn (never the font's .notdef
 * box, never nothing), right-to-left punctuation on the left, Devanagari shaped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAss, withEmojiFont, EMOJI_FONT } from '../../src/engine/caption-ass.js';
import { FONT_SCALE } from '../../src/engine/captions.js';
import { boxOf, burnFrame, differingPixels, lit, pixel, type Frame } from './burn-frame.js';

const [W, H] = [640, 640];
const FONT = Math.round(W * FONT_SCALE); // the caption style's font size: 54 px
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storyreel-scripts-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const caption = (text: string, opts: { rtl?: boolean } = {}) =>
  burnFrame(dir, buildAss([{ text, start: 0, end: 2 }], { width: W, height: H, ...opts }), W, H);
/** A raw ASS line (no escaping), for reference renders. */
const raw = (assText: string) =>
  burnFrame(dir, buildAss([{ text: 'X', start: 0, end: 2 }], { width: W, height: H }).replace(/,,X\n$/, `,,${assText}\n`), W, H);

describe('emoji and every script are drawn, never as an empty box', () => {
  // U+0378 is unassigned: every font draws its .notdef box for it.
  let tofu: Frame[];
  beforeAll(async () => {
    tofu = [await raw('\u0378'), await raw(`{\\fn${EMOJI_FONT}}\u0378`)];
  });

  const looksLikeTofu = (f: Frame) => tofu.some((t) => differingPixels(f, t) < 20);

  it('the reference .notdef renders are boxes (and differ from a real glyph)', async () => {
    for (const t of tofu) expect(boxOf(t, lit)).toBeDefined();
    expect(looksLikeTofu(await caption('A'))).toBe(false);
  });

  it.each([
    ['wave', '🌊'],
    ['red heart with VS16', '❤️'],
    ['sparkles', '✨'],
    ['fox', '🦊'],
    ['fire', '🔥'],
    ['grinning face', '😀'],
    ['thumbs up, skin tone', '👍🏽'],
    ['flag', '🇯🇵'],
    ['keycap', '1️⃣'],
    ['family (ZWJ sequence)', '👨‍👩‍👧'],
    ['an emoji newer than the font (Unicode 13)', '🥹'],
    ['Han', '海'],
    ['kana', 'キツネ'],
    ['Hangul', '여우'],
    ['Thai', 'สุนัขจิ้งจอก'],
    ['Devanagari', 'लोमड़ी'],
    ['Arabic', 'ثعلب'],
    ['Hebrew', 'שועל'],
  ])('%s', async (_, text) => {
    const frame = await caption(text);
    expect(boxOf(frame, lit), 'something is drawn').toBeDefined();
    expect(looksLikeTofu(frame), 'not the .notdef box').toBe(false);
    // No glyph of it is a box: the caption differs from the same caption with that glyph replaced by U+0378.
    const firstGlyph = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)][0]!.segment;
    const boxed = await raw(withEmojiFont(text.replace(firstGlyph, '\u0378')));
    expect(differingPixels(frame, boxed)).toBeGreaterThan(20);
  });

  it("a line mixing text and emoji draws them all: the issue's 🌊 ❤️✨", async () => {
    const frame = await caption('La mer 🌊 ❤️✨');
    const without = await caption('La mer');
    // The emoji add ink to the right of the words (the line is centred, so compare widths).
    expect(boxOf(frame, lit)!.x1 - boxOf(frame, lit)!.x0).toBeGreaterThan(boxOf(without, lit)!.x1 - boxOf(without, lit)!.x0 + 2 * FONT);
  });
});

/** The blob of lit pixels at the left (or right) end of the caption's last line: its width and height. */
function endBlob(f: Frame, side: 'left' | 'right'): { width: number; height: number } {
  const whole = boxOf(f, lit)!;
  // The last line (above it, the first unlit row): a caption too wide for one line wraps, and its end is on the last.
  const rowLit = (y: number) => {
    for (let x = whole.x0; x <= whole.x1; x++) if (lit(pixel(f, x, y))) return true;
    return false;
  };
  let top = whole.y1;
  while (top > whole.y0 && rowLit(top - 1)) top--;
  const lastLine: Frame = { ...f, rgb: Buffer.from(f.rgb) };
  lastLine.rgb.fill(0, 0, top * f.width * 3);
  const box = boxOf(lastLine, lit)!;
  const columnLit = (x: number) => {
    for (let y = box.y0; y <= box.y1; y++) if (lit(pixel(f, x, y))) return true;
    return false;
  };
  const step = side === 'left' ? 1 : -1;
  let x = side === 'left' ? box.x0 : box.x1;
  const first = x;
  while (columnLit(x)) x += step;
  const [from, to] = side === 'left' ? [first, x] : [x + 1, first + 1];
  let [y0, y1] = [Infinity, -1];
  for (let cx = from; cx < to; cx++)
    for (let y = box.y0; y <= box.y1; y++) if (lit(pixel(f, cx, y))) [y0, y1] = [Math.min(y0, y), Math.max(y1, y)];
  return { width: to - from, height: y1 - y0 + 1 };
}

const isDot = (blob: { width: number; height: number }) => blob.height < FONT * 0.3 && blob.width < FONT * 0.3;

describe('right-to-left captions', () => {
  it('an Arabic sentence ends with its full stop on the left', async () => {
    const frame = await caption('البحر جميل.', { rtl: true });
    expect(isDot(endBlob(frame, 'left'))).toBe(true);
    expect(isDot(endBlob(frame, 'right'))).toBe(false);
  });

  it('even when it starts with a Latin word, in an Arabic story', async () => {
    const frame = await caption('Harry Potter كتاب جميل.', { rtl: true });
    expect(isDot(endBlob(frame, 'left'))).toBe(true);
  });

  it('a mostly Arabic caption is RTL in any story; Hebrew too; English keeps its stop on the right', async () => {
    expect(isDot(endBlob(await caption('قرأت Harry Potter أمس.'), 'left'))).toBe(true);
    expect(isDot(endBlob(await caption('הים יפה מאוד.'), 'left'))).toBe(true);
    const english = await caption('The sea is calm.');
    expect(isDot(endBlob(english, 'right'))).toBe(true);
    expect(isDot(endBlob(english, 'left'))).toBe(false);
  });
});

describe('complex scripts are shaped', () => {
  it('Devanagari: the vowel sign ि is drawn before (left of) the consonant it follows', async () => {
    const ka = boxOf(await caption('क'), lit)!;
    const ki = boxOf(await caption('कि'), lit)!;
    // Centred line: ि adds width; shaped, the added ink is on the left of क and its loop reaches over it.
    expect(ki.x1 - ki.x0).toBeGreaterThan(ka.x1 - ka.x0);
    expect(ki.y0).toBeLessThan(ka.y0); // the matra's loop rises above the headline
    const reordered = await raw('\u093F\u0915'); // ि then क, as an unshaped renderer would lay them out: a dotted-circle placeholder
    expect(differingPixels(await caption('कि'), reordered)).toBeGreaterThan(20);
  });

  it('Arabic letters join: a word is narrower than its letters drawn apart', async () => {
    const joined = boxOf(await caption('بببب'), lit)!;
    const apart = boxOf(await caption('ب ب ب ب'), lit)!;
    expect(joined.x1 - joined.x0).toBeLessThan((apart.x1 - apart.x0) * 0.7);
  });
});

describe('a Latin-only caption in a right-to-left story', () => {
  it('keeps its full stop on the right', async () => {
    const frame = await caption('Harry Potter.', { rtl: true });
    expect(isDot(endBlob(frame, 'right'))).toBe(true);
  });
});
