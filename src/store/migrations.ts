/**
 * Versioned schema: PRAGMA user_version counts the migrations applied; each runs in its own
 * transaction, in order, once. A file written by a newer storyreel is refused, not damaged.
 */
import type Database from 'better-sqlite3';

const MIGRATIONS: string[] = [
  // 1: job history
  `CREATE TABLE jobs (
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
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export class SchemaVersionError extends Error {
  override readonly name = 'SchemaVersionError';
}

export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new SchemaVersionError(`The database is from a newer storyreel (schema ${current}, this one knows ${SCHEMA_VERSION}): upgrade storyreel or use another DATA_DIR.`);
  }
  for (let version = current; version < SCHEMA_VERSION; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
