/**
 * A fast PNG encoder for opaque cards: RGB rows filtered Up, deflated at a low zlib level. Skia's own PNG
 * encoder takes 80 ms for a plain 720p card and 270-310 ms for a textured one (watercolour grain,
 * gouache strokes), most of a card's budget; this one takes a fraction of that, for files a
 * little larger. Lossless: the decoded pixels are exactly the canvas's.
 */
import { crc32, deflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** RGBA pixels (alpha ignored: the card is opaque) as PNG bytes. */
export function encodePng(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, level = 2): Buffer {
  const stride = width * 3;
  const raw = Buffer.alloc((stride + 1) * height);
  // every row filtered "Up" (its difference from the row above): gradients and flat areas become
  // runs of zeros; one pass, no copies. (Choosing Up or Sub per row saved 2% of bytes for 40% more time.)
  for (let y = 0; y < height; y++) {
    let out = y * (stride + 1);
    raw[out++] = y === 0 ? 0 : 2;
    const row = y * width * 4;
    const above = row - width * 4;
    if (y === 0) {
      for (let i = row; i < row + width * 4; i += 4) {
        raw[out++] = rgba[i]!;
        raw[out++] = rgba[i + 1]!;
        raw[out++] = rgba[i + 2]!;
      }
    } else {
      for (let i = row, j = above; i < row + width * 4; i += 4, j += 4) {
        raw[out++] = rgba[i]! - rgba[j]!;
        raw[out++] = rgba[i + 1]! - rgba[j + 1]!;
        raw[out++] = rgba[i + 2]! - rgba[j + 2]!;
      }
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 2; // truecolour, no alpha
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(raw, { level })), chunk('IEND', Buffer.alloc(0))]);
}
