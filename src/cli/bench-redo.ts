/**
 * `npm run bench:redo [-- --json] [--scenes N]`: the speed promise of Redo a scene (issue 13).
 * Renders the benchmark story (10 scenes by default) with the offline providers and a fresh disk
 * cache, then redoes its middle scene, and reports the redo's time from the moment its new image
 * arrived (the only new asset) to the finished MP4, against the full render's time. The promise:
 * at most a quarter.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { resolveFfmpeg } from '../media/binaries.js';
import { engineFromConfig } from '../engine-from-config.js';
import { redoScene } from '../engine/redo-scene.js';
import { benchStory } from './bench-story.js';

const seconds = (ms: number) => Number((ms / 1000).toFixed(2));

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, scenes: { type: 'string', default: '10' } } });
  const scenes = Number(values.scenes);
  if (!Number.isInteger(scenes) || scenes < 2 || scenes > 20) throw new Error('--scenes must be a whole number from 2 to 20');
  const dir = await mkdtemp(join(tmpdir(), 'storyreel-bench-redo-'));
  try {
    // Offline providers (local cards, espeak-ng, the local writer): no keys, so nothing leaves the machine.
    const config = loadConfig({ DATA_DIR: join(dir, 'data'), IMAGE_PROVIDER: 'local', VOICE_PROVIDER: 'espeak', SCENE_WRITER: 'local' });
    const engine = engineFromConfig(config, resolveFfmpeg());
    const story = benchStory(scenes);
    const options = { aspect: '9:16' as const, scenes, maxBytes: 10 * 1024 * 1024, seed: 1000 };
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
    const report = {
      scenes,
      redoScene: scene + 1,
      cpus: cpus().length,
      fullSeconds: seconds(full.timings.totalMs),
      redoSeconds: seconds(redo.timings.totalMs),
      redoAfterImageSeconds: seconds(afterImageMs),
      shareOfFull: Number((afterImageMs / full.timings.totalMs).toFixed(3)),
      promise: 0.25,
    };
    if (values.json) process.stdout.write(JSON.stringify(report) + '\n');
    else
      process.stdout.write(
        `redo scene ${report.redoScene} of ${scenes}: ${report.redoAfterImageSeconds} s after its new image arrived (${report.redoSeconds} s in all), ` +
          `full render ${report.fullSeconds} s: ${(report.shareOfFull * 100).toFixed(1)} % (promise: at most 25 %) on ${report.cpus} cores\n`,
      );
    if (report.shareOfFull > report.promise) process.exitCode = 1;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:redo: ${(error as Error).message}\n`);
  process.exit(1);
});
