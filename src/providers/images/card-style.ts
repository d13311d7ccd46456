/**
 * What each named style (core/image-prompt.ts) changes in an offline scene card, so `--style` shows
 * without a key: the palette the look's colours are turned into, how the sky and hills are drawn,
 * and a finish over the whole card (card-finish.ts). Cinematic is the card as it always was.
 */
import type { StyleName } from '../../core/image-prompt.js';

export type Tone = (h: number, s: number, l: number) => [number, number, number];

export interface CardStyle {
  /** Turns one HSL colour of the look into the style's palette. */
  tone: Tone;
  /** The sky in this many flat bands instead of a smooth gradient (cel shading). */
  skyBands?: number;
  /** An ink line around the hills, as a fraction of the short side. */
  outline?: { color: string; width: number };
  /** Flat white cumulus clouds in a day sky. */
  clouds?: boolean;
}

/** `h` moved by `share` of the shortest way toward `target` (degrees). */
function pull(h: number, target: number, share: number): number {
  const delta = ((((target - h) % 360) + 540) % 360) - 180;
  return h + delta * share;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const same: Tone = (h, s, l) => [h, s, l];

export const CARD_STYLES: Record<StyleName, CardStyle> = {
  cinematic: { tone: same },
  // gouache: mid saturation, light and soft (warmed at the finish); brown ink lines
  storybook: {
    tone: (h, s, l) => [h, clamp(s * 0.85 + 10, 35, 70), 30 + l * 0.65],
    outline: { color: 'hsla(20, 45%, 22%, 0.75)', width: 0.006 },
  },
  // pale washes: cool, little saturation, much paper showing through
  watercolor: { tone: (h, s, l) => [pull(h, 205, 0.25), s * 0.5, 48 + l * 0.48] },
  // a saturated key visual: vivid colour in flat bands, outlined hills, cumulus clouds
  anime: {
    tone: (h, s, l) => [h, clamp(s * 1.2 + 25, 0, 100), l],
    skyBands: 5,
    outline: { color: 'hsl(230, 40%, 12%)', width: 0.004 },
    clouds: true,
  },
  // greyed at the finish; the palette only adds contrast there
  noir: { tone: same },
  // quantised at the finish
  pixel: { tone: same },
};
