/**
 * A scene card's look, derived from its prompt and seed: the same prompt and seed always give the
 * same card. The scene's words steer the mood (night, sea, forest, fire...); the hash picks the rest.
 */
import { createHash } from 'node:crypto';
import { seededRandom } from '../../core/seeded-random.js';
import type { Tone } from './card-style.js';
import { readScene } from './read-prompt.js';
import type { SceneReading } from './scene-reading.js';

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

interface Mood {
  hue: number;
  night?: boolean;
  /** The sun low over the horizon (morning, evening). */
  low?: boolean;
  /** A grey, overcast sky (rain, storm). */
  grey?: boolean;
  snow?: boolean;
}

/** The mood the scene's own words give: time of day first, then weather, then the setting. */
function moodOf(reading: SceneReading): Mood | undefined {
  if (reading.time === 'night') return { hue: 235, night: true };
  if (reading.weather === 'storm' || reading.weather === 'rain') return { hue: 215, grey: true };
  if (reading.time === 'morning') return { hue: 38, low: true };
  if (reading.time === 'evening') return { hue: 15, low: true };
  if (reading.weather === 'snow' || reading.setting === 'snow') return { hue: 200, snow: true };
  const byPlace = { sea: 200, forest: 120, city: 260, room: 30 } as const;
  if (reading.setting && reading.setting in byPlace) return { hue: byPlace[reading.setting as keyof typeof byPlace] };
  const season = { autumn: 25, spring: 100, summer: 48, winter: 200 } as const;
  if (reading.season) return { hue: season[reading.season] };
  // English words the annotations do not hold (dark, midnight, dusk...), in the scene only
  return MOODS.find((m) => m.words.test(reading.scene));
}

/**
 * The card's colours. `tone` turns every colour into a style's palette (card-style.ts); none keeps
 * them as they are. The mood comes from the scene's words (scene-reading.ts); a scene that names
 * none gets the story's own hue (from its brief), so such scenes share one calm palette.
 */
export function lookFor(prompt: string, seed: number, tone?: Tone, reading: SceneReading = readScene(prompt)): CardLook {
  const hsl = tone ? (h: number, s: number, l: number) => hslOf(...tone(h, s, l)) : hslOf;
  const digest = createHash('sha256').update(`${seed}\u0000${prompt}`).digest();
  const random = seededRandom(digest.readUInt32LE(0));
  const mood = moodOf(reading);
  const storyHue = createHash('sha256').update(reading.paletteKey).digest().readUInt16LE(0) % 360;
  const hue = (mood?.hue ?? storyHue) + (random() - 0.5) * 30;
  const night = mood?.night ?? false;
  const sat = mood?.grey ? 0.35 : 1;
  const skyTop = night ? hsl(hue, 55, 10) : hsl(hue, 60 * sat, 38 + random() * 12);
  const skyBottom = night ? hsl(hue + 30, 45, 28) : hsl(hue + 35, 75 * sat, 72 + random() * 10);
  const ground = [0, 1, 2].map((i) =>
    mood?.snow
      ? hsl(205, 30, 92 - i * 6 + random() * 2)
      : hsl(hue + 160 + i * 12 + random() * 20, (35 + i * 5) * sat, (night ? 14 : 30) - i * 6),
  );
  const orbX = 0.2 + random() * 0.6;
  const orbY = 0.14 + random() * 0.2;
  return {
    sky: [skyTop, skyBottom],
    ground,
    glow: night ? 'rgba(200, 220, 255, 0.35)' : 'rgba(255, 240, 200, 0.45)',
    orb: { x: orbX, y: mood?.low ? 0.5 : orbY, r: 0.08 + random() * 0.06, color: night ? '#f4f1e1' : hsl(hue + 40, 95, 85) },
    stars: night,
    random,
  };
}
