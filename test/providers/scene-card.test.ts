import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { paintCard } from '../../src/providers/images/local.js';
import { LocalSceneWriter } from '../../src/providers/writers/local.js';

const SAMPLE = readFileSync(join(import.meta.dirname, '../../samples/lighthouse.txt'), 'utf8');
// Every 2D context of @napi-rs/canvas shares this prototype: spying on it sees every text call a card makes.
const contextPrototype = Object.getPrototypeOf(createCanvas(1, 1).getContext('2d')) as Record<'fillText' | 'strokeText', (...args: unknown[]) => void>;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('scene cards (issue 12 item 11)', () => {
  it('paint no lettering on any scene of the sample story: the captions carry the words', async () => {
    const fill = vi.spyOn(contextPrototype, 'fillText');
    const stroke = vi.spyOn(contextPrototype, 'strokeText');
    const script = await new LocalSceneWriter().write({ story: SAMPLE, aspect: '9:16' });
    expect(script.scenes.some((s) => /Mara/.test(s.imagePrompt))).toBe(true);
    for (const scene of script.scenes) {
      const png = paintCard({ prompt: scene.imagePrompt, width: 288, height: 512, seed: 1000 + scene.index });
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    }
    const painted = [...fill.mock.calls, ...stroke.mock.calls].map((call) => String(call[0]));
    expect(painted).toEqual([]);
  });
});
