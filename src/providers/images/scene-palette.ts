/**
 * A scene card's look, derived from its prompt and seed: the same prompt and seed always give the
 * same card. Keywords steer the mood (night, sea, forest, fire...); the hash picks the rest.
 */
import { createHash } from 'node:crypto';
import { seededRandom } from '../../core/seeded-random.js';
import type { Tone } from './card-style.js';

export interface CardLook {
  sky: [string, string];
  ground: string[];
  glow: string;
  /** The sun or moon: position as a fraction of the frame, radius as a fraction of the width. */
  orb: { x: number; y: number; r: number; color: string };
  stars: boolean;
  random: () => number;
}

const hslOf = (h: number, s: number, l: number) => `hsl(${Math.round(((h % 360) + 360) % 360)}, ${Math.round(s)}%, ${Math.round(l)}%)`;

const MOODS: { words: RegExp; hue: number; night?: boolean }[] = [
  { words: /\b(night|moon|star|stars|dark|midnight|dream)/i, hue: 235, night: true },
  { words: /\b(sea|ocean|wave|waves|lighthouse|harbou?r|ship|boat|river|lake|rain|storm)/i, hue: 200 },
  { words: /\b(forest|tree|trees|garden|meadow|grass|spring|leaf|leaves)/i, hue: 120 },
  { words: /\b(fire|flame|sunset|dusk|autumn|lantern|candle|ember)/i, hue: 22 },
  { words: /\b(desert|sand|dune|gold|golden)/i, hue: 42 },
  { words: /\b(snow|ice|winter|frost|cold)/i, hue: 195 },
  { words: /\b(city|street|town|neon|robot|machine)/i, hue: 280 },
];

/** `tone` turns every colour into a style's palette (card-style.ts); none keeps them as they are. */
export function lookFor(prompt: string, seed: number, tone?: Tone): CardLook {
  const hsl = tone ? (h: number, s: number, l: number) => hslOf(...tone(h, s, l)) : hslOf;
  const digest = createHash('sha256').update(`${seed}\u0000${prompt}`).digest();
  const random = seededRandom(digest.readUInt32LE(0));
  const mood = MOODS.find((m) => m.words.test(prompt));
  const hue = (mood?.hue ?? digest.readUInt16LE(4) % 360) + (random() - 0.5) * 30;
  const night = mood?.night ?? false;
  const skyTop = night ? hsl(hue, 55, 10) : hsl(hue, 60, 38 + random() * 12);
  const skyBottom = night ? hsl(hue + 30, 45, 28) : hsl(hue + 35, 75, 72 + random() * 10);
  const ground = [0, 1, 2].map((i) => hsl(hue + 160 + i * 12 + random() * 20, 35 + i * 5, (night ? 14 : 30) - i * 6));
  return {
    sky: [skyTop, skyBottom],
    ground,
    glow: night ? 'rgba(200, 220, 255, 0.35)' : 'rgba(255, 240, 200, 0.45)',
    orb: { x: 0.2 + random() * 0.6, y: 0.14 + random() * 0.2, r: 0.08 + random() * 0.06, color: night ? '#f4f1e1' : hsl(hue + 40, 95, 85) },
    stars: night,
    random,
  };
}
