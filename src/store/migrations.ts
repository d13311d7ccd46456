/**
 * Versioned schema. PRAGMA user_version counts the migrations applied; each one runs in its own
 * IMMEDIATE transaction (so two processes opening a fresh file at once cannot both apply it), in
 * order, once. A file written by a newer storyreel is refused, not damaged.
 *
 * Never edit a migration that has shipped: append a new one.
 */
import type Database from 'better-sqlite3';

export interface Migration {
  description: string;
  sql: string;
}

const JOB_COLUMNS_V1 =
  'id, kind, parent_job_id, guild_id, channel_id, user_id, story, title, options, seeds, script, scene_results, status, error, timings, result, message_ids, attempts, created_at, updated_at';

const ENGINE_TIMING_KEYS = "key NOT IN ('queuedAt', 'startedAt', 'finishedAt')";

export const MIGRATIONS: readonly Migration[] = [
  {
    description: 'job history',
    sql: `CREATE TABLE jobs (
       id TEXT PRIMARY KEY,
       kind TEXT NOT NULL CHECK (kind IN ('story', 'rerun', 'new-images')),
       parent_job_id TEXT REFERENCES jobs(id) ON DELETE SET NULL,
       guild_id TEXT NOT NULL,
       channel_id TEXT NOT NULL,
       user_id TEXT NOT NULL,
       story TEXT NOT NULL,
       title TEXT,
       options TEXT NOT NULL,
       seeds TEXT,
       script TEXT,
       scene_results TEXT,
       status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled', 'interrupted')),
       error TEXT,
       timings TEXT NOT NULL DEFAULT '{}',
       result TEXT,
       message_ids TEXT NOT NULL DEFAULT '{}',
       attempts INTEGER NOT NULL DEFAULT 0,
       created_at INTEGER NOT NULL,
       updated_at INTEGER NOT NULL
     );
     CREATE INDEX jobs_guild_created ON jobs (guild_id, created_at DESC);
     CREATE INDEX jobs_guild_user_created ON jobs (guild_id, user_id, created_at DESC);
     CREATE INDEX jobs_status ON jobs (status) WHERE status IN ('queued', 'running');`,
  },
  {
    // Ascending indexes, scanned backwards, give "created_at DESC, rowid DESC" with no sort step
    // (the DESC ones needed a temp b-tree for the rowid tie-break); unfinished jobs come out of
    // a partial index already in created_at order. Engine timings move under "engine".
    description: 'indexes that serve the queries without sorting; engine timings nested',
    sql: `DROP INDEX jobs_guild_created;
     DROP INDEX jobs_guild_user_created;
     DROP INDEX jobs_status;
     CREATE INDEX jobs_guild_created ON jobs (guild_id, created_at);
     CREATE INDEX jobs_guild_user_created ON jobs (guild_id, user_id, created_at);
     CREATE INDEX jobs_unfinished_created ON jobs (created_at) WHERE status IN ('queued', 'running');
     UPDATE jobs SET timings = json_set(
         (SELECT json_group_object(key, value) FROM json_each(jobs.timings) WHERE NOT ${ENGINE_TIMING_KEYS}),
         '$.engine',
         json((SELECT json_group_object(key, value) FROM json_each(jobs.timings) WHERE ${ENGINE_TIMING_KEYS})))
       WHERE CASE WHEN json_valid(timings) AND json_type(timings) = 'object'
         THEN json_type(timings, '$.engine') IS NULL AND EXISTS (SELECT 1 FROM json_each(jobs.timings) WHERE ${ENGINE_TIMING_KEYS})
         ELSE 0 END;`,
  },
  {
    // Redo a scene (issue 13): a 'redo' kind, and the scene it changed. SQLite cannot alter a CHECK
    // constraint, so the table is rebuilt, rowids kept (they break ties in the listing order). The
    // new table references itself under its temporary name, which the rename rewrites to "jobs":
    // dropping the old table then sets no parent to NULL. Foreign keys are checked at commit.
    description: 'redo kind and redo_scene column',
    sql: `PRAGMA defer_foreign_keys = ON;
     CREATE TABLE jobs_v3 (
       id TEXT PRIMARY KEY,
       kind TEXT NOT NULL CHECK (kind IN ('story', 'rerun', 'new-images', 'redo')),
       parent_job_id TEXT REFERENCES jobs_v3(id) ON DELETE SET NULL,
       guild_id TEXT NOT NULL,
       channel_id TEXT NOT NULL,
       user_id TEXT NOT NULL,
       story TEXT NOT NULL,
       title TEXT,
       options TEXT NOT NULL,
       seeds TEXT,
       script TEXT,
       scene_results TEXT,
       status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled', 'interrupted')),
       error TEXT,
       timings TEXT NOT NULL DEFAULT '{}',
       result TEXT,
       message_ids TEXT NOT NULL DEFAULT '{}',
       attempts INTEGER NOT NULL DEFAULT 0,
       created_at INTEGER NOT NULL,
       updated_at INTEGER NOT NULL,
       redo_scene INTEGER CHECK (redo_scene IS NULL OR redo_scene >= 0),
       CHECK ((kind = 'redo') = (redo_scene IS NOT NULL))
     );
     INSERT INTO jobs_v3 (rowid, ${JOB_COLUMNS_V1}) SELECT rowid, ${JOB_COLUMNS_V1} FROM jobs;
     DROP TABLE jobs;
     ALTER TABLE jobs_v3 RENAME TO jobs;
     CREATE INDEX jobs_guild_created ON jobs (guild_id, created_at);
     CREATE INDEX jobs_guild_user_created ON jobs (guild_id, user_id, created_at);
     CREATE INDEX jobs_unfinished_created ON jobs (created_at) WHERE status IN ('queued', 'running');`,
  },
  {
    // The cast as drawn (issue 21): name, description, portrait seed and URL per main character,
    // JSON. ("cast" itself is an SQL keyword.)
    description: 'cast_members column',
    sql: 'ALTER TABLE jobs ADD COLUMN cast_members TEXT;',
  },
  {
    // Per-server settings (issue 23): one JSON document a server, validated by guild-settings.ts
    // on every read and write (its shape grows without a migration).
    description: 'guild_settings table',
    sql: `CREATE TABLE guild_settings (
       guild_id TEXT PRIMARY KEY,
       settings TEXT NOT NULL,
       updated_at INTEGER NOT NULL
       );`,
  },
  {
    // Quotas and the daily budget (issue 23), in-process mode: what each admitted job reserved
    // (per member and server: daily stories, cooldown) and the fleet's totals per UTC day.
    description: 'quota ledger',
    sql: `CREATE TABLE quota_ledger (
       job_id TEXT PRIMARY KEY,
       day INTEGER NOT NULL,
       guild_id TEXT NOT NULL,
       user_id TEXT NOT NULL,
       stories INTEGER NOT NULL,
       narration_characters INTEGER NOT NULL,
       images INTEGER NOT NULL,
       admitted_at INTEGER NOT NULL
     );
     CREATE INDEX quota_ledger_day_guild_user ON quota_ledger (day, guild_id, user_id);
     CREATE INDEX quota_ledger_guild_user_admitted ON quota_ledger (guild_id, user_id, admitted_at);
     CREATE TABLE quota_days (
       day INTEGER PRIMARY KEY,
       stories INTEGER NOT NULL DEFAULT 0,
       narration_characters INTEGER NOT NULL DEFAULT 0,
       images INTEGER NOT NULL DEFAULT 0
     );`,
  },
];

export class SchemaVersionError extends Error {
  override readonly name = 'SchemaVersionError';
}

function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Bring the file up to the last migration; throws SchemaVersionError for a newer file. */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): void {
  const known = migrations.length;
  const refuseNewer = (found: number) => {
    if (found > known) {
      throw new SchemaVersionError(
        `The job history at ${db.name} is from a newer storyreel (schema ${found}, this one knows ${known}): upgrade storyreel or use another DATA_DIR.`,
      );
    }
  };
  const apply = db.transaction((version: number) => {
    const found = userVersion(db); // re-read under the write lock: another process may have been first
    refuseNewer(found);
    if (found >= version) return;
    db.exec(migrations[version - 1]!.sql);
    db.pragma(`user_version = ${version}`);
  });
  const start = userVersion(db);
  refuseNewer(start);
  for (let version = start + 1; version <= known; version++) apply.immediate(version);
}
