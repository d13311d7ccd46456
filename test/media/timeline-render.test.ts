import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Timeline } from '../../src/core/timeline.js';
import { buildTimelineArgs } from '../../src/media/timeline-args.js';
import { runFfmpeg } from '../../src/media/run.js';
import { probeMedia } from '../../src/media/probe.js';
import { resolveFfmpeg } from '../../src/media/binaries.js';
import { shotSmoothness, writeTexture } from '../../src/bench/motion-section.js';

const { ffmpeg, ffprobe } = resolveFfmpeg();
let dir: string;

/** A timeline written by hand, as JSON: two scenes of 2 s with a 0.3 s crossfade, a tone as narration after a 0.25 s lead-in. */
const timelineJson = (d: string) => `{
  "version": 1,
  "plan": { "width": 360, "height": 640, "fps": 24, "videoKbps": 1500, "audioKbps": 96 },
  "duration": 4,
  "scenes": [
    { "index": 0, "start": 0, "duration": 2, "image": { "path": "${d}/red.png" },
      "motion": { "from": { "zoom": 1.04, "x": 0.49, "y": 0.5 }, "to": { "zoom": 1.12, "x": 0.53, "y": 0.5 }, "easing": "gentle" },
      "narration": { "path": "${d}/tone.wav", "lead": 0.25, "seconds": 1, "text": "One." } },
    { "index": 1, "start": 2, "duration": 2, "image": { "path": "${d}/blue.png" },
      "motion": { "from": { "zoom": 1.12, "x": 0.5, "y": 0.46 }, "to": { "zoom": 1.04, "x": 0.5, "y": 0.51 }, "easing": "gentle" },
      "narration": { "path": "${d}/tone.wav", "lead": 0.25, "seconds": 1, "text": "Two." } }
  ],
  "transition": { "kind": "crossfade", "seconds": 0.3 },
  "captions": { "mode": "none", "rtl": false },
  "audio": { "music": { "kind": "none" }, "loudness": { "integratedLufs": -14, "truePeakDb": -1 } }
}`;

/** Mean R, G, B of every frame. */
async function frameColours(video: string): Promise<[number, number, number][]> {
  const { stdout } = await promisify(execFile)(
    ffmpeg,
    ['-v', 'error', '-i', video, '-vf', 'scale=8:8', '-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
    { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
  );
  const out: [number, number, number][] = [];
  for (let f = 0; f + 192 <= stdout.length; f += 192) {
    const sum = [0, 0, 0];
    for (let p = 0; p < 64; p++) for (let c = 0; c < 3; c++) sum[c]! += stdout[f + p * 3 + c]!;
    out.push(sum.map((s) => s / 64) as [number, number, number]);
  }
  return out;
}

/** Mean absolute sample per 1/24 s of the decoded narration. */
async function audioLevels(video: string): Promise<number[]> {
  const { stdout } = await promisify(execFile)(
    ffmpeg,
    ['-v', 'error', '-i', video, '-map', '0:a', '-f', 's16le', '-ac', '1', '-ar', '24000', '-'],
    {
      encoding: 'buffer',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const levels: number[] = [];
  for (let at = 0; at + 2000 <= stdout.length; at += 2000) {
    let sum = 0;
    for (let i = at; i < at + 2000; i += 2) sum += Math.abs(stdout.readInt16LE(i));
    levels.push(sum / 1000);
  }
  return levels;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storyreel-timeline-'));
  const still = (colour: string, name: string) =>
    execFileSync(ffmpeg, [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      `color=${colour}:s=384x672,noise=alls=20:allf=u`,
      '-frames:v',
      '1',
      join(dir, name),
    ]);
  still('0xC02020', 'red.png');
  still('0x2030C0', 'blue.png');
  execFileSync(ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', 'sine=f=440:d=1:r=48000', '-ac', '1', join(dir, 'tone.wav')]);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a Timeline written by hand', () => {
  it('renders to its frames and length, with the crossfade, no black between scenes, and each voice after its lead-in', async () => {
    const timeline = JSON.parse(timelineJson(dir)) as Timeline;
    const out = join(dir, 'hand.mp4');
    await runFfmpeg(ffmpeg, buildTimelineArgs(timeline, { out }));
    const info = await probeMedia(ffprobe, out);
    expect(info.video).toMatchObject({ width: 360, height: 640 });
    expect(info.durationSeconds).toBeCloseTo(4, 1);

    const colours = await frameColours(out);
    expect(colours).toHaveLength(96);
    const redness = colours.map(([r, , b]) => r - b);
    // scene 1 red, scene 2 blue, and over frames 48-54 (0.3 s) a crossfade: in between, neither
    expect(redness[40]).toBeGreaterThan(100);
    expect(redness[60]).toBeLessThan(-100);
    const mixed = redness.filter((d) => Math.abs(d) < 100).length;
    expect(mixed).toBeGreaterThanOrEqual(3);
    expect(mixed).toBeLessThanOrEqual(8);
    // never dark: no black gap at the cut
    for (const [r, g, b] of colours) expect(0.3 * r + 0.59 * g + 0.11 * b).toBeGreaterThan(40);

    // each scene's narration starts after its lead-in, not on the scene's first frame (1/24 s steps)
    const levels = await audioLevels(out);
    expect(levels[0]).toBeLessThan(50);
    expect(levels[48]).toBeLessThan(50);
    expect(levels[49]).toBeLessThan(50);
    expect(levels[10]).toBeGreaterThan(1000);
    expect(levels[60]).toBeGreaterThan(1000);
  });

  it('a shot of a textured still moves smoothly: no held frames, no uneven steps (phase correlation)', async () => {
    const texture = join(dir, 'texture.png');
    await writeTexture(ffmpeg, texture, 768, 1344);
    const timeline = JSON.parse(timelineJson(dir)) as Timeline;
    const one: Timeline = {
      ...timeline,
      plan: { width: 720, height: 1280, fps: 24, videoKbps: 1200, audioKbps: 96 },
      duration: 4,
      scenes: [{ ...timeline.scenes[0]!, duration: 4, image: { path: texture }, narration: undefined }],
    };
    const out = join(dir, 'textured.mp4');
    await runFfmpeg(ffmpeg, buildTimelineArgs(one, { out }));
    const motion = await shotSmoothness(ffmpeg, out);
    expect(motion.frames).toBe(96);
    expect(motion.meanShift).toBeGreaterThan(0.2);
    expect(motion.held).toBeLessThanOrEqual(0.05);
    expect(motion.uneven).toBeLessThanOrEqual(0.08);
  });
});
