/**
 * With render workers, history is still written by the gateway alone (one writer for SQLite,
 * whatever the number of workers and machines): each shard records what the workers report about
 * its own guilds' jobs, and gives up jobs BullMQ failed because their workers died too often.
 */
import type { Logger } from '../core/log.js';
import { describeError } from '../core/describe-error.js';
import type { JobHistory } from '../store/job-history.js';
import type { BullmqTransport } from '../jobs/bullmq-transport.js';
import { workerReportSchema } from '../jobs/worker-messages.js';
import type { JobBoard } from './job-board.js';
import { recordEnd } from './history-report.js';
import { giveUp } from './recover-jobs.js';
import type { JobRecord } from '../store/job-record.js';
import { renderEndEmbed } from '../discord/progress-embed.js';
import { jobTranslator } from '../discord/job-locale.js';
import { interruptedButtons } from '../discord/result-buttons.js';
import { storyTitle } from '../engine/story-title.js';

/** How often the gateway reads the delivery ledger for jobs history still has as queued or running. */
const LEDGER_EVERY_MS = 3000;

export function followWorkers(
  transport: BullmqTransport,
  deps: { history: JobHistory; board: JobBoard; log: Logger; owns: (guildId: string) => boolean },
): void {
  const { history, log } = deps;
  // Every shard hears every job's events. Which jobs are this shard's is known without a SQLite
  // read: the ones it shows (started here) and its guilds' unfinished ones, read at start and
  // on every ledger round. Another shard's job costs nothing here.
  const following = new Set<string>();
  const refresh = () => {
    following.clear();
    for (const job of history.unfinished()) if (deps.owns(job.guildId)) following.add(job.id);
  };
  refresh();
  const mine = (id: string) => {
    if (!deps.board.get(id) && !following.has(id)) return undefined;
    const job = history.get(id);
    return job && deps.owns(job.guildId) ? job : undefined;
  };
  const safely = (id: string, what: string, fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      log.warn(`job ${id}: could not record ${what}: ${describeError(error)}`);
    }
  };
  transport.on('report', (id, raw) => {
    const job = mine(id);
    const report = workerReportSchema.safeParse(raw);
    if (!job || !report.success) return;
    if (report.data.type === 'running') {
      const startedAt = report.data.startedAt;
      safely(id, 'its start', () => job.status === 'queued' && history.markRunning(id, startedAt));
    } else if (report.data.type === 'saved') {
      const progress = report.data.progress;
      safely(id, 'its progress', () => history.saveProgress(id, progress));
    } else {
      const channelMessage = report.data.channelMessage;
      safely(id, 'its message', () => history.setMessageIds(id, { channelMessage }));
    }
  });
  transport.on('ended', (id, end) => {
    const job = mine(id);
    if (!job || (job.status !== 'queued' && job.status !== 'running')) return;
    safely(id, 'its end', () => {
      // Its start may never have been reported (lost with a Redis outage): a job ends from running.
      if (job.status === 'queued' && end.status !== 'requeue' && end.status !== 'cancelled') history.markRunning(id);
      recordEnd(history, id, end);
      log.info(`job ${id} ended: ${end.status}`);
    });
  });
  transport.on('lost', async (id, reason) => {
    if (!mine(id)) return;
    // A copy BullMQ failed (a lock lost) after another run delivered: the delivery is the end.
    const delivered = await transport.deliveredEnd(id).catch(() => undefined);
    if (delivered) return transport.endedFromLedger(id, delivered);
    const job = mine(id);
    if (!job || (job.status !== 'queued' && job.status !== 'running')) return;
    log.warn(`job ${id}: the render queue gave it up: ${reason}`);
    // BullMQ fails a job whose lock lapsed too often ("job stalled more than allowable limit"):
    // its workers died while making it. Anything else is a failure of the worker's own steps.
    const ended = /stalled/i.test(reason)
      ? giveUp(deps, { ...job, attempts: Math.max(job.attempts, 2) }, 'a render worker')
      : failVisibly(deps, job, reason);
    void ended.finally(() => transport.release(id));
  });
  followLedger(transport, history, deps.owns, refresh);
}

/** The reason (BullMQ's, raw) goes to the log and history; the member gets a plain sentence and Re-run. */
/**
 * The delivery ledger is where every end is written (a worker marks it before anything else);
 * queue events can be lost (a copy finishing after a Redis outage finds its lock gone and
 * reports nothing). So the gateway also reads the ledger for its unfinished jobs, every few seconds.
 */
function followLedger(transport: BullmqTransport, history: JobHistory, owns: (guildId: string) => boolean, refresh: () => void): void {
  transport.repeat(LEDGER_EVERY_MS, async () => {
    refresh();
    for (const job of history.unfinished()) {
      if (!owns(job.guildId)) continue;
      const end = await transport.deliveredEnd(job.id);
      if (end) transport.endedFromLedger(job.id, end);
    }
  });
}

async function failVisibly(deps: { history: JobHistory; board: JobBoard; log: Logger }, job: JobRecord, reason: string): Promise<void> {
  const t = jobTranslator(job.options);
  await deps.board
    .messageFor(job)
    .edit({
      embeds: [renderEndEmbed(job.title ?? storyTitle(job.story), 'failed', t('failure.plain'), job.id, t)],
      components: interruptedButtons(job.id, t),
    })
    .catch((error: unknown) => deps.log.warn(`job ${job.id}: could not show the failure: ${describeError(error)}`));
  deps.history.finish(job.id, { status: 'failed', error: `A render worker could not finish this story: ${reason}` });
}
