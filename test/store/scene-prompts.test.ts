/**
 * Each scene's final image prompt and seed are kept (issue 16): a real offline render (local writer,
 * local cards, espeak-ng, ffmpeg) reports them in its sceneResults, seeds base + i; history stores
 * them as the bot saves them (saveProgress) in a real SQLite file and reads them back; rows written
 * before prompts were kept still read.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { offlineEngine } from '../support/offline-engine.js';
import { composeImagePrompt } from '../../src/engine/styles.js';
import { FRAMING, NO_TEXT, STYLES } from '../../src/core/image-prompt.js';
import { JobHistory } from '../../src/store/job-history.js';

let dir: string;
let history: JobHistory | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sr-prompts-'));
});
afterEach(async () => {
  history?.close();
  history = undefined;
  await rm(dir, { recursive: true, force: true });
});

const STORY = 'Mara lit the lamp on the rock. Mara did not wait for the letter; the lamp burned all night.';
const newJob = () => ({
  kind: 'story' as const,
  guildId: '111111111111111111',
  channelId: '222222222222222222',
  userId: '333333333333333333',
  story: STORY,
  options: { aspect: '1:1' as const, maxBytes: 2_000_000, scenes: 2, seed: 500 },
});

describe('final prompts and seeds', () => {
  it('a render reports each scene prompt and seed (base + i); history keeps them', async () => {
    const result = await offlineEngine({ workRoot: dir }).render({
      story: STORY,
      out: join(dir, 'prompts.mp4'),
      options: { aspect: '1:1', scenes: 2, maxBytes: 2_000_000, seed: 500 },
    });
    expect(result.seeds).toEqual([500, 501]);
    expect(result.script.visualBrief).toBe('Recurring in this story: Mara, lamp');
    const expected = result.script.scenes.map((s) => composeImagePrompt(s.imagePrompt, result.script.visualBrief, undefined, '1:1'));
    expect(result.sceneResults.map((s) => [s.seed, s.prompt])).toEqual([
      [500, expected[0]],
      [501, expected[1]],
    ]);
    expect(result.sceneResults[1]!.prompt).toBe(
      `Mara did not wait for the letter; the lamp burned all night. Recurring in this story: Mara, lamp. ${FRAMING['1:1']}. ${STYLES.cinematic}. ${NO_TEXT}.`,
    );

    history = new JobHistory(join(dir, 'storyreel.sqlite'));
    const { id } = history.create(newJob());
    history.markRunning(id);
    history.saveProgress(id, { seeds: result.seeds, script: result.script, sceneResults: result.sceneResults });
    const kept = history.get(id)!.sceneResults!;
    expect(kept.map((s) => ({ seed: s.seed, prompt: s.prompt }))).toEqual(
      result.sceneResults.map((s) => ({ seed: s.seed, prompt: s.prompt })),
    );
  });

  it('a row saved before prompts were kept still reads, without prompts', () => {
    const path = join(dir, 'storyreel.sqlite');
    history = new JobHistory(path);
    const { id } = history.create(newJob());
    const asset = { provider: 'local', cacheKey: 'ab'.repeat(32), cached: false, fallback: false };
    const old = [{ index: 0, seed: 500, seconds: 3, narrationSeconds: 2.5, image: asset, voice: { ...asset, silent: false } }];
    const db = new Database(path);
    db.prepare('UPDATE jobs SET scene_results = ? WHERE id = ?').run(JSON.stringify(old), id);
    db.close();
    const kept = history.get(id)!.sceneResults!;
    expect(kept).toHaveLength(1);
    expect(kept[0]!.seed).toBe(500);
    expect(kept[0]!.prompt).toBeUndefined();
  });
});
