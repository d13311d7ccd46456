/**
 * `npm run bench`'s motion section (issue 20): shots of a textured picture (smoothed noise, so
 * phase correlation has detail everywhere) rendered by storyreel's own clip arguments with the
 * moves the seeds choose, decoded to gray, and measured frame pair by frame pair
 * (motion-smoothness.ts). Targets: held <= 5%, uneven <= 8%.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { EncodingPlan } from '../core/timeline.js';
import { buildBatchClipArgs } from '../media/clip-args.js';
import { runFfmpeg } from '../media/run.js';
import { chooseMotion } from '../engine/timeline.js';
import { frameShifts, smoothnessOf, type Smoothness } from './motion-smoothness.js';

/** The square measured at the frame's centre, px (a power of two). */
const SIDE = 256;

export interface MotionReport {
  shots: number;
  framesPerShot: number;
  /** Over every frame pair of every shot. */
  held: number;
  uneven: number;
  /** The worst shot's shares. */
  worstHeld: number;
  worstUneven: number;
  meanShiftPx: number;
  targets: { held: number; uneven: number };
}

/** A picture with detail everywhere: gray noise, blurred a little, at the image providers' size. */
export async function writeTexture(ffmpeg: string, out: string, width: number, height: number): Promise<void> {
  await runFfmpeg(ffmpeg, [
    '-f',
    'lavfi',
    '-i',
    `nullsrc=s=${width}x${height}:r=1,geq=lum='random(1)*255':cb=128:cr=128,gblur=sigma=4`,
    '-frames:v',
    '1',
    out,
  ]);
}

/** The gray SIDE x SIDE centre of every frame of a video. */
export async function grayCentreFrames(ffmpeg: string, video: string): Promise<Uint8Array[]> {
  const { stdout } = await promisify(execFile)(
    ffmpeg,
    ['-v', 'error', '-i', video, '-vf', `crop=${SIDE}:${SIDE}`, '-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'gray', '-'],
    { encoding: 'buffer', maxBuffer: 1024 * 1024 * 1024 },
  );
  const size = SIDE * SIDE;
  return Array.from(
    { length: Math.floor(stdout.length / size) },
    (_, i) => new Uint8Array(stdout.buffer, stdout.byteOffset + i * size, size),
  );
}

/** Shifts of one rendered shot, frame pair by frame pair (px). */
export async function shotSmoothness(ffmpeg: string, video: string): Promise<Smoothness> {
  return smoothnessOf(frameShifts(await grayCentreFrames(ffmpeg, video), SIDE));
}

export async function measureMotion(input: {
  ffmpeg: string;
  dir: string;
  plan: EncodingPlan;
  seeds: number[];
  seconds: number;
  texture?: string;
}): Promise<MotionReport> {
  const { ffmpeg, dir, plan } = input;
  const texture = input.texture ?? join(dir, 'texture.png');
  if (!input.texture) await writeTexture(ffmpeg, texture, 768, 1344);
  const frames = Math.round(input.seconds * plan.fps);
  const shots: Smoothness[] = [];
  for (const seed of input.seeds) {
    const out = join(dir, `motion-${seed}.mp4`);
    await runFfmpeg(
      ffmpeg,
      buildBatchClipArgs({ scenes: [{ image: texture, frames, motion: chooseMotion(seed) }], transitionFrames: 0, plan, out }),
    );
    shots.push(await shotSmoothness(ffmpeg, out));
  }
  const pairs = shots.reduce((n, s) => n + s.frames - 1, 0);
  const share = (key: 'held' | 'uneven') => shots.reduce((n, s) => n + s[key] * (s.frames - 1), 0) / pairs;
  const round = (n: number) => Number(n.toFixed(4));
  return {
    shots: shots.length,
    framesPerShot: frames,
    held: round(share('held')),
    uneven: round(share('uneven')),
    worstHeld: round(Math.max(...shots.map((s) => s.held))),
    worstUneven: round(Math.max(...shots.map((s) => s.uneven))),
    meanShiftPx: round(shots.reduce((n, s) => n + s.meanShift, 0) / shots.length),
    targets: { held: 0.05, uneven: 0.08 },
  };
}

export function formatMotion(m: MotionReport): string {
  const pct = (n: number) => `${(n * 100).toFixed(1)} %`;
  return (
    `motion (${m.shots} shots of ${m.framesPerShot} frames, textured picture): held ${pct(m.held)} (worst shot ${pct(m.worstHeld)}, target <= 5 %), ` +
    `uneven ${pct(m.uneven)} (worst ${pct(m.worstUneven)}, target <= 8 %), mean shift ${m.meanShiftPx} px/frame\n`
  );
}
