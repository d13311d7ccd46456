/**
 * Styles you can see without a key (issue 20 item 9): the offline card of the same scene, seed and
 * size looks different in every style, measured on the decoded pixels at 720p: noir is grey,
 * pixel is made of solid blocks, storybook / watercolor / anime each have a palette of their own
 * (far from each other and from cinematic) and a texture of their own.
 */
import { describe, expect, it } from 'vitest';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { paintCard } from '../../src/providers/images/paint-card.js';
import { composeImagePrompt } from '../../src/engine/styles.js';
import { STYLE_NAMES, styleInPrompt, type StyleName } from '../../src/core/image-prompt.js';

const W = 1280;
const H = 720;
const SCENES = [
  'Mara climbed the lighthouse at night while the sea roared below.',
  'A fox walked through the forest to a little house in the morning.',
  'The market was loud and bright.',
];

interface Measures {
  /** Mean HSV saturation, 0..1. */
  saturation: number;
  /** Mean HSV value, 0..1. */
  value: number;
  /** Mean red minus blue, -1..1: how warm the card is. */
  warmth: number;
  /** Colours in a 4x4x4 cube, as shares of the pixels. */
  histogram: number[];
  /** Mean luminance step between horizontal neighbours: fine texture (grain, brush strokes). */
  grain: number;
  /** Share of pixels equal to their right neighbour: flat colour (cel shading). */
  flat: number;
  /** Share of neighbour steps of more than 40 levels: hard edges (ink lines) versus soft ones. */
  edges: number;
  pixels: Uint8ClampedArray;
}

async function decode(png: Buffer): Promise<Uint8ClampedArray> {
  const canvas = createCanvas(W, H);
  canvas.getContext('2d').drawImage(await loadImage(png), 0, 0);
  return canvas.getContext('2d').getImageData(0, 0, W, H).data;
}

function measure(pixels: Uint8ClampedArray): Measures {
  const n = W * H;
  const histogram = new Array<number>(64).fill(0);
  let saturation = 0;
  let value = 0;
  let warmth = 0;
  let grain = 0;
  let flat = 0;
  let edges = 0;
  for (let p = 0; p < n; p++) {
    const i = p * 4;
    const [r, g, b] = [pixels[i]!, pixels[i + 1]!, pixels[i + 2]!];
    const max = Math.max(r, g, b);
    saturation += max ? (max - Math.min(r, g, b)) / max : 0;
    value += max / 255;
    warmth += (r - b) / 255;
    histogram[(r >> 6) * 16 + (g >> 6) * 4 + (b >> 6)]! += 1 / n;
    if (p % W === W - 1) continue;
    const step = Math.abs(r + g + b - (pixels[i + 4]! + pixels[i + 5]! + pixels[i + 6]!)) / 3;
    grain += step;
    if (step === 0) flat++;
    if (step > 40) edges++;
  }
  return {
    saturation: saturation / n,
    value: value / n,
    warmth: warmth / n,
    histogram,
    grain: grain / n,
    flat: flat / n,
    edges: edges / n,
    pixels,
  };
}

const cards = new Map<StyleName, Measures[]>();
async function cardsIn(style: StyleName): Promise<Measures[]> {
  let measured = cards.get(style);
  if (!measured) {
    measured = [];
    for (const scene of SCENES) {
      const png = paintCard({ prompt: composeImagePrompt(scene, undefined, style, '16:9'), width: W, height: H, seed: 5 });
      measured.push(measure(await decode(png)));
    }
    cards.set(style, measured);
  }
  return measured;
}

const l1 = (a: number[], b: number[]) => a.reduce((sum, v, i) => sum + Math.abs(v - b[i]!), 0);

