/**
 * The live preview shows the story's cast first (issue 21): a strip of square portraits with their
 * names above the scene tiles, painted for real with @napi-rs/canvas and read back from the JPEG.
 */
import { describe, expect, it } from 'vitest';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { CAST_TILE, makeCastTile, makeTile, paintContactSheet, sheetLayout } from '../../src/discord/contact-sheet.js';

function solid(color: string, w: number, h: number): Buffer {
  const c = createCanvas(w, h);
  const g = c.getContext('2d');
  g.fillStyle = color;
  g.fillRect(0, 0, w, h);
  return c.toBuffer('image/png');
}

async function pixel(jpeg: Buffer, x: number, y: number): Promise<number[]> {
  const img = await loadImage(jpeg);
  const c = createCanvas(img.width, img.height);
  const g = c.getContext('2d');
  g.drawImage(img, 0, 0);
  return [...g.getImageData(x, y, 1, 1).data.slice(0, 3)];
}

const near = (got: number[], want: number[]) => got.every((v, i) => Math.abs(v - want[i]!) < 40);

describe('the contact sheet with a cast', () => {
  it('portraits first, in a strip above the scenes, which move down by its height; no cast: the sheet as before', async () => {
    const portraits = [await makeCastTile(solid('#ff0000', 768, 768)), await makeCastTile(solid('#00ff00', 768, 768))];
    const scene = await makeTile(solid('#0000ff', 576, 1024), '9:16');
    const tiles = [{ tile: scene }, { tile: scene }, {}];
    const layout = sheetLayout(3, '9:16');

    const withCast = await paintContactSheet('9:16', tiles, [
      { name: 'Mara', tile: portraits[0] },
      { name: 'fox', tile: portraits[1] },
    ]);
    const img = await loadImage(withCast);
    expect([img.width, img.height]).toEqual([layout.width, layout.height + CAST_TILE + 6]);
    expect(near(await pixel(withCast, 6 + 48, 6 + 30), [255, 0, 0])).toBe(true);
    expect(near(await pixel(withCast, 6 + CAST_TILE + 6 + 48, 6 + 30), [0, 255, 0])).toBe(true);
    // the first scene tile, below the strip
    const first = layout.origins[0]!;
    expect(near(await pixel(withCast, first.x + 70, first.y + CAST_TILE + 6 + 128), [0, 0, 255])).toBe(true);

    const without = await loadImage(await paintContactSheet('9:16', tiles));
    expect([without.width, without.height]).toEqual([layout.width, layout.height]);
  });
});
