import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MAX_LINE_WIDTH, breakLongWord, captionTextWidth, captionUnits, chunkCaptions, graphemeLength } from '../../src/engine/captions.js';
import { buildAss, escapeAssText } from '../../src/engine/caption-ass.js';
import { resolveFfmpeg } from '../../src/media/binaries.js';

const COMPOUND = 'Donaudampfschifffahrtsgesellschaftskapitän';
const LONG_URL = 'https://example.com/stories/the-lighthouse-keeper/chapter-one?lang=en&ref=storyreel';
const FAMILY = '👨‍👩‍👧‍👦';
const FLAG = '🇫🇷';

/** Every run of a chunk's text that libass could not wrap (no space in it) fits on one line. */
function expectLinesFit(chunks: { text: string }[]): void {
  for (const chunk of chunks) {
    for (const run of chunk.text.split(' ')) {
      expect(captionTextWidth(run), run).toBeLessThanOrEqual(MAX_LINE_WIDTH);
      expect(graphemeLength(run), run).toBeLessThanOrEqual(24);
    }
  }
}

describe('chunkCaptions', () => {
  const text = 'The lighthouse keeper climbed the stairs, polished the lens, and watched the sea until dawn came slowly.';

  it('estimated chunks are short, in order, and cover the whole narration and duration', () => {
    const chunks = chunkCaptions(text, 8);
    expect(chunks.map((c) => c.text).join(' ')).toBe(text);
    expect(chunks[0]!.start).toBe(0);
    expect(chunks.at(-1)!.end).toBe(8);
    for (const [i, c] of chunks.entries()) {
      expect(c.text.split(' ').length).toBeLessThanOrEqual(5);
      expect(c.end).toBeGreaterThan(c.start);
      if (i > 0) expect(c.start).toBeCloseTo(chunks[i - 1]!.end, 6);
    }
  });

  it('follows word timings when the voice gives them', () => {
    const words = ['One', 'two', 'three,', 'four', 'five', 'six', 'seven'].map((word, i) => ({
      word,
      start: 0.5 + i * 0.4,
      end: 0.8 + i * 0.4,
    }));
    const chunks = chunkCaptions('ignored', 4, words);
    expect(chunks.map((c) => c.text)).toEqual(['One two three,', 'four five six seven']);
    expect(chunks[1]!.start).toBeCloseTo(1.7, 6);
    expect(chunks[0]!.end).toBeCloseTo(1.7, 6);
    expect(chunks.at(-1)!.end).toBeLessThanOrEqual(4);
  });

  it('cuts text written without spaces and never splits an emoji', () => {
    const units = captionUnits('昔々、ある村に小さな狐が住んでいました。👩‍👩‍👧');
    expect(units.length).toBeGreaterThan(2);
    expect(units.join('')).toBe('昔々、ある村に小さな狐が住んでいました。👩‍👩‍👧');
    const chunks = chunkCaptions('昔々、ある村に小さな狐が住んでいました。森はとても静かでした。', 5);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.map((c) => c.text).join('')).toBe('昔々、ある村に小さな狐が住んでいました。森はとても静かでした。');
  });
});

describe('words too wide for a caption line', () => {
  it('a 60-character word, a compound and a long URL are cut into chunks that each fit a line', () => {
    const word = 'abcdefghij'.repeat(6);
    for (const long of [word, COMPOUND, LONG_URL]) {
      const chunks = chunkCaptions(`Look: ${long} now.`, 6);
      expect(chunks.length).toBeGreaterThanOrEqual(3);
      expectLinesFit(chunks);
      // The word's pieces are chunks of their own and put back together give the word.
      expect(chunks.map((c) => c.text).join('')).toBe(`Look:${long}now.`);
      expect(chunks.at(-1)!.end).toBe(6);
    }
    expect(breakLongWord(word).length).toBeGreaterThan(1);
    expect(breakLongWord(LONG_URL).every((piece) => graphemeLength(piece) <= 24)).toBe(true);
    expect(breakLongWord('internationalization')).toEqual(['internationalization']);
  });

  it("shares a long word's spoken time out among its pieces", () => {
    const words = [
      { word: 'Captain', start: 0.2, end: 0.6 },
      { word: COMPOUND, start: 0.7, end: 2.7 },
      { word: 'waved.', start: 2.8, end: 3.2 },
    ];
    const chunks = chunkCaptions('ignored', 4, words);
    expectLinesFit(chunks);
    const pieces = chunks.filter((c) => COMPOUND.includes(c.text));
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.map((c) => c.text).join('')).toBe(COMPOUND);
    expect(pieces[0]!.start).toBeCloseTo(0.7, 6);
    expect(pieces.at(-1)!.end).toBeCloseTo(2.8, 6);
    for (const [i, c] of chunks.entries()) if (i > 0) expect(c.start).toBeCloseTo(chunks[i - 1]!.end, 6);
  });

  it('never splits a grapheme cluster: family emoji, flags, letters with combining marks', () => {
    for (const [cluster, times] of [
      [FAMILY, 30],
      [FLAG, 30],
      ['e\u0301', 60],
      ['\u0928\u094d\u0926\u0940', 20],
    ] as const) {
      const word = cluster.repeat(times);
      const pieces = breakLongWord(word);
      expect(pieces.length).toBeGreaterThan(1);
      expect(pieces.join('')).toBe(word);
      for (const piece of pieces) {
        expect(piece.split(cluster).join('')).toBe('');
        expect(captionTextWidth(piece)).toBeLessThanOrEqual(MAX_LINE_WIDTH);
      }
      expectLinesFit(chunkCaptions(word, 5));
    }
  });

  it('keeps Arabic and spaceless scripts whole and in order', () => {
    const arabic = 'كان يا ما كان في قديم الزمان ثعلب صغير';
    expect(
      chunkCaptions(arabic, 4)
        .map((c) => c.text)
        .join(' '),
    ).toBe(arabic);
    const long = 'الاستراتيجياتالاقتصاديةالمستقبلية';
    expect(breakLongWord(long).join('')).toBe(long);
    const japanese = 'コンピュータープログラミングインターナショナルコミュニケーションテクノロジー';
    const chunks = chunkCaptions(japanese, 5);
    expect(chunks.map((c) => c.text).join('')).toBe(japanese);
    expectLinesFit(chunks);
  });
});

