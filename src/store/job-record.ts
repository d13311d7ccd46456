/** A job as history keeps it, and the checks its JSON columns pass when read back. */
import { z } from 'zod';
import { ASPECTS } from '../engine/types.js';

export const JOB_STATUSES = ['queued', 'running', 'done', 'failed', 'cancelled', 'interrupted'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export type JobKind = 'story' | 'rerun' | 'new-images';

export const jobOptionsSchema = z.object({
  aspect: z.enum(ASPECTS),
  scenes: z.number().int().min(1).max(20).optional(),
  style: z.string().optional(),
  voice: z.string().optional(),
  maxBytes: z.number().int().positive(),
  /** Base image seed: scene i uses seed + i, so a resumed job asks for (and finds in the cache) the same images. */
  seed: z.number().int().nonnegative(),
});
export type JobOptions = z.infer<typeof jobOptionsSchema>;

export const scriptSchema = z.object({
  title: z.string(),
  writer: z.string(),
  visualBrief: z.string().optional(),
  fallbackReason: z.string().optional(),
  scenes: z.array(z.object({ index: z.number().int(), narration: z.string(), imagePrompt: z.string() })).min(1),
});

export const resultSchema = z.object({
  durationSeconds: z.number(),
  width: z.number(),
  height: z.number(),
  sizeBytes: z.number(),
  scenes: z.number(),
  fallbackScenes: z.array(z.number()),
  providers: z.object({ writer: z.string(), image: z.string(), voice: z.string() }),
});
export type JobResult = z.infer<typeof resultSchema>;

export const messageIdsSchema = z.object({
  /** The interaction's reply (edited through the interaction token while it lives). */
  original: z.string().optional(),
  /** A message the bot posted itself (token expired, or the job resumed after a restart). */
  channelMessage: z.string().optional(),
});
export type JobMessageIds = z.infer<typeof messageIdsSchema>;

export interface JobRecord {
  id: string;
  kind: JobKind;
  parentJobId?: string;
  guildId: string;
  channelId: string;
  userId: string;
  story: string;
  title?: string;
  options: JobOptions;
  seeds?: number[];
  script?: z.infer<typeof scriptSchema>;
  sceneResults?: unknown[];
  status: JobStatus;
  error?: string;
  timings: Record<string, number>;
  result?: JobResult;
  messageIds: JobMessageIds;
  attempts: number;
  createdAt: number;
  updatedAt: number;
}

/** Which status may follow which: history never goes back from an ending. */
export const TRANSITIONS: Record<JobStatus, JobStatus[]> = {
  queued: ['running', 'cancelled', 'interrupted', 'failed'],
  running: ['done', 'failed', 'cancelled', 'interrupted', 'queued'],
  interrupted: ['queued'],
  done: [],
  failed: [],
  cancelled: [],
};
