/**
 * A row of the jobs table <-> a JobRecord. Pure: no database here. Every JSON column is parsed
 * and checked on the way out, so a damaged value becomes one clear error naming the job and the
 * column instead of a wrong shape travelling into the bot.
 */
import type { z } from 'zod';
import {
  jobOptionsSchema,
  messageIdsSchema,
  castSchema,
  resultSchema,
  sceneResultsSchema,
  scriptSchema,
  seedsSchema,
  timingsSchema,
  JOB_KINDS,
  JOB_STATUSES,
  wellFormed,
  type JobRecord,
} from './job-record.js';

export interface JobRow {
  id: string;
  kind: string;
  parent_job_id: string | null;
  redo_scene: number | null;
  guild_id: string;
  channel_id: string;
  user_id: string;
  story: string;
  title: string | null;
  options: string;
  seeds: string | null;
  script: string | null;
  scene_results: string | null;
  cast_members?: string | null;
  status: string;
  error: string | null;
  timings: string;
  result: string | null;
  message_ids: string;
  attempts: number;
  created_at: number;
  updated_at: number;
}

/** A stored job that cannot be read back as a JobRecord. */
export class UnreadableJobError extends Error {
  override readonly name = 'UnreadableJobError';
  constructor(
    readonly jobId: string,
    readonly column: string,
  ) {
    super(`Job ${jobId} has an unreadable ${column} column.`);
  }
}

function json<T>(row: JobRow, column: keyof JobRow, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(parseJson(String(row[column])));
  if (!parsed.success) throw new UnreadableJobError(row.id, column);
  return parsed.data;
}

function optionalJson<T>(row: JobRow, column: keyof JobRow, schema: z.ZodType<T>): T | undefined {
  return row[column] === null ? undefined : json(row, column, schema);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // fails the schema, which names the column
  }
}

function oneOf<T extends string>(row: JobRow, column: 'kind' | 'status', values: readonly T[]): T {
  const value = row[column] as T;
  if (!values.includes(value)) throw new UnreadableJobError(row.id, column);
  return value;
}

export function rowToRecord(row: JobRow): JobRecord {
  return {
    id: row.id,
    kind: oneOf(row, 'kind', JOB_KINDS),
    parentJobId: row.parent_job_id ?? undefined,
    ...(row.redo_scene !== null && row.redo_scene !== undefined ? { redoScene: row.redo_scene } : {}),
    guildId: row.guild_id,
    channelId: row.channel_id,
    userId: row.user_id,
    story: row.story,
    title: row.title ?? undefined,
    options: json(row, 'options', jobOptionsSchema),
    seeds: optionalJson(row, 'seeds', seedsSchema),
    script: optionalJson(row, 'script', scriptSchema),
    sceneResults: optionalJson(row, 'scene_results', sceneResultsSchema),
    ...(row.cast_members ? { cast: json(row, 'cast_members', castSchema) } : {}),
    status: oneOf(row, 'status', JOB_STATUSES),
    error: row.error ?? undefined,
    timings: json(row, 'timings', timingsSchema),
    result: optionalJson(row, 'result', resultSchema),
    messageIds: json(row, 'message_ids', messageIdsSchema),
    attempts: row.attempts,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** An error as history keeps it: one line, at most 500 characters. */
export function oneLine(text: string, max = 500): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return wellFormed(line.length > max ? line.slice(0, max - 1) + '…' : line);
}