describe('buildAss', () => {
  it('escapes override braces and backslash sequences so they show literally', () => {
    expect(escapeAssText('{\\b1}bold\\N next\nline')).toBe('\\{\\\u2060b1\\}bold\\\u2060N next line');
  });

  it('sizes the style from the video and keeps captions inside the frame', () => {
    const ass = buildAss([{ text: 'Hello {there}', start: 0, end: 1.5 }], { width: 720, height: 1280 });
    expect(ass).toContain('PlayResX: 720\nPlayResY: 1280');
    expect(ass).toContain('WrapStyle: 0');
    // Larger than before the short-video style (54 px at 720x1280), bold (-1), outlined (7 px)
    expect(ass).toMatch(/Style: Caption,Noto Sans,61,&H00FFFFFF,&H000000FF,&H00000000,&H96000000,-1,0,0,0,100,100,0,0,1,7,/);
    expect(ass).toContain('Dialogue: 0,0:00:00.00,0:00:01.50,Caption,,0,0,0,,Hello \\{there\\}');
  });

  it('breaks a word too wide for a line over lines, still escaped', () => {
    const ass = buildAss([{ text: `See {C:\\${COMPOUND}}`, start: 0, end: 1 }], { width: 720, height: 1280 });
    const text = ass.trim().split('\n').at(-1)!.split(',,0,0,0,,')[1]!;
    expect(text).toContain('\\N');
    expect(text.split('\\N').join('')).toBe(escapeAssText(`See {C:\\${COMPOUND}}`));
  });

  describe('burned-in captions (real ffmpeg and libass)', () => {
    const { ffmpeg } = resolveFfmpeg();
    const [width, height] = [720, 1280];
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'storyreel-captions-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    /** One 720x1280 frame of black with the caption burned in, as 8-bit gray pixels. */
    async function burn(text: string): Promise<Buffer> {
      await writeFile(join(dir, 'c.ass'), buildAss([{ text, start: 0, end: 2 }], { width, height }), 'utf8');
      const args = [
        '-v',
        'error',
        '-f',
        'lavfi',
        '-i',
        `color=black:s=${width}x${height}:d=1`,
        '-vf',
        'ass=c.ass,format=gray',
        '-frames:v',
        '1',
        '-f',
        'rawvideo',
        '-',
      ];
      const { stdout } = await promisify(execFile)(ffmpeg, args, { cwd: dir, encoding: 'buffer', maxBuffer: 8 * width * height });
      expect(stdout.length).toBe(width * height);
      return stdout;
    }

    function brightest(frame: Buffer, fromX: number, toX: number): number {
      let max = 0;
      for (let y = 0; y < height; y++) for (let x = fromX; x < toX; x++) max = Math.max(max, frame[y * width + x]!);
      return max;
    }

    it.each([
      ['a long compound word', COMPOUND],
      ['a long URL', LONG_URL],
      ['a run of capitals and digits', 'WWMMWWMMWWMM0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'],
    ])('%s stays inside the frame', async (_, text) => {
      const frame = await burn(`${text} ${text.slice(0, 12)}`);
      expect(brightest(frame, 200, 520)).toBeGreaterThan(200); // the white caption is there
      expect(brightest(frame, 0, 4)).toBeLessThan(40); // and the leftmost and rightmost columns stay black
      expect(brightest(frame, width - 4, width)).toBeLessThan(40);
    });
  });
});
