/**
 * What a render worker tells the gateway about a job, through BullMQ: progress reports (so the
 * gateway, the one process that writes history, can record them) and the job's result. Validated
 * on arrival.
 */
import { z } from 'zod';
import { progressSchema, resultSchema } from '../store/job-record.js';

export const workerReportSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('running'), startedAt: z.number().int() }),
  z.object({ type: z.literal('saved'), progress: progressSchema }),
  /** The worker posted a new message for the job (its reply was gone): history points at it. */
  z.object({ type: z.literal('message'), channelMessage: z.string().regex(/^\d{1,20}$/) }),
]);
export type WorkerReport = z.infer<typeof workerReportSchema>;

const finish = z.object({
  status: z.enum(['done', 'failed', 'cancelled', 'interrupted']),
  error: z.string().optional(),
  result: resultSchema.optional(),
  timings: z.record(z.string(), z.number()).optional(),
});

/** `end` absent: the run had nothing to record (a stale copy of a job already ended). */
export const workerResultSchema = z.object({
  end: z.union([finish, z.object({ status: z.literal('requeue') })]).optional(),
});
export type WorkerResult = z.infer<typeof workerResultSchema>;
