/**
 * The parts of a scene card read from its words (scene-reading.ts): the setting (a city skyline, a
 * room with a window on the sky, snow; the sea and the forest are scene-motifs.ts painters), the
 * things it names drawn large as colour pictographs (Noto Color Emoji through Skia), the story's
 * characters at their own places, and the weather over all. Everything solid keeps inside the
 * middle 15%-85% across, the part of the frame the clip's pan always shows.
 */
import { existsSync } from 'node:fs';
import { GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';
import type { CardLook } from './scene-palette.js';
import type { SceneReading } from './scene-reading.js';
import type { Pictograph } from './pictographs.js';

const FAMILY = 'Noto Color Emoji';
/** Debian's fonts-noto-color-emoji. */
const FONT_FILE = '/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf';

let fontReady: boolean | undefined;
/** Whether colour emoji can be drawn here: the font found by fontconfig, or registered from its file. */
export function emojiFont(): boolean {
  if (fontReady !== undefined) return fontReady;
  const found = () => GlobalFonts.families.some((f) => f.family === FAMILY);
  if (!found() && existsSync(FONT_FILE)) GlobalFonts.registerFromPath(FONT_FILE, FAMILY);
  fontReady = found();
  return fontReady;
}

/** One pictograph, centred on x, standing on `base`, `size` pixels tall, with a soft shadow under it. */
function glyph(g: SKRSContext2D, emoji: string, x: number, base: number, size: number, shadow = true): void {
  if (shadow) {
    g.fillStyle = 'rgba(0, 0, 0, 0.25)';
    g.beginPath();
    g.ellipse(x, base - size * 0.02, size * 0.38, size * 0.07, 0, 0, Math.PI * 2);
    g.fill();
  }
  // a colour glyph is drawn through the fill's alpha: opaque, or it comes out faded
  g.fillStyle = '#000';
  g.font = `${Math.round(size)}px "${FAMILY}"`;
  g.textAlign = 'center';
  g.textBaseline = 'bottom';
  g.fillText(emoji, x, base + size * 0.1);
}

/** Birds, aircraft and the things of the sky fly: drawn high, with no shadow. */
const flies = (p: Pictograph) => p.subgroup === 35 || p.subgroup === 56 || p.subgroup === 59;

function city(g: SKRSContext2D, look: CardLook, w: number, h: number): void {
  const ground = h * 0.8;
  const night = look.stars;
  for (let i = 0; i < 14; i++) {
    const bw = w * (0.05 + look.random() * 0.05);
    const x = (i / 14) * w * 1.05 - bw * 0.3;
    const top = h * (0.3 + look.random() * 0.3);
    g.fillStyle = night ? `hsl(230, 20%, ${10 + (i % 3) * 4}%)` : `hsl(215, 15%, ${38 + (i % 3) * 8}%)`;
    g.fillRect(x, top, bw, ground - top);
    g.fillStyle = night ? 'rgba(255, 220, 130, 0.85)' : 'rgba(220, 235, 250, 0.55)';
    const cell = Math.max(3, bw / 5);
    for (let y = top + cell; y < ground - cell * 1.5; y += cell * 1.6) {
      for (let wx = x + cell * 0.6; wx < x + bw - cell; wx += cell * 1.4)
        if (look.random() < 0.55) g.fillRect(wx, y, cell * 0.7, cell * 0.8);
    }
  }
  g.fillStyle = night ? 'hsl(230, 15%, 12%)' : 'hsl(30, 8%, 40%)';
  g.fillRect(0, ground, w, h - ground);
}

function room(g: SKRSContext2D, look: CardLook, w: number, h: number): void {
  const floor = h * 0.78;
  // the wall with a window onto the sky already painted
  const win = { x: w * 0.3, y: h * 0.14, w: w * 0.4, h: h * 0.36 };
  g.fillStyle = look.stars ? 'hsl(30, 20%, 20%)' : 'hsl(35, 35%, 72%)';
  g.beginPath();
  g.rect(0, 0, w, floor);
  g.rect(win.x, win.y, win.w, win.h);
  g.fill('evenodd');
  g.strokeStyle = look.stars ? 'hsl(30, 25%, 12%)' : 'hsl(25, 30%, 35%)';
  g.lineWidth = Math.max(2, Math.min(w, h) * 0.012);
  g.strokeRect(win.x, win.y, win.w, win.h);
  g.beginPath();
  g.moveTo(win.x + win.w / 2, win.y);
  g.lineTo(win.x + win.w / 2, win.y + win.h);
  g.moveTo(win.x, win.y + win.h / 2);
  g.lineTo(win.x + win.w, win.y + win.h / 2);
  g.stroke();
  g.fillStyle = look.stars ? 'hsl(25, 30%, 14%)' : 'hsl(25, 40%, 45%)';
  g.fillRect(0, floor, w, h - floor);
  if (look.stars) {
    // lamplight
    const lamp = g.createRadialGradient(w / 2, h * 0.7, 0, w / 2, h * 0.7, Math.max(w, h) * 0.6);
    lamp.addColorStop(0, 'rgba(255, 200, 120, 0.3)');
    lamp.addColorStop(1, 'rgba(255, 200, 120, 0)');
    g.fillStyle = lamp;
    g.fillRect(0, 0, w, h);
  }
}

function snowfall(g: SKRSContext2D, look: CardLook, w: number, h: number): void {
  g.fillStyle = 'rgba(255, 255, 255, 0.85)';
  const unit = Math.min(w, h);
  for (let i = 0; i < 140; i++) {
    g.beginPath();
    g.arc(look.random() * w, look.random() * h, unit * (0.002 + look.random() * 0.004), 0, Math.PI * 2);
    g.fill();
  }
}

function fog(g: SKRSContext2D, w: number, h: number): void {
  const mist = g.createLinearGradient(0, h * 0.3, 0, h);
  mist.addColorStop(0, 'rgba(230, 232, 236, 0)');
  mist.addColorStop(1, 'rgba(230, 232, 236, 0.7)');
  g.fillStyle = mist;
  g.fillRect(0, 0, w, h);
}

/** The setting drawn over the sky and hills (sea and forest are scene-motifs.ts painters, called by the card). */
export function paintSetting(g: SKRSContext2D, reading: SceneReading, look: CardLook, w: number, h: number): void {
  if (reading.setting === 'city') city(g, look, w, h);
  else if (reading.setting === 'room') room(g, look, w, h);
}

/** Snow and fog over everything (rain and storms are scene-motifs.ts's rain). */
export function paintWeather(g: SKRSContext2D, reading: SceneReading, look: CardLook, w: number, h: number): void {
  if (reading.weather === 'snow' || reading.setting === 'snow') snowfall(g, look, w, h);
  if (reading.weather === 'fog') fog(g, w, h);
}

/** Places for props, as fractions of the width, away from where characters stand. */
const PROP_PLACES = [0.7, 0.3, 0.62, 0.38];

/** The scene's things and characters as large colour pictographs. */
export function paintPictographs(g: SKRSContext2D, reading: SceneReading, w: number, h: number): void {
  if (!emojiFont()) return;
  const unit = Math.min(w, h);
  const ground = h * (reading.setting === 'room' ? 0.9 : 0.88);
  const standing = reading.characters.map((c) => c.x);
  const free = PROP_PLACES.filter((x) => standing.every((s) => Math.abs(s - x) > 0.12));
  reading.props.forEach((prop, i) => {
    const x = free[i % Math.max(1, free.length)] ?? PROP_PLACES[i]!;
    const size = unit * 0.15;
    if (flies(prop)) glyph(g, prop.emoji, w * x, h * 0.3, size, false);
    else glyph(g, prop.emoji, w * x, ground - unit * 0.02, size);
  });
  const subject = reading.subject;
  if (subject) {
    // a tall frame has room above: the subject stands further back, larger, clear of the characters in front
    const tall = h > w * 1.2;
    const size = unit * (tall ? 0.5 : 0.34);
    if (flies(subject)) glyph(g, subject.emoji, w / 2, h * (tall ? 0.4 : 0.45), size, false);
    else glyph(g, subject.emoji, w / 2, tall ? ground - h * 0.13 : ground, size);
  }
  for (const character of reading.characters) glyph(g, character.emoji, w * character.x, ground + unit * 0.02, unit * 0.22);
}
