import { describe, expect, it } from 'vitest';
import { buildAss, captionUnits, chunkCaptions, escapeAssText } from '../../src/engine/captions.js';

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
    const words = ['One', 'two', 'three,', 'four', 'five', 'six', 'seven'].map((word, i) => ({ word, start: 0.5 + i * 0.4, end: 0.8 + i * 0.4 }));
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

describe('buildAss', () => {
  it('escapes override braces and backslash sequences so they show literally', () => {
    expect(escapeAssText('{\\b1}bold\\N next\nline')).toBe('\\{\\\u2060b1\\}bold\\\u2060N next line');
  });

  it('sizes the style from the video and keeps captions inside the frame', () => {
    const ass = buildAss([{ text: 'Hello {there}', start: 0, end: 1.5 }], { width: 720, height: 1280 });
    expect(ass).toContain('PlayResX: 720\nPlayResY: 1280');
    expect(ass).toContain('WrapStyle: 0');
    expect(ass).toMatch(/Style: Caption,Noto Sans,54,/);
    expect(ass).toContain('Dialogue: 0,0:00:00.00,0:00:01.50,Caption,,0,0,0,,Hello \\{there\\}');
  });
});
