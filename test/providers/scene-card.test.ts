import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { paintCard } from '../../src/providers/images/local.js';
import { LocalSceneWriter } from '../../src/providers/writers/local.js';
import { lookFor } from '../../src/providers/images/scene-palette.js';
import { paintMotifs } from '../../src/providers/images/scene-motifs.js';
import type { SceneReading } from '../../src/providers/images/scene-reading.js';
import { PAN_MARGIN } from '../../src/media/clip-args.js';

const SAMPLE = readFileSync(join(import.meta.dirname, '../../samples/lighthouse.txt'), 'utf8');
// Every 2D context of @napi-rs/canvas shares this prototype: spying on it sees every text call a card makes.
const contextPrototype = Object.getPrototypeOf(createCanvas(1, 1).getContext('2d')) as Record<
  'fillText' | 'strokeText',
  (...args: unknown[]) => void
>;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('scene cards (issue 12 item 11)', () => {
  it('paint no lettering on any scene of the sample story, only pictographs: the captions carry the words', async () => {
    const fill = vi.spyOn(contextPrototype, 'fillText');
    const stroke = vi.spyOn(contextPrototype, 'strokeText');
    const script = await new LocalSceneWriter().write({ story: SAMPLE, aspect: '9:16' });
    expect(script.scenes.some((s) => /Mara/.test(s.imagePrompt))).toBe(true);
    for (const scene of script.scenes) {
      const png = paintCard({ prompt: scene.imagePrompt, width: 288, height: 512, seed: 1000 + scene.index });
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    }
    const painted = [...fill.mock.calls, ...stroke.mock.calls].map((call) => String(call[0]));
    // the scene's things drawn as emoji (issue 21) are pictures, not letters
    expect(painted.length).toBeGreaterThan(0);
    for (const text of painted) expect(text).toMatch(/^(\p{Extended_Pictographic}|\u200d|\ufe0f)+$/u);
  });
});

describe('scene motifs', () => {
  // The clip scales the still 1.12x and pans it edge to edge: 10.7% of each side may leave the
  // frame at some point. Solid shapes (alpha >= 170: not the beam's glow, the rain or the
  // full-width sea) must stay inside, at every aspect and seed.
  const visible = { from: 1 - 1 / PAN_MARGIN, to: 1 / PAN_MARGIN };
  const sizes: [number, number][] = [
    [288, 512],
    [512, 288],
    [400, 400],
  ];
  // what paintMotifs draws for a scene that names a lighthouse, or a forest (the sea is full width)
  const readings: Record<string, Partial<SceneReading>> = {
    lighthouse: { lighthouse: true },
    trees: { setting: 'forest', lighthouse: false },
  };
  const objects = Object.keys(readings);

  it.each(objects)('a %s never leaves the part of the frame the pan always shows', (name) => {
    for (const [w, h] of sizes) {
      for (let seed = 0; seed < 12; seed++) {
        for (const night of [false, true]) {
          const canvas = createCanvas(w, h);
          const look = lookFor(night ? 'night' : 'a day', seed);
          paintMotifs(canvas.getContext('2d'), readings[name] as SceneReading, look, w, h);
          const { data } = canvas.getContext('2d').getImageData(0, 0, w, h);
          let minX = w;
          let maxX = -1;
          for (let i = 3; i < data.length; i += 4) {
            if (data[i]! < 170) continue;
            const x = ((i - 3) / 4) % w;
            minX = Math.min(minX, x);
            maxX = Math.max(maxX, x);
          }
          expect(maxX, `${name} painted nothing at ${w}x${h}, seed ${seed}`).toBeGreaterThan(0);
          expect(minX / w).toBeGreaterThanOrEqual(visible.from);
          expect((maxX + 1) / w).toBeLessThanOrEqual(visible.to);
        }
      }
    }
  });
});
