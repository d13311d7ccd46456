/** The SQLite file itself: connection settings, versioned migrations, and the indexes the queries use. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DatabaseOpenError, openDatabase, type Db } from '../../src/store/open-database.js';
import { migrate, MIGRATIONS, SchemaVersionError, type Migration } from '../../src/store/migrations.js';
import { JobHistory } from '../../src/store/job-history.js';

let dir: string;
let path: string;
const opened: Db[] = [];
const track = (db: Db) => (opened.push(db), db);
const version = (db: Db) => db.pragma('user_version', { simple: true });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sr-migrations-'));
  path = join(dir, 'not', 'yet', 'there', 'storyreel.sqlite');
});
afterEach(async () => {
  opened.splice(0).forEach((db) => db.open && db.close());
  await rm(dir, { recursive: true, force: true });
});

describe('openDatabase', () => {
  it('creates the folder and the file, in WAL mode with foreign keys, a busy timeout and synchronous NORMAL', () => {
    const db = track(openDatabase(path));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    // WAL is a property of the file: a plain connection sees it too.
    expect(track(new Database(path)).pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('applies every migration to an empty file and sets user_version; opening again changes nothing', () => {
    const db = track(openDatabase(path));
    expect(version(db)).toBe(MIGRATIONS.length);
    const schema = () => db.prepare("SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name").all();
    const before = schema();
    expect(before.map((r) => (r as { name: string }).name)).toEqual([
      'guild_settings',
      'jobs',
      'jobs_guild_created',
      'jobs_guild_user_created',
      'jobs_unfinished_created',
      'quota_days',
      'quota_ledger',
      'quota_ledger_day_guild_user',
      'quota_ledger_guild_user_admitted',
    ]);
    db.close();
    const again = track(openDatabase(path));
    expect(version(again)).toBe(MIGRATIONS.length);
    expect(again.prepare("SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name").all()).toEqual(before);
  });

  it('refuses a file from a newer storyreel with one clear line, and leaves it as it was', () => {
    track(openDatabase(path)).close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    raw.close();
    let error: unknown;
    try {
      openDatabase(path);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SchemaVersionError);
    expect((error as Error).message).toBe(
      `The job history at ${path} is from a newer storyreel (schema ${MIGRATIONS.length + 1}, this one knows ${MIGRATIONS.length}): upgrade storyreel or use another DATA_DIR.`,
    );
    expect(() => new JobHistory(path)).toThrow(SchemaVersionError);
    expect(version(track(new Database(path)))).toBe(MIGRATIONS.length + 1);
  });

  it('a file that is not a database is one clear line', async () => {
    await writeFile(join(dir, 'junk.sqlite'), 'this is not a database, just text '.repeat(100));
    expect(() => openDatabase(join(dir, 'junk.sqlite'))).toThrow(
      new DatabaseOpenError(`Cannot open the job history at ${join(dir, 'junk.sqlite')}: file is not a database`),
    );
  });
});

describe('migrate', () => {
  const steps: Migration[] = [
    { description: 'one', sql: 'CREATE TABLE log (step INTEGER); INSERT INTO log VALUES (1);' },
    { description: 'two', sql: 'INSERT INTO log VALUES (2);' },
    { description: 'three', sql: 'INSERT INTO log VALUES (3);' },
  ];
  const logged = (db: Db) =>
    db
      .prepare('SELECT step FROM log ORDER BY rowid')
      .all()
      .map((r) => (r as { step: number }).step);

  it('applies pending migrations in order, each once', () => {
    const db = track(new Database(join(dir, 'm.sqlite')));
    migrate(db, steps.slice(0, 1));
    expect(version(db)).toBe(1);
    migrate(db, steps);
    migrate(db, steps);
    expect(version(db)).toBe(3);
    expect(logged(db)).toEqual([1, 2, 3]);
  });

  it('a failing migration is rolled back alone: the ones before it stay, user_version says where it stopped', () => {
    const db = track(new Database(join(dir, 'm.sqlite')));
    const broken = [...steps.slice(0, 2), { description: 'bad', sql: 'INSERT INTO log VALUES (3); INSERT INTO nowhere VALUES (1);' }];
    expect(() => migrate(db, broken)).toThrow(/no such table: nowhere/);
    expect(version(db)).toBe(2);
    expect(logged(db)).toEqual([1, 2]);
    migrate(db, steps);
    expect(logged(db)).toEqual([1, 2, 3]);
  });

  it('upgrades a version-1 file: its jobs keep their data and engine timings move under "engine"', () => {
    const v1 = join(dir, 'v1.sqlite');
    const db = track(new Database(v1));
    migrate(db, MIGRATIONS.slice(0, 1));
    const insert = db.prepare(
      `INSERT INTO jobs (id, kind, guild_id, channel_id, user_id, story, options, status, timings, created_at, updated_at)
       VALUES (?, 'story', '1', '2', '3', 'A fox.', '{"aspect":"9:16","maxBytes":1000000,"seed":1}', ?, ?, 10, 20)`,
    );
    insert.run('aaaaaaaaaaaa', 'done', JSON.stringify({ queuedAt: 10, startedAt: 11, scriptMs: 5, totalMs: 90, finishedAt: 12 }));
    insert.run('bbbbbbbbbbbb', 'queued', JSON.stringify({ queuedAt: 10 }));
    insert.run('cccccccccccc', 'failed', '{broken');
    migrate(db);
    expect(version(db)).toBe(MIGRATIONS.length);
    const timings = (id: string) => (db.prepare('SELECT timings FROM jobs WHERE id = ?').get(id) as { timings: string }).timings;
    expect(JSON.parse(timings('aaaaaaaaaaaa'))).toEqual({
      queuedAt: 10,
      startedAt: 11,
      finishedAt: 12,
      engine: { scriptMs: 5, totalMs: 90 },
    });
    expect(JSON.parse(timings('bbbbbbbbbbbb'))).toEqual({ queuedAt: 10 });
    expect(timings('cccccccccccc')).toBe('{broken'); // left alone; reading it reports the column
    db.close();
    const history = new JobHistory(v1);
    try {
      expect(history.get('aaaaaaaaaaaa')).toMatchObject({ status: 'done', story: 'A fox.', timings: { engine: { totalMs: 90 } } });
    } finally {
      history.close();
    }
  });

  it('the list queries read their index in order: no sort step, no table scan', () => {
    const db = track(openDatabase(path));
    const plan = (sql: string, ...args: unknown[]) =>
      db
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all(...args)
        .map((r) => (r as { detail: string }).detail)
        .join(' | ');
    expect(plan('SELECT * FROM jobs WHERE guild_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?', 'g', 10)).toBe(
      'SEARCH jobs USING INDEX jobs_guild_created (guild_id=?)',
    );
    expect(plan('SELECT * FROM jobs WHERE guild_id = ? AND user_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?', 'g', 'u', 10)).toBe(
      'SEARCH jobs USING INDEX jobs_guild_user_created (guild_id=? AND user_id=?)',
    );
    expect(plan("SELECT * FROM jobs WHERE status IN ('queued', 'running') ORDER BY created_at, rowid")).toBe(
      'SCAN jobs USING INDEX jobs_unfinished_created',
    );
  });
});
