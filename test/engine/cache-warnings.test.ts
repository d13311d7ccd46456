/**
 * A cache that cannot be used (here a file where its folder should be, the way a full disk or a
 * broken mount shows) never fails a job, and is said once per job and kind, not per asset and
 * not never (it used to be swallowed without a word).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { offlineEngine } from '../support/offline-engine.js';
import { useCapturedLogs } from '../support/captured-logs.js';
import { AssetCache } from '../../src/providers/cache.js';

const STORY = 'The fox found a lantern in the snow. It carried the light to the river.';
let dir: string;
const logs = useCapturedLogs();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sr-cache-warn-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('an asset cache that cannot be read or written', () => {
  it('the video is still made; one warning per job for reads and one for writes, not one per asset', async () => {
    const cacheDir = join(dir, 'cache');
    await writeFile(cacheDir, 'a file, not a folder');
    const engine = offlineEngine({ cache: new AssetCache({ dir: cacheDir, maxBytes: 1e8 }) });
    const render = (name: string) =>
      engine.render({ story: STORY, out: join(dir, `${name}.mp4`), options: { aspect: '1:1', scenes: 2, maxBytes: 1_000_000, seed: 1 } });
    const warnings = () => logs.filter((l) => / WARN \[cache\] /.test(l));

    const first = await render('first');
    expect(first.scenes).toBe(2);
    expect(first.sceneResults.every((s) => !s.image.cached && !s.voice.cached)).toBe(true);
    expect(existsSync(join(dir, 'first.mp4'))).toBe(true);
    // 2 scenes x (image + voice) = 4 failed reads and 4 failed writes: one line each.
    expect(warnings()).toHaveLength(2);
    expect(warnings()[0]).toMatch(
      /Cannot read the asset cache: ENOTDIR: not a directory.*; assets come from the providers instead \(said once per job\)\.$/,
    );
    expect(warnings()[1]).toMatch(
      /Cannot write the asset cache: (EEXIST|ENOTDIR).*; this job's assets are not cached \(said once per job\)\.$/,
    );

    // Once per job, not once per process: the next job says it again.
    await render('second');
    expect(warnings()).toHaveLength(4);
  });

  it('a working cache says nothing', async () => {
    const engine = offlineEngine({ cache: new AssetCache({ dir: join(dir, 'good-cache'), maxBytes: 1e8 }) });
    await engine.render({ story: STORY, out: join(dir, 'good.mp4'), options: { aspect: '1:1', scenes: 2, maxBytes: 1_000_000, seed: 1 } });
    expect(logs.filter((l) => /\[cache\]/.test(l))).toEqual([]);
  });
});
