import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { JobHistory, JobStoreError } from '../../src/store/job-history.js';
import { SCHEMA_VERSION, SchemaVersionError } from '../../src/store/migrations.js';

let dir: string;
let path: string;
const open: JobHistory[] = [];
const history = () => {
  const h = new JobHistory(path);
  open.push(h);
  return h;
};
const job = (over: Partial<Parameters<JobHistory['create']>[0]> = {}) => ({
  kind: 'story' as const,
  guildId: '111111111111111111',
  channelId: '222222222222222222',
  userId: '333333333333333333',
  story: 'Once upon a time {\\N} "quotes" 😀 日本語 العربية',
  options: { aspect: '9:16' as const, maxBytes: 10_485_760, style: 'noir', seed: 7 },
  ...over,
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sr-store-'));
  path = join(dir, 'nested', 'storyreel.sqlite');
});
afterEach(async () => {
  open.splice(0).forEach((h) => h.close());
  await rm(dir, { recursive: true, force: true });
});

describe('JobHistory (real SQLite file)', () => {
  it('creates the schema in WAL mode, idempotently, and refuses a newer file', () => {
    const h = history();
    expect(h.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(h.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    h.close();
    expect(history().db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    open.splice(0).forEach((x) => x.close());
    const raw = new Database(path);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => new JobHistory(path)).toThrow(SchemaVersionError);
  });

  it('round-trips every field, odd Unicode included', () => {
    const h = history();
    const created = h.create(job());
    expect(created.id).toMatch(/^[a-z0-9]{12}$/);
    h.markRunning(created.id);
    h.saveProgress(created.id, {
      seeds: [1, 2],
      title: 'Title',
      script: { title: 'Title', writer: 'local', scenes: [{ index: 0, narration: 'n', imagePrompt: 'p' }] },
      sceneResults: [{ image: 'local' }],
    });
    h.setMessageIds(created.id, { original: '444444444444444444' });
    const result = { durationSeconds: 12.5, width: 720, height: 1280, sizeBytes: 1000, scenes: 1, fallbackScenes: [], providers: { writer: 'local', image: 'local', voice: 'espeak' } };
    h.finish(created.id, { status: 'done', result, timings: { totalMs: 5000 } });
    const got = h.get(created.id)!;
    expect(got).toMatchObject({ story: job().story, options: job().options, seeds: [1, 2], title: 'Title', status: 'done', result, messageIds: { original: '444444444444444444' } });
    expect(got.timings).toMatchObject({ totalMs: 5000 });
    expect(got.timings.queuedAt).toBeLessThanOrEqual(got.timings.startedAt!);
  });

  it('allows only valid status changes', () => {
    const h = history();
    const { id } = h.create(job());
    h.markRunning(id);
    h.finish(id, { status: 'done' });
    expect(() => h.markRunning(id)).toThrow(JobStoreError);
    expect(() => h.finish(id, { status: 'failed' })).toThrow(/cannot go from done to failed/);
  });

  it('lists recent jobs newest first, for a user or the whole guild', () => {
    let t = 1000;
    const h = new JobHistory(path, () => (t += 10));
    open.push(h);
    const a = h.create(job({ userId: '1' }));
    const b = h.create(job({ userId: '2' }));
    const c = h.create(job({ userId: '1' }));
    h.create(job({ guildId: 'other' }));
    expect(h.recent({ guildId: job().guildId, limit: 10 }).map((j) => j.id)).toEqual([c.id, b.id, a.id]);
    expect(h.recent({ guildId: job().guildId, userId: '1', limit: 1 }).map((j) => j.id)).toEqual([c.id]);
  });

  it('after a crash, unfinished jobs are found again and can be re-queued with their attempt counted', () => {
    const h1 = history();
    const running = h1.create(job());
    h1.markRunning(running.id);
    const queued = h1.create(job());
    h1.close();
    const h2 = history();
    expect(h2.unfinished().map((j) => [j.id, j.status])).toEqual([[running.id, 'running'], [queued.id, 'queued']]);
    expect(h2.requeue(running.id)).toMatchObject({ status: 'queued', attempts: 1 });
    h2.finish(queued.id, { status: 'interrupted', error: 'could not resume' });
    expect(h2.unfinished().map((j) => j.id)).toEqual([running.id]);
  });

  it('two connections see each other\'s writes', () => {
    const a = history();
    const b = history();
    const { id } = a.create(job());
    expect(b.get(id)?.status).toBe('queued');
    b.markRunning(id);
    expect(a.get(id)?.status).toBe('running');
  });

  it('a corrupted JSON column is a clear error for that job, and lists skip it', () => {
    const h = history();
    const bad = h.create(job());
    const good = h.create(job());
    h.db.prepare('UPDATE jobs SET options = ? WHERE id = ?').run('{not json', bad.id);
    expect(() => h.get(bad.id)).toThrow(`Job ${bad.id} has an unreadable options column.`);
    expect(h.recent({ guildId: job().guildId, limit: 10 }).map((j) => j.id)).toEqual([good.id]);
  });
});
