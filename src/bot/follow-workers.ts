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

export function followWorkers(transport: BullmqTransport, deps: { history: JobHistory; board: JobBoard; log: Logger; owns: (guildId: string) => boolean }): void {
  const { history, log } = deps;
  const mine = (id: string) => {
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
    }
    else if (report.data.type === 'saved') {
      const progress = report.data.progress;
      safely(id, 'its progress', () => history.saveProgress(id, progress));
    } else {
      const channelMessage = report.data.channelMessage;
      safely(id, 'its message', () => history.setMessageIds(id, { channelMessage }));
    }
  });
  transport.on('ended', (id, end) => {
    const job = mine(id);
    if (job && (job.status === 'queued' || job.status === 'running')) safely(id, 'its end', () => recordEnd(history, id, end));
  });
  transport.on('lost', (id, reason) => {
    const job = mine(id);
    if (!job || (job.status !== 'queued' && job.status !== 'running')) return;
    log.warn(`job ${id}: the render queue gave it up: ${reason}`);
    const gaveUp = { ...job, attempts: Math.max(job.attempts, 2) };
    void giveUp(deps, gaveUp, 'a render worker').finally(() => transport.release(id));
  });
}
