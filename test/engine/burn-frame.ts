/** Burn an ASS file over a black frame with the real ffmpeg + libass, and read the pixels back. */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { resolveFfmpeg } from '../../src/media/binaries.js';

export interface Frame {
  width: number;
  height: number;
  /** RGB, 3 bytes a pixel. */
  rgb: Buffer;
}

const { ffmpeg } = resolveFfmpeg();

/** The frame at `atSeconds` (100 fps, so 10 ms steps) of `ass` burned over black. */
export async function burnFrame(dir: string, ass: string, width: number, height: number, atSeconds = 0.5): Promise<Frame> {
  const name = `f-${Math.random().toString(36).slice(2)}.ass`;
  await writeFile(join(dir, name), ass, 'utf8');
  const args = [
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    `color=black:s=${width}x${height}:r=100:d=${atSeconds + 0.2}`,
    '-vf',
    `ass=${name}`,
    '-ss',
    atSeconds.toFixed(2),
    '-frames:v',
    '1',
    '-pix_fmt',
    'rgb24',
    '-f',
    'rawvideo',
    '-',
  ];
  const { stdout } = await promisify(execFile)(ffmpeg, args, { cwd: dir, encoding: 'buffer', maxBuffer: 4 * width * height });
  if (stdout.length !== width * height * 3) throw new Error(`expected ${width * height * 3} bytes, got ${stdout.length}`);
  return { width, height, rgb: stdout };
}

export function pixel(f: Frame, x: number, y: number): [number, number, number] {
  const i = (y * f.width + x) * 3;
  return [f.rgb[i]!, f.rgb[i + 1]!, f.rgb[i + 2]!];
}

/** Pixels that differ by more than `threshold` in any channel. */
export function differingPixels(a: Frame, b: Frame, threshold = 64): number {
  let n = 0;
  for (let i = 0; i < a.rgb.length; i += 3) {
    if (
      Math.abs(a.rgb[i]! - b.rgb[i]!) > threshold ||
      Math.abs(a.rgb[i + 1]! - b.rgb[i + 1]!) > threshold ||
      Math.abs(a.rgb[i + 2]! - b.rgb[i + 2]!) > threshold
    )
      n++;
  }
  return n;
}

/** Bounding box of the pixels `test` accepts, or undefined if none. */
export function boxOf(
  f: Frame,
  test: (rgb: [number, number, number]) => boolean,
): { x0: number; x1: number; y0: number; y1: number; count: number } | undefined {
  let [x0, x1, y0, y1, count] = [Infinity, -1, Infinity, -1, 0];
  for (let y = 0; y < f.height; y++) {
    for (let x = 0; x < f.width; x++) {
      if (!test(pixel(f, x, y))) continue;
      count++;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
  }
  return count === 0 ? undefined : { x0, x1, y0, y1, count };
}

export const lit = ([r, g, b]: [number, number, number]) => r + g + b > 3 * 128;

/** The karaoke gold (#FFD700) as libass blends it with the outline and H.264 keeps it: strong red and green, little blue. */
export const isGold = ([r, g, b]: [number, number, number]) => r > 200 && g > 160 && g < 240 && b < 90 && r - b > 150;
