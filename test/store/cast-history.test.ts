/**
 * History keeps the cast (issue 21): an offline render reports its cast (the local writer's, no
 * portraits: nothing drawn), history stores the cast as drawn (name, description, portrait seed
 * and URL) in its own column and the script's cast (with portrait seeds, for a redo) with the
 * script, in a real SQLite file; a file from before the column opens, migrates and reads.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { offlineEngine } from '../support/offline-engine.js';
import { JobHistory } from '../../src/store/job-history.js';
import { MIGRATIONS, migrate } from '../../src/store/migrations.js';

let dir: string;
let history: JobHistory | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sr-cast-'));
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
const DRAWN = [
  { name: 'Mara', description: 'a woman in a yellow coat', seed: 100_500, url: 'https://image.pollinations.ai/prompt/Mara?seed=100500' },
  { name: 'lamp', description: 'a brass lamp', seed: 100_501, error: 'pollinations answered 500' },
];

describe('the cast in history', () => {
  it('an offline render lists its cast without portraits; history keeps the drawn cast and the script keeps its seeds', async () => {
    const result = await offlineEngine({ workRoot: dir }).render({
      story: STORY,
      out: join(dir, 'cast.mp4'),
      options: { aspect: '1:1', scenes: 2, maxBytes: 2_000_000, seed: 500 },
    });
    expect(result.cast).toEqual([
      { name: 'Mara', description: 'a person' },
      { name: 'lamp', description: 'a lamp' },
    ]);
    expect(result.referencesNote).toBeUndefined();

    history = new JobHistory(join(dir, 'storyreel.sqlite'));
    const { id } = history.create(newJob());
    history.markRunning(id);
    const script = { ...result.script, look: 'a rocky coast', cast: result.script.cast!.map((m, i) => ({ ...m, seed: 100_500 + i })) };
    history.saveProgress(id, { script, cast: DRAWN });
    const kept = history.get(id)!;
    expect(kept.cast).toEqual(DRAWN);
    expect(kept.script!.cast).toEqual(script.cast);
    expect(kept.script!.look).toBe('a rocky coast');
  });

  it('a file from before the cast column migrates; its jobs read without a cast', () => {
    const path = join(dir, 'old.sqlite');
    const raw = new Database(path);
    migrate(raw, MIGRATIONS.slice(0, 3));
    raw.close();
    history = new JobHistory(path);
    const { id } = history.create(newJob());
    expect(history.get(id)!.cast).toBeUndefined();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect((db.prepare('SELECT cast_members FROM jobs WHERE id = ?').get(id) as { cast_members: unknown }).cast_members).toBeNull();
    db.close();
  });
});
