/**
 * Every job the bot ran, in SQLite: who asked, where, the story and options, seeds, the script,
 * what each scene used, status, timings, errors and the messages that show it. The interaction
 * token is never stored (it is a credential; after a restart the bot posts with its own token),
 * and neither is any other secret.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { openDatabase, type Db } from './open-database.js';
import {
  jobOptionsSchema,
  messageIdsSchema,
  resultSchema,
  scriptSchema,
  TRANSITIONS,
  type JobKind,
  type JobMessageIds,
  type JobOptions,
  type JobRecord,
  type JobResult,
  type JobStatus,
} from './job-record.js';

export class JobStoreError extends Error {
  override readonly name = 'JobStoreError';
}

interface Row {
  id: string;
  kind: JobKind;
  parent_job_id: string | null;
  guild_id: string;
  channel_id: string;
  user_id: string;
  story: string;
  title: string | null;
  options: string;
  seeds: string | null;
  script: string | null;
  scene_results: string | null;
  status: JobStatus;
  error: string | null;
  timings: string;
  result: string | null;
  message_ids: string;
  attempts: number;
  created_at: number;
  updated_at: number;
}

function parseColumn<T>(row: Row, column: keyof Row, schema: z.ZodType<T>): T {
  const text = row[column];
  try {
    return schema.parse(JSON.parse(String(text)));
  } catch {
    throw new JobStoreError(`Job ${row.id} has an unreadable ${column} column.`);
  }
}

function toRecord(row: Row): JobRecord {
  return {
    id: row.id,
    kind: row.kind,
    parentJobId: row.parent_job_id ?? undefined,
    guildId: row.guild_id,
    channelId: row.channel_id,
    userId: row.user_id,
    story: row.story,
    title: row.title ?? undefined,
    options: parseColumn(row, 'options', jobOptionsSchema),
    seeds: row.seeds === null ? undefined : parseColumn(row, 'seeds', z.array(z.number().int())),
    script: row.script === null ? undefined : parseColumn(row, 'script', scriptSchema),
    sceneResults: row.scene_results === null ? undefined : parseColumn(row, 'scene_results', z.array(z.unknown())),
    status: row.status,
    error: row.error ?? undefined,
    timings: parseColumn(row, 'timings', z.record(z.string(), z.number())),
    result: row.result === null ? undefined : parseColumn(row, 'result', resultSchema),
    messageIds: parseColumn(row, 'message_ids', messageIdsSchema),
    attempts: row.attempts,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** What a new job starts with; history fills in the rest. */
export type NewJob = Pick<JobRecord, 'kind' | 'parentJobId' | 'guildId' | 'channelId' | 'userId' | 'story' | 'title' | 'options' | 'seeds' | 'script'>;

export interface JobFinish {
  status: Extract<JobStatus, 'done' | 'failed' | 'cancelled' | 'interrupted'>;
  error?: string;
  result?: JobResult;
  timings?: Record<string, number>;
}

/** Short ids safe in a custom_id: 12 base-36 characters. */
export function newJobId(): string {
  return BigInt('0x' + randomBytes(8).toString('hex')).toString(36).padStart(12, '0').slice(-12);
}

export class JobHistory {
  readonly db: Db;

