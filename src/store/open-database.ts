/**
 * The SQLite file: its folder created, WAL (readers never wait for the writer), foreign keys,
 * a busy timeout (another process writing makes us wait, not fail), synchronous NORMAL (safe in
 * WAL: a power cut may lose the last commits, never corrupt the file), migrated to the current
 * schema. A file that cannot be opened is one clear error, and the connection is not leaked.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate, SchemaVersionError } from './migrations.js';

export type Db = Database.Database;

export class DatabaseOpenError extends Error {
  override readonly name = 'DatabaseOpenError';
}

const BUSY_TIMEOUT_MS = 5000;

export function openDatabase(path: string): Db {
  let db: Db | undefined;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
    // Before the journal mode: switching to WAL must wait for other connections too.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    migrate(db);
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof SchemaVersionError) throw error;
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new DatabaseOpenError(`Cannot open the job history at ${path}: ${reason}`);
  }
}
