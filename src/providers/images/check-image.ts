/**
 * A 200 is not proof of an image: rate-limited requests have been answered with an HTML page or a
 * tiny placeholder. Check the content type, the magic bytes, that the file is whole, and the
 * dimensions written in its header (PNG IHDR, JPEG SOF, WebP VP8/VP8L/VP8X). Pure: bytes in, verdict out.
 */
import type { GeneratedImage } from '../types.js';

export type ImageCheck = { ok: true; image: GeneratedImage } | { ok: false; reason: string };

export interface ImageHeader {
  mime: GeneratedImage['mime'];
  width: number;
  height: number;
  /** The end-of-file marker is where it belongs (not cut off in transit). */
  complete: boolean;
}

/** Smallest image accepted as a scene: placeholders are small. */
export const MIN_SIDE = 256;
export const MIN_BYTES = 2048;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function png(b: Buffer): ImageHeader | undefined {
  if (b.length < 33 || !b.subarray(0, 8).equals(PNG_SIGNATURE) || b.toString('ascii', 12, 16) !== 'IHDR') return undefined;
  const complete = b.length >= 12 && b.toString('ascii', b.length - 8, b.length - 4) === 'IEND';
  return { mime: 'image/png', width: b.readUInt32BE(16), height: b.readUInt32BE(20), complete };
}

/** SOF0-SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range. */
const isStartOfFrame = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
/** Markers with no length field: TEM, RST0-7, SOI. */
const isStandalone = (m: number) => m === 0x01 || (m >= 0xd0 && m <= 0xd8);

function jpeg(b: Buffer): ImageHeader | undefined {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8 || b[2] !== 0xff) return undefined;
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return undefined;
    while (b[i + 1] === 0xff) i++; // fill bytes
    const marker = b[i + 1]!;
    if (isStandalone(marker)) {
      i += 2;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return undefined; // scan data or end before any frame header
    if (i + 9 > b.length) return undefined;
    if (isStartOfFrame(marker)) {
      // Trailing zero padding after EOI happens; look for FF D9 near the end.
      const complete = b.subarray(Math.max(0, b.length - 64)).includes(Buffer.from([0xff, 0xd9]));
      return { mime: 'image/jpeg', width: b.readUInt16BE(i + 7), height: b.readUInt16BE(i + 5), complete };
    }
    i += 2 + b.readUInt16BE(i + 2);
  }
  return undefined;
}

function webp(b: Buffer): ImageHeader | undefined {
  if (b.length < 30 || b.toString('ascii', 0, 4) !== 'RIFF' || b.toString('ascii', 8, 12) !== 'WEBP') return undefined;
  const complete = b.readUInt32LE(4) + 8 <= b.length;
  const chunk = b.toString('ascii', 12, 16);
  if (chunk === 'VP8 ' && b[23] === 0x9d && b[24] === 0x01 && b[25] === 0x2a) {
    return { mime: 'image/webp', width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff, complete };
  }
  if (chunk === 'VP8L' && b[20] === 0x2f) {
    const bits = b.readUInt32LE(21);
    return { mime: 'image/webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1, complete };
  }
  if (chunk === 'VP8X') return { mime: 'image/webp', width: 1 + b.readUIntLE(24, 3), height: 1 + b.readUIntLE(27, 3), complete };
  return undefined;
}

/** Format and dimensions from the first bytes, or undefined when they are not a PNG, JPEG or WebP. */
export function readImageHeader(bytes: Buffer): ImageHeader | undefined {
  return png(bytes) ?? jpeg(bytes) ?? webp(bytes);
}

function looksLike(bytes: Buffer): string {
  const head = bytes.toString('utf8', 0, Math.min(bytes.length, 256)).trimStart();
  if (/^<(!doctype|html|head|body)/i.test(head)) return 'an HTML page';
  if (/^[{[]/.test(head)) return 'JSON';
  if (bytes.length === 0) return 'an empty body';
  return 'something else';
}

export function checkImage(bytes: Buffer, contentType: string): ImageCheck {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (!type.startsWith('image/')) {
    return { ok: false, reason: `not an image (content type ${type || 'missing'}, ${looksLike(bytes)})` };
  }
  const header = readImageHeader(bytes);
  if (!header) return { ok: false, reason: `not an image (the bytes are ${looksLike(bytes)}, not a PNG, JPEG or WebP)` };
  const { mime, width, height } = header;
  if (!header.complete) return { ok: false, reason: `a cut-off ${mime.slice(6).toUpperCase()} (${bytes.length} bytes)` };
  if (width < MIN_SIDE || height < MIN_SIDE || bytes.length < MIN_BYTES) {
    return { ok: false, reason: `a placeholder, not a scene (${width}x${height}, ${bytes.length} bytes)` };
  }
  return { ok: true, image: { bytes, mime, width, height } };
}
