/**
 * Where the captions land in real renders: the engine (offline picture, espeak voice, real ffmpeg
 * and libass) renders the same scene with and without captions; the pixels that differ are the
 * caption box. It must sit inside the platforms' safe zone: left >= 6% of the width, right <= 90%,
 * bottom <= 80% of the height in 9:16 (<= 90% in 16:9 and 1:1), for every position.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Engine } from '../../src/engine/create-engine.js';
import { offlineEngine } from '../support/offline-engine.js';
import { resolveFfmpeg } from '../../src/media/binaries.js';
import type { Aspect, CaptionMode, CaptionPosition } from '../../src/core/story.js';
import type { Frame } from './burn-frame.js';
import { FONT_SCALE } from '../../src/engine/captions.js';

// Four long words: the widest caption chunk there is, two lines in a portrait frame.
const STORY = 'Extraordinary marvellous wonderful adventures.';
const { ffmpeg } = resolveFfmpeg();
let dir: string;
let engine: Engine;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storyreel-safe-zone-'));
  engine = offlineEngine();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function frameAt(aspect: Aspect, captions: CaptionMode, position?: CaptionPosition): Promise<Frame> {
  const out = join(dir, `${aspect.replace(':', 'x')}-${captions}-${position ?? 'default'}.mp4`);
  const r = await engine.render({
    story: STORY,
    out,
    options: { aspect, scenes: 1, maxBytes: 2_000_000, seed: 3, captions, captionsPosition: position },
  });
  const args = ['-v', 'error', '-i', out, '-ss', '1.000', '-frames:v', '1', '-pix_fmt', 'rgb24', '-f', 'rawvideo', '-'];
  const { stdout } = await promisify(execFile)(ffmpeg, args, { encoding: 'buffer', maxBuffer: 4 * r.width * r.height });
  return { width: r.width, height: r.height, rgb: stdout };
}

/** Box of the pixels that differ clearly between two frames (the captions), ignoring encoding noise. */
function diffBox(a: Frame, b: Frame) {
  let [x0, x1, y0, y1] = [Infinity, -1, Infinity, -1];
  for (let y = 0; y < a.height; y++)
    for (let x = 0; x < a.width; x++) {
      const i = (y * a.width + x) * 3;
      const d = Math.max(Math.abs(a.rgb[i]! - b.rgb[i]!), Math.abs(a.rgb[i + 1]! - b.rgb[i + 1]!), Math.abs(a.rgb[i + 2]! - b.rgb[i + 2]!));
      if (d <= 60) continue;
      [x0, x1, y0, y1] = [Math.min(x0, x), Math.max(x1, x), Math.min(y0, y), Math.max(y1, y)];
    }
  return x1 < 0 ? undefined : { x0: x0 / a.width, x1: (x1 + 1) / a.width, y0: y0 / a.height, y1: (y1 + 1) / a.height };
}

describe('captions inside the safe zone (frames with and without captions)', () => {
  for (const aspect of ['9:16', '16:9', '1:1'] as const) {
    it(`${aspect}: bottom (default), middle and top`, async () => {
      const bare = await frameAt(aspect, 'none');
      const bottomLimit = aspect === '9:16' ? 0.8 : 0.9;
      const boxes: Record<string, NonNullable<ReturnType<typeof diffBox>>> = {};
      for (const position of [undefined, 'middle', 'top'] as const) {
        const box = diffBox(await frameAt(aspect, 'plain', position), bare);
        expect(box, `${position ?? 'default'}: captions drawn`).toBeDefined();
        expect(box!.x0, `${position ?? 'default'} left`).toBeGreaterThanOrEqual(0.06);
        expect(box!.x1, `${position ?? 'default'} right`).toBeLessThanOrEqual(0.9);
        expect(box!.y1, `${position ?? 'default'} bottom`).toBeLessThanOrEqual(bottomLimit);
        // At most two lines: Noto Sans lines are 1.36 font sizes apart, three would be over 4 tall
        const fontSize = FONT_SCALE * Math.min(bare.width, bare.height);
        expect(((box!.y1 - box!.y0) * bare.height) / fontSize, `${position ?? 'default'} lines`).toBeLessThan(3.4);
        boxes[position ?? 'bottom'] = box!;
      }
      // Each position is where it says: the default low, middle around the centre, top high.
      expect(boxes.bottom!.y0).toBeGreaterThan(0.55);
      expect((boxes.middle!.y0 + boxes.middle!.y1) / 2).toBeGreaterThan(0.4);
      expect((boxes.middle!.y0 + boxes.middle!.y1) / 2).toBeLessThan(0.6);
      expect(boxes.top!.y1).toBeLessThan(0.45);
      expect(boxes.top!.y0).toBeGreaterThan(0.05);
    }, 120_000);
  }
});
