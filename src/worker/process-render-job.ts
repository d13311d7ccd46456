/**
 * What a render worker does with one BullMQ job: open its sealed ticket, check it is still this
 * job's turn (BullMQ delivers at least once: a copy of a job that already ended is dropped), run
 * it (runStoryJob: render, progress in its message, delivery), then record that it was delivered,
 * free its places in line and start the next jobs that now fit.
 *
 * Stopping (SIGTERM): the render is aborted and the job goes back on the queue at once for
 * another worker (not counted as a stall). Cancel reaches a running render through the cancel
 * channel within a moment, or through the cancel key when it starts after the button was pressed.
 */
import { DelayedError, type Job } from 'bullmq';
import type { REST } from 'discord.js';
import type { Logger } from '../core/log.js';
import { describeError } from '../core/describe-error.js';
import type { Engine } from '../engine/create-engine.js';
import type { ProgressEvent } from '../engine/events.js';
import { storyTitle } from '../engine/story-title.js';
import { randomBytes } from 'node:crypto';
import { EditRefusedError, JobMessage } from '../discord/job-message.js';
import { ProgressState } from '../discord/progress-state.js';
import { webhookOnlyFor } from '../discord/time-up.js';
import { CancelledByUser } from '../jobs/cancelled-by-user.js';
import type { RedisJobs, RenderJobData, RunHolder } from '../jobs/redis-jobs.js';
import type { WorkerReport, WorkerResult } from '../jobs/worker-messages.js';
import { runStoryJob } from '../job-runner/run-story-job.js';

export interface WorkerContext {
  jobs: RedisJobs;
  engine: Engine;
  rest: REST;
  workDir: string;
  log: Logger;
  editIntervalMs?: number;
  /** Running renders by job id, so Cancel and shutdown can stop them. */
  running: Map<string, AbortController>;
  stopping: () => boolean;
  onEvent?: (event: ProgressEvent) => void;
}

export async function processRenderJob(ctx: WorkerContext, job: Job<RenderJobData>, token?: string): Promise<WorkerResult> {
  const { jobs, log } = ctx;
  let ticket;
  try {
    ticket = jobs.openTicket(job.data.ticket, String(job.id));
  } catch (error) {
    log.error(`job ${job.id}: its ticket cannot be opened (${describeError(error)}): is DISCORD_TOKEN the same on every machine?`);
    return { end: { status: 'failed', error: 'a render worker could not read this job (its configuration differs from the bot’s)' } };
  }
  const { id } = ticket;
  if ((await jobs.admission.get(id))?.state !== 'running') {
    log.info(`job ${id}: a copy of a job that already ended; dropped`);
    return {};
  }
  const previous = await jobs.delivered(id);
  if (previous) return { end: previous };
  const controller = new AbortController();

  // This run holds the job while BullMQ's lock is its own: every edit of the message asks first
  // (a worker paused or cut off past its lock must not touch a message another run now owns).
  const holder: RunHolder = {
    lock: token ? { key: `${job.queueQualifiedName}:${job.id}:lock`, token } : undefined,
    runToken: randomBytes(8).toString('hex'),
  };
  let stale = false;
  const lostTheJob = () => {
    if (stale) return;
    stale = true;
    controller.abort(new EditRefusedError(true));
    jobs.dropClaim(id, holder.runToken!).catch(() => undefined);
  };
  log.info(`job ${id}: rendering${job.stalledCounter > 0 ? ` (taken up again: its worker stopped ${job.stalledCounter} time(s))` : ''}`);
  ctx.running.set(id, controller);
  const cancelledBy = await jobs.cancelledBy(id);
  if (cancelledBy) controller.abort(new CancelledByUser(cancelledBy));
  const report = (r: WorkerReport) =>
    job.updateProgress(r).catch((e: unknown) => log.warn(`job ${id}: progress report failed: ${describeError(e)}`));
  const message = new JobMessage({
    rest: ctx.rest,
    applicationId: ticket.message.applicationId,
    channelId: ticket.channelId,
    jobId: id,
    log,
    interaction: ticket.message.interaction,
    messageId: ticket.message.messageId,
    onChannelMessage: (channelMessage) => void report({ type: 'message', channelMessage }),
    webhookOnly: webhookOnlyFor(ticket),
    mayEdit: async () => {
      if (stale) return 'no';
      const answer = await jobs.holds(id, holder);
      if (answer === 'no') lostTheJob();
      return answer;
    },
  });
  const progress = new ProgressState(ticket.title ?? storyTitle(ticket.story));
  if (job.stalledCounter > 0) progress.note = 'progress.takenUpAgain';
  let end;
  try {
    end = await runStoryJob({
      ticket,
      engine: ctx.engine,
      message,
      progress,
      report: {
        running: () => report({ type: 'running', startedAt: Date.now() }),
        saved: (p) => report({ type: 'saved', progress: p }),
        ended: () => undefined,
      },
      workDir: ctx.workDir,
      log,
      signal: controller.signal,
      editIntervalMs: ctx.editIntervalMs,
      stopping: ctx.stopping,
      stoppingText: 'failure.workerStopped',
      claimDelivery: async () => {
        const claim = await jobs.claimDelivery(id, holder);
        if (!claim.ok && claim.stale) lostTheJob();
        return claim;
      },
      onEvent: ctx.onEvent,
    });
  } catch (error) {
    // A run that will not reach markDelivered does not keep its delivery claim alive.
    await jobs.dropClaim(id, holder.runToken!).catch(() => undefined);
    throw error;
  } finally {
    ctx.running.delete(id);
  }
  if (stale || end.status === 'requeue') await jobs.dropClaim(id, holder.runToken!).catch(() => undefined);
  // The job is another run's now: it records the end; this copy ends with nothing to say.
  if (stale) return {};
  if (end.status === 'requeue') {
    await job.moveToDelayed(Date.now() + 200, token);
    throw new DelayedError();
  }
  await jobs.markDelivered(id, end);
  await jobs.release(id);
  return { end };
}
