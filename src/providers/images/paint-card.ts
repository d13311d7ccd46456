/**
 * A scene card, painted with Skia through @napi-rs/canvas: a sky in the scene's mood, the sun or
 * moon, stars at night, layered hills, and the things the scene names (scene-motifs.ts). No lettering: a label made of the prompt's keywords read
 * as a broken caption ("Mara did not wait for permission" became "Mara wait permission lit lamp
 * one") and the clip's pan cut it at the edges; the captions carry the words. Deterministic: the
 * same prompt, size and seed give the same pixels. Runs in the paint workers (paint-worker.ts).
 */
import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import { lookFor, type CardLook } from './scene-palette.js';
import { paintMotifs } from './scene-motifs.js';

export interface CardRequest {
  prompt: string;
  width: number;
  height: number;
  seed: number;
}

function paintHills(g: SKRSContext2D, look: CardLook, w: number, h: number): void {
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
  });
}

function paintSky(g: SKRSContext2D, look: CardLook, w: number, h: number): void {
  const sky = g.createLinearGradient(0, 0, 0, h * 0.8);
  sky.addColorStop(0, look.sky[0]);
  sky.addColorStop(1, look.sky[1]);
  g.fillStyle = sky;
  g.fillRect(0, 0, w, h);
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
export function paintScene(g: SKRSContext2D, req: CardRequest): void {
  const look = lookFor(req.prompt, req.seed);
  paintSky(g, look, req.width, req.height);
  paintHills(g, look, req.width, req.height);
  paintMotifs(g, req.prompt, look, req.width, req.height);
}

/** The card as PNG bytes. Synchronous and CPU-bound (Skia rasterises during the encode). */
export function paintCard(req: CardRequest): Buffer {
  const canvas = createCanvas(req.width, req.height);
  paintScene(canvas.getContext('2d'), req);
  return canvas.toBuffer('image/png');
}
