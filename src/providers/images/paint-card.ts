/**
 * A scene card, painted with Skia through @napi-rs/canvas: a sky in the scene's mood, the sun or
 * moon, stars at night, layered hills, the setting, and the things and characters the scene names
 * as colour pictographs (scene-reading.ts, paint-pictographs.ts, scene-motifs.ts), in the style the
 * prompt names (card-style.ts, card-finish.ts). No pictograph is a letter: a label made of the
 * prompt's keywords read as a broken caption ("Mara did not wait for permission" became "Mara wait permission lit lamp
 * one") and the clip's pan cut it at the edges; the captions carry the words. Deterministic: the
 * same prompt, size and seed give the same pixels. Runs in the paint workers (paint-worker.ts).
 */
import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import { styleInPrompt } from '../../core/image-prompt.js';
import { CARD_STYLES, type CardStyle } from './card-style.js';
import { finishCard, pixelate, pixelBlock } from './card-finish.js';
import { lookFor, type CardLook } from './scene-palette.js';
import { paintMotifs, paintRain } from './scene-motifs.js';
import { paintPictographs, paintSetting, paintWeather } from './paint-pictographs.js';
import { readScene } from './read-prompt.js';
import { encodePng } from './png-encode.js';

export interface CardRequest {
  prompt: string;
  width: number;
  height: number;
  seed: number;
}

function paintHills(g: SKRSContext2D, look: CardLook, w: number, h: number, style: CardStyle): void {
  look.ground.forEach((color, layer) => {
    const base = h * (0.62 + layer * 0.1);
    const amp = h * (0.05 + look.random() * 0.05);
    const phase = look.random() * Math.PI * 2;
    g.beginPath();
    g.moveTo(0, h);
    for (let x = 0; x <= w; x += w / 24) {
      g.lineTo(x, base - Math.sin(phase + (x / w) * Math.PI * (1.5 + layer)) * amp);
    }
    g.lineTo(w, h);
    g.closePath();
    g.fillStyle = color;
    g.fill();
    if (style.outline) {
      g.strokeStyle = style.outline.color;
      g.lineWidth = Math.max(1, Math.min(w, h) * style.outline.width);
      g.stroke();
    }
  });
}

/** A flat cumulus: overlapping white discs over a flat base, a shade of blue-grey underneath. */
function paintClouds(g: SKRSContext2D, look: CardLook, w: number, h: number): void {
  const unit = Math.min(w, h);
  for (let c = 0; c < 3; c++) {
    const cx = w * (0.2 + c * 0.3 + (look.random() - 0.5) * 0.1);
    const cy = h * (0.18 + look.random() * 0.22);
    const size = unit * (0.05 + look.random() * 0.04);
    const puffs = Array.from({ length: 6 }, (_, i) => ({
      x: cx + (i - 2.5) * size * 0.8,
      y: cy - Math.sin((i / 5) * Math.PI) * size * (0.6 + look.random() * 0.5),
      r: size * (0.7 + look.random() * 0.5),
    }));
    for (const [fill, dy] of [
      ['hsl(215, 35%, 78%)', size * 0.18],
      ['#ffffff', 0],
    ] as const) {
      g.fillStyle = fill;
      g.beginPath();
      for (const p of puffs) {
        g.moveTo(p.x + p.r, p.y + dy);
        g.arc(p.x, p.y + dy, p.r, 0, Math.PI * 2);
      }
      g.rect(cx - size * 2.4, cy + dy - size * 0.2, size * 4.8, size * 0.7);
      g.fill();
    }
  }
}

function paintSky(g: SKRSContext2D, look: CardLook, w: number, h: number, style: CardStyle): void {
  const sky = g.createLinearGradient(0, 0, 0, h * 0.8);
  sky.addColorStop(0, look.sky[0]);
  sky.addColorStop(1, look.sky[1]);
  g.fillStyle = sky;
  g.fillRect(0, 0, w, h);
  if (style.skyBands) {
    // cel shading: the gradient, sampled in the middle of each band, painted flat
    const bands = style.skyBands;
    const tall = (h * 0.8) / bands;
    const samples = Array.from({ length: bands }, (_, i) => g.getImageData(0, Math.round(tall * (i + 0.5)), 1, 1).data);
    samples.forEach(([r, gr, b], i) => {
      g.fillStyle = `rgb(${r}, ${gr}, ${b})`;
      g.fillRect(0, tall * i, w, i === bands - 1 ? h - tall * i : tall + 1);
    });
  }
  if (look.stars) {
    g.fillStyle = 'rgba(255,255,255,0.8)';
    for (let i = 0; i < 90; i++) g.fillRect(look.random() * w, look.random() * h * 0.55, 2, 2);
  }
  const { x, y, r, color } = look.orb;
  const cx = x * w;
  const cy = y * h;
  // sized on the short side: on the width, a 16:9 card's sun filled a third of the sky
  const radius = r * Math.min(w, h);
  const glow = g.createRadialGradient(cx, cy, radius * 0.5, cx, cy, radius * 4);
  glow.addColorStop(0, look.glow);
  glow.addColorStop(1, 'rgba(0,0,0,0)');
  g.fillStyle = glow;
  g.fillRect(0, 0, w, h);
  g.beginPath();
  g.arc(cx, cy, radius, 0, Math.PI * 2);
  g.fillStyle = color;
  g.fill();
}

/** Paint the scene onto a context of the request's size (tests pass a recording context). */
export function paintScene(g: SKRSContext2D, req: CardRequest, style: CardStyle = CARD_STYLES.cinematic): CardLook {
  const reading = readScene(req.prompt);
  const look = lookFor(req.prompt, req.seed, style.tone, reading);
  const { width: w, height: h } = req;
  paintSky(g, look, w, h, style);
  if (style.clouds && !look.stars && !reading.weather) paintClouds(g, look, w, h);
  paintHills(g, look, w, h, style);
  paintSetting(g, reading, look, w, h);
  paintMotifs(g, reading, look, w, h);
  paintPictographs(g, reading, w, h);
  paintRain(g, reading, look, w, h);
  paintWeather(g, reading, look, w, h);
  return look;
}

/**
 * The card as PNG bytes, in the style the prompt names (core/image-prompt.ts styleInPrompt).
 * Synchronous and CPU-bound (Skia rasterises during the encode).
 */
export function paintCard(req: CardRequest): Buffer {
  const name = styleInPrompt(req.prompt);
  const canvas = createCanvas(req.width, req.height);
  if (name === 'pixel') {
    // painted small, then enlarged block by block: the shapes themselves are pixelated
    const block = pixelBlock(req.width, req.height);
    const small = createCanvas(Math.ceil(req.width / block), Math.ceil(req.height / block));
    paintScene(small.getContext('2d'), { ...req, width: small.width, height: small.height }, CARD_STYLES.pixel);
    pixelate(small, canvas, block);
  } else {
    const look = paintScene(canvas.getContext('2d'), req, CARD_STYLES[name]);
    finishCard(name, canvas, look, req.width, req.height);
  }
  return encodePng(canvas.getContext('2d').getImageData(0, 0, req.width, req.height).data, req.width, req.height);
}