describe('offline cards in every style (issue 20 item 9)', () => {
  it('the painter reads the style from the composed prompt; a free-text style paints as cinematic', () => {
    for (const style of STYLE_NAMES) expect(styleInPrompt(composeImagePrompt('A fox.', undefined, style))).toBe(style);
    expect(styleInPrompt(composeImagePrompt('A fox.', undefined, 'oil on canvas'))).toBe('cinematic');
    // a scene that merely mentions pixels or black and white keeps the chosen style
    expect(styleInPrompt(composeImagePrompt('A black and white cat in pixel rain.', undefined, 'anime'))).toBe('anime');
  });

  it('noir is grey: mean saturation under 0.08', async () => {
    for (const card of await cardsIn('noir')) expect(card.saturation).toBeLessThan(0.08);
    for (const card of await cardsIn('cinematic')) expect(card.saturation).toBeGreaterThan(0.3);
  });

  it('pixel is pixelated: at least 90% of the 8x8 blocks are one colour, in a limited palette', async () => {
    const blockShare = (pixels: Uint8ClampedArray) => {
      const words = new Uint32Array(pixels.buffer, pixels.byteOffset, W * H);
      let uniform = 0;
      let blocks = 0;
      for (let by = 0; by + 8 <= H; by += 8) {
        for (let bx = 0; bx + 8 <= W; bx += 8) {
          blocks++;
          const first = words[by * W + bx];
          let same = true;
          for (let y = by; y < by + 8 && same; y++) for (let x = bx; x < bx + 8 && same; x++) same = words[y * W + x] === first;
          if (same) uniform++;
        }
      }
      return uniform / blocks;
    };
    for (const card of await cardsIn('pixel')) {
      expect(blockShare(card.pixels)).toBeGreaterThanOrEqual(0.9);
      expect(new Set(new Uint32Array(card.pixels.buffer)).size).toBeLessThanOrEqual(216);
    }
    for (const card of await cardsIn('cinematic')) expect(blockShare(card.pixels)).toBeLessThan(0.9);
  });

  it('storybook, watercolor and anime each have their own palette, far from each other and from cinematic', async () => {
    const styles: StyleName[] = ['cinematic', 'storybook', 'watercolor', 'anime'];
    const all = new Map<StyleName, Measures[]>();
    for (const style of styles) all.set(style, await cardsIn(style));
    for (let s = 0; s < SCENES.length; s++) {
      for (const a of styles) {
        for (const b of styles) {
          if (a >= b) continue;
          const distance = l1(all.get(a)![s]!.histogram, all.get(b)![s]!.histogram);
          expect(distance, `${a} vs ${b}, scene ${s}`).toBeGreaterThan(0.5);
        }
      }
      const [cinematic, storybook, watercolor, anime] = styles.map((style) => all.get(style)![s]!);
      // anime: vivid; watercolor: pale and washed out; storybook: warmer than cinematic
      expect(anime!.saturation).toBeGreaterThan(cinematic!.saturation + 0.15);
      expect(watercolor!.saturation).toBeLessThan(cinematic!.saturation - 0.2);
      expect(watercolor!.value).toBeGreaterThan(cinematic!.value);
      expect(storybook!.warmth).toBeGreaterThan(cinematic!.warmth);
    }
  });

  it('and their own texture: gouache strokes, grained soft washes, flat cel colour', async () => {
    for (let s = 0; s < SCENES.length; s++) {
      const [cinematic, storybook, watercolor, anime] = await Promise.all(
        (['cinematic', 'storybook', 'watercolor', 'anime'] as const).map(async (style) => (await cardsIn(style))[s]!),
      );
      // brush strokes and paper grain: fine texture everywhere, where cinematic is smooth
      expect(storybook!.grain).toBeGreaterThan(cinematic!.grain * 2.5);
      expect(watercolor!.grain).toBeGreaterThan(cinematic!.grain * 2.5);
      // watercolor's edges run (blurred), storybook's are inked
      expect(storybook!.edges).toBeGreaterThan(watercolor!.edges * 2);
      // anime: flat areas of one colour, more than the gradients of cinematic
      expect(anime!.flat).toBeGreaterThan(cinematic!.flat + 0.2);
      expect(anime!.flat).toBeGreaterThan(storybook!.flat + 0.3);
    }
  });
});
