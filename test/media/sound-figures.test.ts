/**
 * The bench's sound figures (src/bench/sound-section.ts) on a known timeline: three 5 s scenes
 * whose narration starts after a 1.5 s lead-in and speaks 2.5 s. The bed alone is measured quieter
 * by the duck's depth while someone speaks, loudness comes from ffmpeg's ebur128, and the cost is
 * counted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveFfmpeg } from '../../src/media/binaries.js';
import { createWorkspace, type Workspace } from '../../src/engine/workspace.js';
import { duckingDepth, measureSound } from '../../src/bench/sound-section.js';
import { BED_LEVEL, renderSoundtrack } from '../../src/engine/soundtrack.js';
import { silentWav } from '../../src/engine/silence.js';

const ffmpeg = resolveFfmpeg();
let dir: string;
let workspace: Workspace;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storyreel-sound-figures-'));
  workspace = await createWorkspace(dir);
});
afterAll(async () => {
  await workspace.remove();
  await rm(dir, { recursive: true, force: true });
});

describe('the bench sound figures', () => {
  it('measure the duck, the loudness and the cost on a known timeline', async () => {
    const scenes = [0, 1, 2].map(() => ({ seconds: 5, lead: 1.5, spokenSeconds: 2.5 }));
    // a "video": the soundtrack of that timeline with silent narration and the calm bed
    const silent = join(dir, 'silent.wav');
    await writeFile(silent, silentWav(2.5));
    const video = join(dir, 'video.m4a');
    const ctx = { ffmpeg, workspace, musicDir: join(dir, 'music') };
    await renderSoundtrack(ctx, {
      parts: scenes.map(() => ({ path: silent, seconds: 5, lead: 1.5, spokenSeconds: 2.5 })),
      music: 'calm',
      audioKbps: 96,
      out: video,
    });
    const report = await measureSound({ ffmpeg, video, scenes, music: 'calm', musicDir: join(dir, 'music'), workspace, audioKbps: 96 });
    expect(report.ducking.depthDb).toBeGreaterThanOrEqual(6);
    expect(Math.abs(report.ducking.depthDb! - BED_LEVEL.duckDb)).toBeLessThanOrEqual(1.5);
    expect(report.ducking.betweenSeconds).toBeGreaterThan(2);
    // the same windows with nobody speaking: the duck takes the bed down by its depth
    expect(Math.abs(report.ducking.underSpeechDb! - BED_LEVEL.duckDb)).toBeLessThanOrEqual(1.5);
    // with only the bed in it, the master brings the bed itself to -14 LUFS
    expect(Math.abs(report.integratedLufs - -14)).toBeLessThanOrEqual(1);
    expect(report.truePeakDbtp).toBeLessThanOrEqual(-1);
    expect(report.cost.soundtrackCpuSeconds).toBeGreaterThan(0);
  });

  it('says when there is no pause to measure the bed in', () => {
    const bed = new Float32Array(48_000 * 4).fill(0.01);
    const d = duckingDepth(bed, 48_000, [{ start: 0, end: 4 }], 4);
    expect(d.depthDb).toBeUndefined();
    expect(d.speechDb).toBeCloseTo(-40, 1);
  });
});
