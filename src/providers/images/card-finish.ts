/**
 * The last pass of a styled scene card, over everything painted: noir greys and hardens it,
 * watercolor softens it into washes on grained paper, storybook lays gouache brush strokes on a
 * canvas weave, anime saturates it. Skia does the work (filters, blend modes, patterns), so a
 * finish costs a few milliseconds at 720p. The pixel style is painted small and enlarged instead
 * (pixelate). Deterministic: textures come from fixed seeds and the look's own random stream.
 */
import { type Canvas, createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { StyleName } from '../../core/image-prompt.js';
import { seededRandom } from '../../core/seeded-random.js';
import type { CardLook } from './scene-palette.js';

/** A 256x256 grey noise tile (one per thread, always the same): paper grain under a pattern. */
let grainTile: Canvas | undefined;
function grain(): Canvas {
  if (grainTile) return grainTile;
  const size = 256;
  const tile = createCanvas(size, size);
  const g = tile.getContext('2d');
  const image = g.createImageData(size, size);
  const random = seededRandom(0x9a9e5);
  for (let i = 0; i < image.data.length; i += 4) {
    // fibres run sideways: a value held for a few pixels along the row
    const v = i % 16 === 0 || random() < 0.35 ? 150 + random() * 105 : image.data[i - 4]!;
    image.data[i] = v;
    image.data[i + 1] = v;
    image.data[i + 2] = v;
    image.data[i + 3] = 255;
  }
  g.putImageData(image, 0, 0);
  grainTile = tile;
  return tile;
}

/** Draw the canvas onto itself through a CSS filter (grayscale, blur, saturate...). */
function refilter(canvas: Canvas, g: SKRSContext2D, filter: string): void {
  g.save();
  g.filter = filter;
  g.drawImage(canvas, 0, 0);
  g.restore();
}

/** Darken (or lighten) toward the edges. */
function vignette(g: SKRSContext2D, w: number, h: number, color: string): void {
  const r = Math.hypot(w, h) / 2;
  const shade = g.createRadialGradient(w / 2, h / 2, r * 0.45, w / 2, h / 2, r);
  shade.addColorStop(0, color.replace(/[\d.]+\)$/, '0)'));
  shade.addColorStop(1, color);
  g.fillStyle = shade;
  g.fillRect(0, 0, w, h);
}

function noir(canvas: Canvas, g: SKRSContext2D, w: number, h: number): void {
  // grey, harder, and lifted: a night scene must still show its shapes
  refilter(canvas, g, 'grayscale(100%) brightness(125%) contrast(135%)');
  vignette(g, w, h, 'rgba(0,0,0,0.55)');
}

/** A ragged blob: a circle whose radius wanders, as a wash dries unevenly. */
function blob(g: SKRSContext2D, look: CardLook, x: number, y: number, r: number): void {
  const points = 18;
  const radii = Array.from({ length: points }, () => r * (0.75 + look.random() * 0.4));
  g.beginPath();
  for (let i = 0; i <= points; i++) {
    const a = (i / points) * Math.PI * 2;
    const rr = radii[i % points]!;
    if (i === 0) g.moveTo(x + rr, y);
    else g.lineTo(x + Math.cos(a) * rr, y + Math.sin(a) * rr);
  }
  g.closePath();
}

function watercolor(canvas: Canvas, g: SKRSContext2D, look: CardLook, w: number, h: number): void {
  const unit = Math.min(w, h);
  g.save();
  // washes: ragged blooms of pigment laid over each other, a darker rim where each one dried
  g.globalCompositeOperation = 'multiply';
  g.lineJoin = 'round';
  for (let i = 0; i < 10; i++) {
    const hue = Math.round(look.random() * 360);
    blob(g, look, look.random() * w, look.random() * h, unit * (0.12 + look.random() * 0.22));
    g.fillStyle = `hsla(${hue}, 30%, 82%, 0.35)`;
    g.fill();
    g.strokeStyle = `hsla(${hue}, 35%, 62%, 0.35)`;
    g.lineWidth = unit * 0.006;
    g.stroke();
  }
  g.restore();
  // wet edges: the shapes run a little into each other
  refilter(canvas, g, `blur(${Math.max(1, Math.round(unit * 0.004))}px)`);
  g.save();
  // the paper: its grain everywhere, and white showing at the edges
  g.globalCompositeOperation = 'multiply';
  g.globalAlpha = 0.3;
  g.fillStyle = g.createPattern(grain(), 'repeat')!;
  g.fillRect(0, 0, w, h);
  g.restore();
  vignette(g, w, h, 'rgba(250,248,240,0.75)');
}

