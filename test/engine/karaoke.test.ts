/**
 * Karaoke captions: the word being said is lit (gold) from its start, on its own pixels, and not
 * before. Checked on real libass renders read at 100 fps (10 ms steps), then end to end through the
 * engine with the Inworld fake's word timings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chunkCaptions } from '../../src/engine/captions.js';
import { buildAss, HIGHLIGHT } from '../../src/engine/caption-ass.js';
import { boxOf, burnFrame, isGold, lit, type Frame } from './burn-frame.js';

const [W, H] = [640, 640];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storyreel-karaoke-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const timed = (words: string[], starts: number[]) => words.map((word, i) => ({ word, start: starts[i]!, end: starts[i]! + 0.4 }));

describe('karaoke events', () => {
  it("one event per word, from its start to the next word's start, plain before the first", () => {
    const chunks = chunkCaptions('ignored', 2, timed(['one', 'two', 'three'], [0.3, 0.8, 1.3]));
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.words!.map((w) => [w.text, w.start])).toEqual([
      ['one', 0.3],
      ['two', 0.8],
      ['three', 1.3],
    ]);
    const events = buildAss(chunks, { width: W, height: H, karaoke: true })
      .split('\n')
      .filter((l) => l.startsWith('Dialogue:'));
    expect(events).toEqual([
      'Dialogue: 0,0:00:00.00,0:00:00.30,Caption,,0,0,0,,one two three',
      `Dialogue: 0,0:00:00.30,0:00:00.80,Caption,,0,0,0,,{\\1c${HIGHLIGHT.ass}}one{\\1c&HFFFFFF&} two three`,
      `Dialogue: 0,0:00:00.80,0:00:01.30,Caption,,0,0,0,,one {\\1c${HIGHLIGHT.ass}}two{\\1c&HFFFFFF&} three`,
      `Dialogue: 0,0:00:01.30,0:00:02.00,Caption,,0,0,0,,one two {\\1c${HIGHLIGHT.ass}}three{\\1c&HFFFFFF&}`,
    ]);
    // plain: the same chunks, no highlight
    expect(buildAss(chunks, { width: W, height: H, karaoke: false })).not.toContain(HIGHLIGHT.ass);
  });

  it('words written without spaces stay glued; braces in a word stay literal', () => {
    const japanese = buildAss(chunkCaptions('ignored', 2, timed(['キツネが', '見つけた'], [0.1, 0.6])), {
      width: W,
      height: H,
      karaoke: true,
    });
    expect(japanese).toContain(`,,{\\1c${HIGHLIGHT.ass}}キツネが{\\1c&HFFFFFF&}見つけた\n`);
    const braces = buildAss(chunkCaptions('ignored', 2, timed(['a', '{\\b1}b'], [0.1, 0.6])), { width: W, height: H, karaoke: true });
    expect(braces).toContain(`,,a {\\1c${HIGHLIGHT.ass}}\\{\\\u2060b1\\}b{\\1c&HFFFFFF&}\n`);
  });
});

describe('karaoke on screen (real libass)', () => {
  const frameAt = (ass: string, t: number) => burnFrame(dir, ass, W, H, t);
  const gold = (f: Frame) => boxOf(f, isGold);

  it("lights each word at its time and not before, on the word's own pixels (left to right)", async () => {
    const chunks = chunkCaptions('ignored', 2, timed(['one', 'two', 'three'], [0.3, 0.8, 1.3]));
    const ass = buildAss(chunks, { width: W, height: H, karaoke: true });
    const text = boxOf(await frameAt(ass, 0.29), lit)!;
    expect(gold(await frameAt(ass, 0.29)), 'nothing lit before the first word').toBeUndefined();
    const first = gold(await frameAt(ass, 0.31))!;
    const stillFirst = gold(await frameAt(ass, 0.79))!;
    const second = gold(await frameAt(ass, 0.81))!;
    const third = gold(await frameAt(ass, 1.31))!;
    expect(first).toBeDefined();
    expect(stillFirst).toEqual(first);
    // Each lit word lies within the caption, in reading order, and they do not overlap.
    expect(first.x0).toBeGreaterThanOrEqual(text.x0 - 2);
    expect(first.x1).toBeLessThan(second.x0);
    expect(second.x1).toBeLessThan(third.x0);
    expect(third.x1).toBeLessThanOrEqual(text.x1 + 2);
    // The lit word is as wide as the word: "one" is about a third of "one two three".
    expect(first.x1 - first.x0).toBeLessThan((text.x1 - text.x0) * 0.4);
  });

  it('in Arabic the first word is lit at the right end', async () => {
    const chunks = chunkCaptions('ignored', 2, timed(['البحر', 'جميل', 'جدا.'], [0.2, 0.7, 1.2]));
    const ass = buildAss(chunks, { width: W, height: H, karaoke: true, rtl: true });
    const text = boxOf(await frameAt(ass, 0.5), lit)!;
    const first = gold(await frameAt(ass, 0.5))!;
    const last = gold(await frameAt(ass, 1.5))!;
    expect(first.x0).toBeGreaterThan(last.x1);
    expect(first.x1).toBeGreaterThan(text.x1 - 10);
  });
});
