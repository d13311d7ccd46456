/**
 * Simple silhouettes that make a card illustrate its scene instead of only colouring it: the sea,
 * a lighthouse, trees, rain, picked by the scene's words (scene-reading.ts); everything else a
 * scene names is drawn as a pictograph (paint-pictographs.ts). Every shape stays inside the part of
 * the frame the clip always shows (media/motion.ts PAN_MARGIN): shapes keep to the middle 15%-85%
 * across.
 */
import type { SKRSContext2D } from '@napi-rs/canvas';
import type { CardLook } from './scene-palette.js';
import type { SceneReading } from './scene-reading.js';

export type Painter = (g: SKRSContext2D, look: CardLook, w: number, h: number, bySea: boolean) => void;

/** Leftmost and rightmost x (fractions of the width) a motif may use. */
const SAFE_LEFT = 0.15;
const SAFE_RIGHT = 0.85;
/** Where the sea's surface sits, as a fraction of the height (below the farthest hill's crest). */
const SEA_LEVEL = 0.7;

/** A centre x in pixels between `from` and `to` (fractions) such that a shape `half` pixels wide each side stays safe. */
function safeX(look: CardLook, w: number, half: number, from = SAFE_LEFT, to = SAFE_RIGHT): number {
  const lo = Math.max(from * w, SAFE_LEFT * w + half);
  const hi = Math.min(to * w, SAFE_RIGHT * w - half);
  return hi > lo ? lo + look.random() * (hi - lo) : w / 2;
}

const sea: Painter = (g, look, w, h) => {
  const top = h * SEA_LEVEL;
  const water = g.createLinearGradient(0, top, 0, h);
  water.addColorStop(0, look.stars ? 'hsl(225, 45%, 16%)' : 'hsl(205, 55%, 42%)');
  water.addColorStop(1, look.stars ? 'hsl(230, 50%, 7%)' : 'hsl(215, 60%, 22%)');
  g.fillStyle = water;
  g.fillRect(0, top, w, h - top);
  // the orb's reflection: short light strokes under it, fading with depth
  g.strokeStyle = look.stars ? 'rgba(240,240,220,0.35)' : 'rgba(255,250,230,0.45)';
  g.lineWidth = Math.max(1, h * 0.003);
  for (let i = 0; i < 14; i++) {
    const y = top + (h - top) * (0.04 + i * 0.06);
    const half = w * (0.05 + look.random() * 0.05) * (1 - i / 20);
    const x = look.orb.x * w + (look.random() - 0.5) * w * 0.04;
    g.beginPath();
    g.moveTo(x - half, y);
    g.lineTo(x + half, y);
    g.stroke();
  }
};

const lighthouse: Painter = (g, look, w, h) => {
  const unit = Math.min(w, h);
  const bottom = unit * 0.07;
  const top = unit * 0.045;
  const rock = bottom * 2.2;
  // on the side away from the sun or moon, so its beam crosses open sky
  const x = look.orb.x < 0.5 ? safeX(look, w, rock, 0.6, 0.8) : safeX(look, w, rock, 0.2, 0.4);
  const base = h * (SEA_LEVEL + 0.02);
  const height = unit * 0.42;
  g.fillStyle = 'hsl(220, 20%, 12%)';
  // the rock it stands on
  g.beginPath();
  g.ellipse(x, base, rock, unit * 0.035, 0, Math.PI, 0);
  g.fill();
  // the tower, narrowing upward, with a lamp room and a cap
  g.beginPath();
  g.moveTo(x - bottom / 2, base);
  g.lineTo(x - top / 2, base - height);
  g.lineTo(x + top / 2, base - height);
  g.lineTo(x + bottom / 2, base);
  g.closePath();
  g.fill();
  const lampY = base - height - top * 0.6;
  g.fillStyle = 'rgba(255, 226, 140, 0.95)';
  g.fillRect(x - top * 0.45, lampY, top * 0.9, top * 0.6);
  g.fillStyle = 'hsl(220, 20%, 12%)';
  g.beginPath();
  g.moveTo(x - top * 0.7, lampY);
  g.lineTo(x, lampY - top * 0.8);
  g.lineTo(x + top * 0.7, lampY);
  g.closePath();
  g.fill();
  // its beam, toward the open side of the frame
  const toward = x < w / 2 ? 1 : -1;
  const reach = w * 0.45;
  const beam = g.createLinearGradient(x, lampY, x + toward * reach, lampY);
  beam.addColorStop(0, 'rgba(255, 236, 170, 0.55)');
  beam.addColorStop(1, 'rgba(255, 236, 170, 0)');
  g.fillStyle = beam;
  g.beginPath();
  g.moveTo(x, lampY + top * 0.3);
  g.lineTo(x + toward * reach, lampY - unit * 0.09);
  g.lineTo(x + toward * reach, lampY + unit * 0.09);
  g.closePath();
  g.fill();
};

const trees: Painter = (g, look, w, h) => {
  const unit = Math.min(w, h);
  g.fillStyle = look.stars ? 'hsl(150, 30%, 8%)' : 'hsl(140, 35%, 18%)';
  const widest = unit * 0.2 * 0.28;
  const left = SAFE_LEFT * w + widest;
  const span = SAFE_RIGHT * w - widest - left;
  for (let i = 0; i < 7; i++) {
    const x = left + ((i + look.random()) / 7) * span;
    const base = h * (0.74 + look.random() * 0.04);
    const tall = unit * (0.12 + look.random() * 0.08);
    g.beginPath();
    g.moveTo(x, base - tall);
    g.lineTo(x + tall * 0.28, base);
    g.lineTo(x - tall * 0.28, base);
    g.closePath();
    g.fill();
  }
};

const rain: Painter = (g, look, w, h) => {
  g.fillStyle = 'rgba(20, 24, 36, 0.35)';
  g.fillRect(0, 0, w, h);
  g.strokeStyle = 'rgba(200, 210, 230, 0.35)';
  g.lineWidth = Math.max(1, Math.min(w, h) * 0.002);
  const slant = Math.min(w, h) * 0.02;
  for (let i = 0; i < 160; i++) {
    const x = look.random() * w;
    const y = look.random() * h;
    const len = Math.min(w, h) * (0.03 + look.random() * 0.03);
    g.beginPath();
    g.moveTo(x, y);
    g.lineTo(x - slant, y + len);
    g.stroke();
  }
};

/** The sea or the forest, and a lighthouse, as the scene's words have them (scene-reading.ts). */
export function paintMotifs(g: SKRSContext2D, reading: SceneReading, look: CardLook, w: number, h: number): void {
  const bySea = reading.setting === 'sea';
  if (bySea) sea(g, look, w, h, bySea);
  if (reading.setting === 'forest') trees(g, look, w, h, bySea);
  if (reading.lighthouse) lighthouse(g, look, w, h, bySea);
}

/** Rain over everything, and darker in a storm. */
export function paintRain(g: SKRSContext2D, reading: SceneReading, look: CardLook, w: number, h: number): void {
  if (reading.weather === 'rain' || reading.weather === 'storm') rain(g, look, w, h, false);
}
