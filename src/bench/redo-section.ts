/**
 * The speed promise of Redo a scene (issue 13): the benchmark story (10 scenes by default) rendered
 * with the offline providers and a fresh disk cache, then its middle scene redone; the redo's time
 * from the moment its new image arrived (the only new asset) to the finished MP4, against the full
 * render's time. The promise: at most a quarter.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config.js';
import { resolveFfmpeg } from '../media/binaries.js';
import { engineFromConfig } from '../engine-from-config.js';
import { redoScene } from '../engine/redo-scene.js';
import { benchStory } from './bench-story.js';

export interface RedoReport {
  scenes: number;
  /** 1-based, as the menu shows it. */
  redoScene: number;
  fullSeconds: number;
  redoSeconds: number;
  redoAfterImageSeconds: number;
  shareOfFull: number;
  promise: number;
}

const seconds = (ms: number) => Number((ms / 1000).toFixed(2));

export async function measureRedo(scenes = 10): Promise<RedoReport> {
  const dir = await mkdtemp(join(tmpdir(), 'storyreel-bench-redo-'));
  try {
    // Offline providers (local cards, espeak-ng, the local writer): no keys, nothing leaves the machine.
    const config = loadConfig({ DATA_DIR: join(dir, 'data'), IMAGE_PROVIDER: 'local', VOICE_PROVIDER: 'espeak', SCENE_WRITER: 'local' });
    const engine = engineFromConfig(config, resolveFfmpeg());
    const story = benchStory(scenes);
    const options = { aspect: '9:16' as const, scenes, maxBytes: config.limits.defaultMaxBytes, seed: 1000 };
    const full = await engine.render({ story, options, out: join(dir, 'full.mp4') });
    const scene = Math.floor(scenes / 2);
    const redo = await redoScene(engine.render, {
      story,
      options,
      script: full.script,
      seeds: full.seeds,
      scene,
      out: join(dir, 'redo.mp4'),
    });
    const afterImageMs = redo.timings.totalMs - redo.timings.lastAssetMs;
    return {
      scenes,
      redoScene: scene + 1,
      fullSeconds: seconds(full.timings.totalMs),
      redoSeconds: seconds(redo.timings.totalMs),
      redoAfterImageSeconds: seconds(afterImageMs),
      shareOfFull: Number((afterImageMs / full.timings.totalMs).toFixed(3)),
      promise: 0.25,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function formatRedo(r: RedoReport): string {
  return (
    `redo scene ${r.redoScene} of ${r.scenes}: ${r.redoAfterImageSeconds} s after its new image arrived (${r.redoSeconds} s in all), ` +
    `full render ${r.fullSeconds} s: ${(r.shareOfFull * 100).toFixed(1)} % (promise: at most 25 %)\n`
  );
}
