/**
 * Every job the bot ran, in SQLite: who asked, where, the story and options, seeds, the script,
 * what each scene used, status, timings, errors and the messages that show it. No secret is
 * stored (see job-record.ts for why the interaction token is not).
 *
 * Synchronous (better-sqlite3). Every change is read-check-write in one IMMEDIATE transaction,
 * so two connections (or two processes) on the same file cannot both move a job, and a status
 * only changes along TRANSITIONS; anything else is a JobStoreError.
 *
 * Unreadable rows (a damaged JSON column): `get` throws UnreadableJobError naming the job and
 * the column; the lists (`recent`, `unfinished`) skip such a row with a warning in the log, so one
 * bad row never hides the others nor stops a restart.
 */
import { isJobId, newJobId } from '../core/job-id.js';
import type { z } from 'zod';
import { createLogger } from '../core/log.js';
import { openDatabase, type Db } from './open-database.js';
import { oneLine, rowToRecord, UnreadableJobError, type JobRow } from './job-row.js';
import {
  canTransition,
  messageIdsSchema,
  newJobSchema,
  progressSchema,
  resultSchema,
  type EndStatus,
  type JobMessageIds,
  type JobProgress,
  type JobRecord,
  type JobResult,
  type JobStatus,
  type JobTimings,
  type NewJob,
} from './job-record.js';

export { UnreadableJobError };

export class JobStoreError extends Error {
  override readonly name = 'JobStoreError';
}

export interface JobFinish {
  status: EndStatus;
  /** Why it did not finish well; kept as one line. */
  error?: string;
  result?: JobResult;
  /** The engine's timings (scriptMs, totalMs, ...). */
  timings?: Record<string, number>;
  messageIds?: JobMessageIds;
}

const MAX_LIST = 100;

type Column = Exclude<keyof JobRow, 'id'>;
type Change = { status?: JobStatus; set?: Partial<Record<Column, string | number | null>> };

const log = createLogger('store');

function valid<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length ? ` ${issue.path.join('.')}` : '';
  throw new JobStoreError(`Invalid ${what}${where}: ${issue.message}`);
}

export class JobHistory {
  private readonly db: Db;
  private readonly locked: (fn: () => unknown) => unknown;

  constructor(
    path: string,
    private readonly now: () => number = Date.now,
  ) {
    this.db = openDatabase(path);
    this.locked = this.db.transaction((fn: () => unknown) => fn()).immediate;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** A new queued job; `id` may be chosen up front (the bot admits a job before it is recorded). */
  create(input: NewJob, id: string = newJobId()): JobRecord {
    const job = valid(newJobSchema, input, 'job');
    if (!isJobId(id)) throw new JobStoreError(`Invalid job id ${JSON.stringify(id)}.`);
    if (job.parentJobId !== undefined && !this.db.prepare('SELECT 1 FROM jobs WHERE id = ?').get(job.parentJobId)) {
      throw new JobStoreError(`No job ${job.parentJobId} to be the parent of a new one.`);
    }
    const at = this.now();
    const timings: JobTimings = { queuedAt: at };
    this.db
      .prepare(
        `INSERT INTO jobs (id, kind, parent_job_id, redo_scene, guild_id, channel_id, user_id, story, title, options, seeds, script, cast_members, status, timings, message_ids, created_at, updated_at)
         VALUES (@id, @kind, @parent, @redoScene, @guild, @channel, @user, @story, @title, @options, @seeds, @script, @cast, 'queued', @timings, '{}', @at, @at)`,
      )
      .run({
        id,
        kind: job.kind,
        parent: job.parentJobId ?? null,
        redoScene: job.redoScene ?? null,
        guild: job.guildId,
        channel: job.channelId,
        user: job.userId,
        story: job.story,
        title: job.title ?? null,
        options: JSON.stringify(job.options),
        seeds: job.seeds ? JSON.stringify(job.seeds) : null,
        script: job.script ? JSON.stringify(job.script) : null,
        cast: job.cast ? JSON.stringify(job.cast) : null,
        timings: JSON.stringify(timings),
        at,
      });
    return this.require(id);
  }

  get(id: string): JobRecord | undefined {
    const row = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    return row && rowToRecord(row);
  }

  markRunning(id: string, startedAt: number = this.now()): JobRecord {
    return this.change(id, (job) => ({
      status: 'running',
      set: { error: null, timings: JSON.stringify({ ...job.timings, startedAt, finishedAt: undefined }) },
    }));
  }

  /** Seeds, script and scene outcomes as they become known, while the job is queued or running. */
  saveProgress(id: string, patch: JobProgress): JobRecord {
    const p = valid(progressSchema, patch, 'progress');
    return this.change(id, (job) => {
      if (job.status !== 'queued' && job.status !== 'running')
        throw new JobStoreError(`Job ${id} is ${job.status}: its progress can no longer change.`);
      const set: NonNullable<Change['set']> = {};
      if (p.title !== undefined) set.title = p.title;
      if (p.seeds) set.seeds = JSON.stringify(p.seeds);
      if (p.script) set.script = JSON.stringify(p.script);
      if (p.sceneResults) set.scene_results = JSON.stringify(p.sceneResults);
      if (p.cast) set.cast_members = JSON.stringify(p.cast);
      return { set };
    });
  }

  /** Merged into the ids already known; allowed at any status (a message may be posted after the end). */
  setMessageIds(id: string, ids: JobMessageIds): JobRecord {
    const add = valid(messageIdsSchema, ids, 'message ids');
    return this.change(id, (job) => ({ set: { message_ids: JSON.stringify({ ...job.messageIds, ...add }) } }));
  }

  finish(id: string, end: JobFinish): JobRecord {
    const result = end.result === undefined ? undefined : valid(resultSchema, end.result, 'result');
    const add = valid(messageIdsSchema, end.messageIds ?? {}, 'message ids');
    return this.change(id, (job, at) => {
      const timings: JobTimings = { ...job.timings, finishedAt: at, ...(end.timings && { engine: { ...end.timings } }) };
      return {
        status: end.status,
        set: {
          error: end.error === undefined ? null : oneLine(end.error),
          result: result === undefined ? null : JSON.stringify(result),
          timings: JSON.stringify(timings),
          message_ids: JSON.stringify({ ...job.messageIds, ...add }),
        },
      };
    });
  }

  /** Back in line after a clean stop (running -> queued), not counted as a resume. */
  checkpoint(id: string): JobRecord {
    return this.change(id, () => ({ status: 'queued', set: {} }));
  }

  /** Back in line after a restart (running or interrupted -> queued), counting the attempt. */
  requeue(id: string): JobRecord {
    return this.change(id, (job) => ({ status: 'queued', set: { attempts: job.attempts + 1 } }));
  }

  /** Queued or running jobs, oldest first: what a restart must pick up. */
  unfinished(): JobRecord[] {
    return this.readable(
      this.db.prepare("SELECT * FROM jobs WHERE status IN ('queued', 'running') ORDER BY created_at, rowid").all() as JobRow[],
    );
  }

  /** Removes a job from history (Delete); its re-runs stay, no longer pointing at it. False: there was none. */
  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM jobs WHERE id = ?').run(id).changes > 0;
  }

