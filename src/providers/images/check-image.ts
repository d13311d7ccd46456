/**
 * A 200 is not proof of an image: rate-limited requests have been answered with an HTML page or a
 * tiny placeholder. Check the content type, the magic bytes, and the dimensions in the header.
 */
import type { GeneratedImage } from '../types.js';

export type ImageCheck = { ok: true; image: GeneratedImage } | { ok: false; reason: string };

/** Smallest image accepted: placeholders are small. */
export const MIN_SIDE = 256;
export const MIN_BYTES = 2048;

function pngSize(b: Buffer): [number, number] | undefined {
  if (b.length < 24 || b.readUInt32BE(0) !== 0x89504e47 || b.toString('ascii', 12, 16) !== 'IHDR') return undefined;
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

function jpegSize(b: Buffer): [number, number] | undefined {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return undefined;
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1]!;
    const length = b.readUInt16BE(i + 2);
    // SOF0..SOF15 except DHT (C4), JPG (C8), DAC (CC)
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) return [b.readUInt16BE(i + 7), b.readUInt16BE(i + 5)];
    i += 2 + length;
  }
  return undefined;
}

function webpSize(b: Buffer): [number, number] | undefined {
  if (b.length < 30 || b.toString('ascii', 0, 4) !== 'RIFF' || b.toString('ascii', 8, 12) !== 'WEBP') return undefined;
  const chunk = b.toString('ascii', 12, 16);
  if (chunk === 'VP8 ') return [b.readUInt16LE(26) & 0x3fff, b.readUInt16LE(28) & 0x3fff];
  if (chunk === 'VP8L') {
    const bits = b.readUInt32LE(21);
    return [(bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1];
  }
  if (chunk === 'VP8X') return [1 + b.readUIntLE(24, 3), 1 + b.readUIntLE(27, 3)];
  return undefined;
}

export function checkImage(bytes: Buffer, contentType: string): ImageCheck {
  if (!contentType.startsWith('image/')) return { ok: false, reason: `not an image (content type ${contentType || 'missing'})` };
  const kinds = [
    ['image/png', pngSize(bytes)],
    ['image/jpeg', jpegSize(bytes)],
    ['image/webp', webpSize(bytes)],
  ] as const;
  const found = kinds.find(([, size]) => size !== undefined);
  if (!found) return { ok: false, reason: 'the bytes are not a PNG, JPEG or WebP image' };
  const [mime, size] = found;
  const [width, height] = size!;
  if (width < MIN_SIDE || height < MIN_SIDE || bytes.length < MIN_BYTES) {
    return { ok: false, reason: `a placeholder, not a scene (${width}x${height}, ${bytes.length} bytes)` };
  }
  return { ok: true, image: { bytes, mime, width, height } };
}