function storybook(g: SKRSContext2D, look: CardLook, w: number, h: number): void {
  const unit = Math.min(w, h);
  g.save();
  // warm friendly colours: everything, the things in the scene too, seen in a warm light
  g.globalCompositeOperation = 'multiply';
  g.fillStyle = 'rgb(255, 226, 180)';
  g.fillRect(0, 0, w, h);
  // gouache: short brush strokes, mostly sideways, a little lighter or darker than what they cover
  g.globalCompositeOperation = 'soft-light';
  g.lineCap = 'round';
  for (let i = 0; i < 420; i++) {
    const x = look.random() * w;
    const y = look.random() * h;
    const len = unit * (0.02 + look.random() * 0.035);
    const angle = (look.random() - 0.5) * 0.6;
    g.lineWidth = unit * (0.008 + look.random() * 0.01);
    g.strokeStyle = look.random() < 0.5 ? 'rgba(255,240,210,0.35)' : 'rgba(90,50,20,0.3)';
    g.beginPath();
    g.moveTo(x, y);
    g.lineTo(x + Math.cos(angle) * len, y + Math.sin(angle) * len);
    g.stroke();
  }
  // the weave of the board it is painted on
  g.globalCompositeOperation = 'overlay';
  g.globalAlpha = 0.2;
  g.fillStyle = g.createPattern(grain(), 'repeat')!;
  g.fillRect(0, 0, w, h);
  g.restore();
  vignette(g, w, h, 'rgba(120,70,20,0.3)');
}

function anime(canvas: Canvas, g: SKRSContext2D): void {
  refilter(canvas, g, 'saturate(170%) contrast(115%)');
}

/** The style's finish over a painted card (cinematic and pixel have none). */
export function finishCard(style: StyleName, canvas: Canvas, look: CardLook, w: number, h: number): void {
  const g = canvas.getContext('2d');
  if (style === 'noir') noir(canvas, g, w, h);
  else if (style === 'watercolor') watercolor(canvas, g, look, w, h);
  else if (style === 'storybook') storybook(g, look, w, h);
  else if (style === 'anime') anime(canvas, g);
}

/** Pixel art's block: 4 pixels per 360 of the short side (8 at 720p), never less than 4. */
export function pixelBlock(w: number, h: number): number {
  return 4 * Math.max(1, Math.round(Math.min(w, h) / 360));
}

const DITHER = 0.5;
/** 4x4 ordered dithering thresholds, centred on zero. */
const BAYER = [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5].map((v) => ((v + 0.5) / 16 - 0.5) * DITHER);
/** Each channel in 6 levels: the 216 colours of a limited palette. */
const STEP = 255 / 5;

/**
 * Enlarge a small painted card (`small`, the full size divided by `block`, rounded up) onto
 * `target` as solid blocks, its colours dithered down to a limited palette.
 */
export function pixelate(small: Canvas, target: Canvas, block: number): void {
  const sw = small.width;
  const sh = small.height;
  const from = small.getContext('2d').getImageData(0, 0, sw, sh).data;
  const { width: w, height: h } = target;
  const g = target.getContext('2d');
  const image = g.createImageData(w, h);
  const out = new Uint32Array(image.data.buffer);
  const colours = new Uint32Array(sw * sh);
  const little = new Uint8Array(colours.buffer);
  for (let y = 0; y < sh; y++) {
    for (let x = 0; x < sw; x++) {
      const i = (y * sw + x) * 4;
      const d = BAYER[(y % 4) * 4 + (x % 4)]!;
      for (let c = 0; c < 3; c++) little[i + c] = Math.round(Math.min(5, Math.max(0, from[i + c]! / STEP + d))) * STEP;
      little[i + 3] = 255;
    }
  }
  for (let y = 0; y < h; y++) {
    const row = ((y / block) | 0) * sw;
    for (let x = 0; x < w; x++) out[y * w + x] = colours[row + ((x / block) | 0)]!;
  }
  g.putImageData(image, 0, 0);
}