  /**
   * Removes finished jobs (done, failed, cancelled, interrupted) last changed more than `days`
   * days ago; queued and running ones stay whatever their age. Returns how many went.
   */
  prune(days: number): number {
    const before = this.now() - days * 24 * 3600 * 1000;
    return this.db.prepare("DELETE FROM jobs WHERE status NOT IN ('queued', 'running') AND updated_at < ?").run(before).changes;
  }

  /** Newest first; without userId, everyone's in the guild. */
  recent(opts: { guildId: string; userId?: string; limit: number }): JobRecord[] {
    if (!Number.isInteger(opts.limit) || opts.limit < 1 || opts.limit > MAX_LIST)
      throw new JobStoreError(`The limit must be a whole number from 1 to ${MAX_LIST} (got ${opts.limit}).`);
    const rows =
      opts.userId === undefined
        ? this.db
            .prepare('SELECT * FROM jobs WHERE guild_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?')
            .all(opts.guildId, opts.limit)
        : this.db
            .prepare('SELECT * FROM jobs WHERE guild_id = ? AND user_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?')
            .all(opts.guildId, opts.userId, opts.limit);
    return this.readable(rows as JobRow[]);
  }

  private require(id: string): JobRecord {
    const job = this.get(id);
    if (!job) throw new JobStoreError(`No job ${id}.`);
    return job;
  }

  /** Read, decide, write, under the write lock. */
  private change(id: string, decide: (job: JobRecord, at: number) => Change): JobRecord {
    return this.locked(() => {
      const job = this.require(id);
      const at = this.now();
      const { status, set = {} } = decide(job, at);
      if (status !== undefined && !canTransition(job.status, status))
        throw new JobStoreError(`Job ${id} cannot go from ${job.status} to ${status}.`);
      const values: Record<string, string | number | null> = { ...set, updated_at: at };
      if (status !== undefined) values.status = status;
      const assignments = Object.keys(values).map((column) => `${column} = @${column}`);
      this.db.prepare(`UPDATE jobs SET ${assignments.join(', ')} WHERE id = @id`).run({ ...values, id });
      return this.require(id);
    }) as JobRecord;
  }

  private readable(rows: JobRow[]): JobRecord[] {
    return rows.flatMap((row) => {
      try {
        return [rowToRecord(row)];
      } catch (error) {
        if (!(error instanceof UnreadableJobError)) throw error;
        log.warn(`skipped a job in the list: ${error.message}`);
        return [];
      }
    });
  }
}
