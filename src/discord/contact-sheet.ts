/**
 * The live preview of a working job: a contact sheet of its scenes in order, each tile the scene's
 * image as soon as it exists (a calm placeholder before), its number in a corner, and a stand-in
 * marked as such. Painted with @napi-rs/canvas: images are decoded and shrunk to a tile once, when
 * they arrive; a sheet then only draws at most 20 small tiles (a few ms) and is JPEG-encoded off
 * the event loop (`canvas.encode` runs on libuv's thread pool). The story's cast, when its portraits
 * were drawn (issue 21), comes first: a strip of small square portraits with their names above the scenes.
 *
 * Sizes: a 9:16 tile is 144x256, so 20 scenes make a 5x4 sheet of 756x1064: about 60-150 KB at
 * quality 78, well under the 300 KB promised; a bigger result is encoded again at a lower quality.
 */
import { createCanvas, loadImage, type Canvas } from '@napi-rs/canvas';
import type { Aspect } from '../core/story.js';

export const SHEET_MAX_BYTES = 300 * 1024;
const TILE: Record<Aspect, { w: number; h: number }> = {
  '9:16': { w: 144, h: 256 },
  '16:9': { w: 256, h: 144 },
  '1:1': { w: 192, h: 192 },
};
/** Sheets stay about 1,000 px wide: 5 portrait, 4 square or 3 landscape tiles a row. */
const MAX_COLUMNS: Record<Aspect, number> = { '9:16': 5, '16:9': 3, '1:1': 4 };
const GAP = 6;
export const SHEET_COLORS = { background: '#1e1f22', placeholder: '#3a3d44', standIn: '#f0b232' } as const;
const FONT = '"Noto Sans", "DejaVu Sans", sans-serif';

export interface SheetLayout {
  width: number;
  height: number;
  columns: number;
  tile: { w: number; h: number };
  /** Top-left corner of each scene's tile. */
  origins: { x: number; y: number }[];
}

export function sheetLayout(scenes: number, aspect: Aspect): SheetLayout {
  const tile = TILE[aspect];
  const columns = Math.max(1, Math.min(scenes, MAX_COLUMNS[aspect]));
  const rows = Math.max(1, Math.ceil(scenes / columns));
  const origins = Array.from({ length: scenes }, (_, i) => ({
    x: GAP + (i % columns) * (tile.w + GAP),
    y: GAP + Math.floor(i / columns) * (tile.h + GAP),
  }));
  return { width: GAP + columns * (tile.w + GAP), height: GAP + rows * (tile.h + GAP), columns, tile, origins };
}

/** One scene's image shrunk to its tile (cover: centred, cropped), done once when it arrives. */
export async function makeTile(image: Buffer, aspect: Aspect): Promise<Canvas> {
  const { w, h } = TILE[aspect];
  const img = await loadImage(image);
  const scale = Math.max(w / img.width, h / img.height);
  const dw = img.width * scale;
  const dh = img.height * scale;
  const tile = createCanvas(w, h);
  tile.getContext('2d').drawImage(img, (w - dw) / 2, (h - dh) / 2, dw, dh);
  return tile;
}

/** A cast portrait's tile: square, small (the strip adds 108 px to the sheet's height). */
export const CAST_TILE = 96;

/** A portrait shrunk to its square tile (cover), done once when it arrives. */
export async function makeCastTile(image: Buffer): Promise<Canvas> {
  const img = await loadImage(image);
  const scale = Math.max(CAST_TILE / img.width, CAST_TILE / img.height);
  const tile = createCanvas(CAST_TILE, CAST_TILE);
  tile
    .getContext('2d')
    .drawImage(img, (CAST_TILE - img.width * scale) / 2, (CAST_TILE - img.height * scale) / 2, img.width * scale, img.height * scale);
  return tile;
}

export interface CastTile {
  name: string;
  tile?: Canvas;
}

export interface SheetTile {
  tile?: Canvas;
  standIn?: boolean;
}

/**
 * Paints the sheet (synchronous, small) and encodes it (asynchronous, off the event loop).
 * `standInLabel` marks a stand-in tile, in the member's language.
 */
export async function paintContactSheet(
  aspect: Aspect,
  tiles: SheetTile[],
  cast: CastTile[] = [],
  standInLabel = 'stand-in',
): Promise<Buffer> {
  const layout = sheetLayout(tiles.length, aspect);
  const strip = cast.length > 0 ? CAST_TILE + GAP : 0;
  const width = Math.max(layout.width, GAP + cast.length * (CAST_TILE + GAP));
  const canvas = createCanvas(width, layout.height + strip);
  const g = canvas.getContext('2d');
  g.fillStyle = SHEET_COLORS.background;
  g.fillRect(0, 0, width, layout.height + strip);
  cast.forEach((c, i) => {
    const x = GAP + i * (CAST_TILE + GAP);
    if (c.tile) g.drawImage(c.tile, x, GAP, CAST_TILE, CAST_TILE);
    else {
      g.fillStyle = SHEET_COLORS.placeholder;
      g.fillRect(x, GAP, CAST_TILE, CAST_TILE);
    }
    g.fillStyle = 'rgba(0,0,0,0.7)';
    g.fillRect(x, GAP + CAST_TILE - 20, CAST_TILE, 20);
    g.fillStyle = '#ffffff';
    g.font = `600 13px ${FONT}`;
    g.textBaseline = 'middle';
    g.fillText(c.name, x + 5, GAP + CAST_TILE - 10, CAST_TILE - 10);
  });
  const { w, h } = layout.tile;
  tiles.forEach((t, i) => {
    const x = layout.origins[i]!.x;
    const y = layout.origins[i]!.y + strip;
    if (t.tile) g.drawImage(t.tile, x, y, w, h);
    else {
      g.fillStyle = SHEET_COLORS.placeholder;
      g.fillRect(x, y, w, h);
    }
    // The scene number, in a dark badge so it reads on any image.
    const label = String(i + 1);
    g.font = `700 22px ${FONT}`;
    const bw = Math.ceil(g.measureText(label).width) + 14;
    g.fillStyle = 'rgba(0,0,0,0.7)';
    g.fillRect(x + 4, y + 4, bw, 30);
    g.fillStyle = '#ffffff';
    g.textBaseline = 'middle';
    g.fillText(label, x + 11, y + 20);
    if (t.standIn) {
      g.fillStyle = SHEET_COLORS.standIn;
      g.fillRect(x, y + h - 24, w, 24);
      g.fillStyle = '#1e1f22';
      g.font = `700 14px ${FONT}`;
      g.fillText(standInLabel, x + 8, y + h - 12, w - 16);
    }
  });
  for (const quality of [78, 60, 45]) {
    const jpeg = await canvas.encode('jpeg', quality);
    if (jpeg.length <= SHEET_MAX_BYTES) return jpeg;
  }
  throw new Error(`the contact sheet came out over ${SHEET_MAX_BYTES} bytes even at quality 45`);
}