  constructor(path: string, private readonly now: () => number = Date.now) {
    this.db = openDatabase(path);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  create(input: NewJob): JobRecord {
    const id = newJobId();
    const at = this.now();
    this.db
      .prepare(
        `INSERT INTO jobs (id, kind, parent_job_id, guild_id, channel_id, user_id, story, title, options, seeds, script, status, timings, message_ids, created_at, updated_at)
         VALUES (@id, @kind, @parent, @guild, @channel, @user, @story, @title, @options, @seeds, @script, 'queued', @timings, '{}', @at, @at)`,
      )
      .run({
        id,
        kind: input.kind,
        parent: input.parentJobId ?? null,
        guild: input.guildId,
        channel: input.channelId,
        user: input.userId,
        story: input.story,
        title: input.title ?? null,
        options: JSON.stringify(jobOptionsSchema.parse(input.options)),
        seeds: input.seeds ? JSON.stringify(input.seeds) : null,
        script: input.script ? JSON.stringify(input.script) : null,
        timings: JSON.stringify({ queuedAt: at }),
        at,
      });
    return this.get(id)!;
  }

  get(id: string): JobRecord | undefined {
    const row = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as Row | undefined;
    return row && toRecord(row);
  }

  private transition(id: string, to: JobStatus, patch: Record<string, unknown> = {}): JobRecord {
    const job = this.get(id);
    if (!job) throw new JobStoreError(`No job ${id}.`);
    if (!TRANSITIONS[job.status].includes(to)) throw new JobStoreError(`Job ${id} cannot go from ${job.status} to ${to}.`);
    const sets = Object.keys(patch).map((k) => `${k} = @${k}`);
    this.db.prepare(`UPDATE jobs SET status = @status, updated_at = @at${sets.length ? ', ' + sets.join(', ') : ''} WHERE id = @id`).run({ ...patch, status: to, at: this.now(), id });
    return this.get(id)!;
  }

  markRunning(id: string): JobRecord {
    const job = this.get(id);
    return this.transition(id, 'running', { timings: JSON.stringify({ ...job?.timings, startedAt: this.now() }), error: null });
  }

  /** Seeds, script and scene outcomes as they become known (so a re-run can reuse them). */
  saveProgress(id: string, patch: { seeds?: number[]; script?: JobRecord['script']; sceneResults?: unknown[]; title?: string }): void {
    const sets: string[] = [];
    const values: Record<string, unknown> = { id, at: this.now() };
    if (patch.seeds) (sets.push('seeds = @seeds'), (values.seeds = JSON.stringify(patch.seeds)));
    if (patch.script) (sets.push('script = @script'), (values.script = JSON.stringify(scriptSchema.parse(patch.script))));
    if (patch.sceneResults) (sets.push('scene_results = @sceneResults'), (values.sceneResults = JSON.stringify(patch.sceneResults)));
    if (patch.title) (sets.push('title = @title'), (values.title = patch.title));
    if (sets.length) this.db.prepare(`UPDATE jobs SET ${sets.join(', ')}, updated_at = @at WHERE id = @id`).run(values);
  }

  setMessageIds(id: string, ids: JobMessageIds): void {
    const job = this.get(id);
    if (!job) throw new JobStoreError(`No job ${id}.`);
    this.db.prepare('UPDATE jobs SET message_ids = ?, updated_at = ? WHERE id = ?').run(JSON.stringify({ ...job.messageIds, ...ids }), this.now(), id);
  }

  finish(id: string, end: JobFinish): JobRecord {
    const job = this.get(id);
    return this.transition(id, end.status, {
      error: end.error ? end.error.split('\n')[0]!.slice(0, 500) : null,
      result: end.result ? JSON.stringify(resultSchema.parse(end.result)) : null,
      timings: JSON.stringify({ ...job?.timings, ...end.timings, finishedAt: this.now() }),
    });
  }

  /** Put an unfinished job back in the queue after a restart, counting the attempt. */
  requeue(id: string): JobRecord {
    const job = this.get(id);
    return this.transition(id, 'queued', { attempts: (job?.attempts ?? 0) + 1 });
  }

  /** Queued or running jobs, oldest first: what a restart must pick up. */
  unfinished(): JobRecord[] {
    const rows = this.db.prepare("SELECT * FROM jobs WHERE status IN ('queued', 'running') ORDER BY created_at, rowid").all() as Row[];
    return rows.map(toRecord);
  }

  /** Newest first; without userId, everyone's in the guild. Unreadable rows are skipped. */
  recent(opts: { guildId: string; userId?: string; limit: number }): JobRecord[] {
    const rows = (
      opts.userId
        ? this.db.prepare('SELECT * FROM jobs WHERE guild_id = ? AND user_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?').all(opts.guildId, opts.userId, opts.limit)
        : this.db.prepare('SELECT * FROM jobs WHERE guild_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?').all(opts.guildId, opts.limit)
    ) as Row[];
    return rows.flatMap((row) => {
      try {
        return [toRecord(row)];
      } catch {
        return [];
      }
    });
  }
}
