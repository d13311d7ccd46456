/**
 * The story's title as a card over the first scene's picture: big, bold, outlined, centred, fading
 * in and out. ASS events for the caption file of the clip that holds scene 0 (caption-ass.ts);
 * they carry their own look in override tags, so they need no style of their own.
 */
import type { CaptionPosition } from '../core/story.js';
import { escapeAssText, withEmojiFont, assTime } from './caption-ass.js';
import { captionTextWidth, FONT_SCALE } from './captions.js';
import { isMostlyRtl } from '../core/language.js';

/** The title is this much bigger than the captions. */
const TITLE_SCALE = 1.5;
const FADE_MS = 300;

export interface TitleCardOptions {
  width: number;
  height: number;
  start: number;
  end: number;
  /** Where the captions are: the card keeps out of their way (upper third when they are in the middle). */
  position?: CaptionPosition;
}

export function titleCardEvents(title: string, o: TitleCardOptions): string[] {
  const text = title.replace(/\s+/gu, ' ').trim();
  if (!text || o.end - o.start < 0.2) return [];
  const side = Math.min(o.width, o.height);
  const margin = Math.round(o.width * 0.1);
  // A long title steps down in size to fit in three lines at most.
  const lineWidth = (o.width - 2 * margin) / (side * FONT_SCALE * TITLE_SCALE);
  const shrink = Math.min(1, (3 * lineWidth) / Math.max(1, captionTextWidth(text) * 1.15));
  const size = Math.round(side * FONT_SCALE * TITLE_SCALE * shrink);
  const outline = Math.max(3, Math.round(size * 0.1));
  const fade = Math.min(FADE_MS, Math.round(((o.end - o.start) * 1000) / 3));
  const [alignment, marginV] = o.position === 'middle' ? [8, Math.round(o.height * 0.2)] : [5, 0];
  const rtl = isMostlyRtl(text);
  const body = withEmojiFont(escapeAssText(text));
  const tags = `{\\an${alignment}\\fs${size}\\bord${outline}\\shad${Math.round(outline / 2)}\\b1\\fad(${fade},${fade})}`;
  return [
    `Dialogue: 1,${assTime(o.start)},${assTime(o.end)},Caption,,${margin},${margin},${marginV},,${tags}${rtl ? `\u202B${body}\u202C` : body}`,
  ];
}
