/** History of a redo (issue 13): the 'redo' kind with its parent and scene, and the migration that allows it. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrate, MIGRATIONS } from '../../src/store/migrations.js';
import { JobHistory, JobStoreError } from '../../src/store/job-history.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sr-redo-kind-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const base = {
  guildId: '1',
  channelId: '2',
  userId: '3',
  story: 'A fox.',
  options: { aspect: '9:16' as const, maxBytes: 1_000_000, seed: 5 },
};
const script = {
  title: 'Fox',
  writer: 'local',
  scenes: [0, 1, 2].map((index) => ({ index, narration: `n${index}`, imagePrompt: `p${index}` })),
};

describe('redo jobs in history', () => {
  it('keeps the chain: parent and scene; a redo without its scene, or a scene on another kind, is refused', () => {
    const history = new JobHistory(join(dir, 'h.sqlite'));
    try {
      const parent = history.create({ ...base, kind: 'story' });
      const redo = history.create({ ...base, kind: 'redo', parentJobId: parent.id, redoScene: 2, script, seeds: [5, 6, 99] });
      expect(history.get(redo.id)).toMatchObject({ kind: 'redo', parentJobId: parent.id, redoScene: 2, seeds: [5, 6, 99], script });
      expect(history.get(parent.id)!.redoScene).toBeUndefined();
      expect(() => history.create({ ...base, kind: 'redo', parentJobId: parent.id, script, seeds: [5, 6, 7] })).toThrow(JobStoreError);
      expect(() => history.create({ ...base, kind: 'story', redoScene: 1 })).toThrow(JobStoreError);
      expect(() => history.create({ ...base, kind: 'redo', parentJobId: parent.id, redoScene: 0, script, seeds: [5] })).toThrow(
        JobStoreError,
      );
    } finally {
      history.close();
    }
  });

  it('migrates a file of the previous schema: rows, rowids and parents kept, the constraint enforced in SQL', () => {
    const path = join(dir, 'old.sqlite');
    const raw = new Database(path);
    raw.pragma('foreign_keys = ON');
    migrate(raw, MIGRATIONS.slice(0, 2));
    const insert = raw.prepare(
      `INSERT INTO jobs (id, kind, parent_job_id, guild_id, channel_id, user_id, story, options, status, created_at, updated_at) VALUES (?, ?, ?, '1', '2', '3', 'A fox.', '{"aspect":"9:16","maxBytes":1000000,"seed":5}', 'done', ?, ?)`,
    );
    insert.run('parentjob1', 'story', null, 10, 10);
    insert.run('childjob01', 'rerun', 'parentjob1', 20, 20);
    const rowids = raw.prepare('SELECT id, rowid FROM jobs ORDER BY rowid').all();
    migrate(raw);
    expect(raw.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(raw.prepare('SELECT id, rowid FROM jobs ORDER BY rowid').all()).toEqual(rowids);
    expect(raw.prepare("SELECT parent_job_id FROM jobs WHERE id = 'childjob01'").get()).toEqual({ parent_job_id: 'parentjob1' });
    expect(raw.pragma('foreign_key_check')).toEqual([]);
    // The foreign key points at the new table (under its final name), and still acts.
    expect(String((raw.prepare("SELECT sql FROM sqlite_master WHERE name = 'jobs'").get() as { sql: string }).sql)).not.toContain(
      'jobs_v3',
    );
    expect(() => insert.run('orphanjob1', 'rerun', 'nosuchjob0', 30, 30)).toThrow(/FOREIGN KEY/);
    expect(() => insert.run('redojob001', 'redo', 'parentjob1', 30, 30)).toThrow(/CHECK/);
    raw.prepare("DELETE FROM jobs WHERE id = 'parentjob1'").run();
    expect(raw.prepare("SELECT parent_job_id FROM jobs WHERE id = 'childjob01'").get()).toEqual({ parent_job_id: null });
    expect(
      raw
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'jobs' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .all()
        .map((r) => (r as { name: string }).name),
    ).toEqual(['jobs_guild_created', 'jobs_guild_user_created', 'jobs_unfinished_created']);
    raw.close();
  });
});
