/**
 * The offline image provider: paints a scene card (sky, sun or moon, layered hills, a few of the
 * scene's words) with Skia through @napi-rs/canvas. Also the stand-in card when a real image
 * provider fails. Deterministic: the same prompt and seed give the same PNG.
 */
import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { GeneratedImage, ImageProvider, ImageRequest } from '../types.js';
import { lookFor, type CardLook } from './scene-palette.js';

const FONT_STACK = '"Noto Sans", "Noto Sans CJK SC", "Noto Sans Arabic", "DejaVu Sans", sans-serif';

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
  const radius = r * w;
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

/** The first words of the prompt, as a short title near the top (captions own the bottom). */
function paintTitle(g: SKRSContext2D, prompt: string, w: number, h: number): void {
  const words = prompt.split(/[.\n]/)[0]!.split(/\s+/).filter(Boolean).slice(0, 6).join(' ');
  const title = [...words].slice(0, 48).join('');
  if (!title) return;
  const size = Math.round(Math.min(w, h) * 0.045);
  g.font = `600 ${size}px ${FONT_STACK}`;
  g.textAlign = 'center';
  g.textBaseline = 'middle';
  g.fillStyle = 'rgba(0,0,0,0.28)';
  const width = Math.min(w * 0.9, g.measureText(title).width + size * 1.2);
  g.fillRect((w - width) / 2, h * 0.05, width, size * 1.8);
  g.fillStyle = 'rgba(255,255,255,0.92)';
  g.fillText(title, w / 2, h * 0.05 + size * 0.9, w * 0.86);
}

export function paintCard(req: { prompt: string; width: number; height: number; seed: number }): Buffer {
  const { width: w, height: h } = req;
  const canvas = createCanvas(w, h);
  const g = canvas.getContext('2d');
  const look = lookFor(req.prompt, req.seed);
  paintSky(g, look, w, h);
  paintHills(g, look, w, h);
  paintTitle(g, req.prompt, w, h);
  return canvas.toBuffer('image/png');
}

export class LocalImageProvider implements ImageProvider {
  readonly name = 'local';
  readonly model = 'card-v1';
  readonly concurrency = 2;

  async generate(req: ImageRequest): Promise<GeneratedImage> {
    req.signal?.throwIfAborted();
    const bytes = paintCard(req);
    return { bytes, mime: 'image/png', width: req.width, height: req.height };
  }
}
