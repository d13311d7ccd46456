/**
 * The transport config asks for: none of REDIS_URL -> jobs run in this process, rendered by its
 * engine, recorded straight into history; REDIS_URL -> jobs go to render workers through BullMQ,
 * and what the workers report is recorded here (this shard's guilds only).
 */
import { ticketSecret, type Config } from '../config.js';
import type { Logger } from '../core/log.js';
import type { Engine } from '../engine/create-engine.js';
import type { ProgressEvent } from '../engine/events.js';
import type { JobHistory } from '../store/job-history.js';
import { InProcessTransport } from '../jobs/in-process-transport.js';
import type { JobTransport } from '../jobs/job-transport.js';
import { BullmqTransport } from '../jobs/bullmq-transport.js';
import { runStoryJob } from '../job-runner/run-story-job.js';
import type { JobBoard } from './job-board.js';
import { historyReport } from './history-report.js';
import { followWorkers } from './follow-workers.js';
import { QuotaLedger } from '../jobs/quota-ledger.js';

export interface TransportDeps {
  config: Config;
  engine?: Engine;
  history: JobHistory;
  /** The history's SQLite file: in-process mode keeps the quota counts there too. */
  historyPath: string;
  board: JobBoard;
  workDir: string;
  log: Logger;
  editIntervalMs?: number;
  owns?: (guildId: string) => boolean;
  /** Told every progress event of renders in this process (metrics). */
  onEvent?: (event: ProgressEvent) => void;
}

export async function createTransport(deps: TransportDeps): Promise<JobTransport> {
  const { config, history, board, log } = deps;
  const limits = {
    perGuildRunning: config.limits.jobsPerGuild,
    perGuildWaiting: config.limits.queuePerGuild,
    globalRunning: config.limits.runningJobs,
  };
  if (config.redis) {
    const transport = await BullmqTransport.connect({
      url: config.redis.url,
      limits,
      caps: config.limits.daily,
      ticketSecret: ticketSecret(config)!,
      log,
      owns: deps.owns,
    });
    followWorkers(transport, { history, board, log, owns: deps.owns ?? (() => true) });
    return transport;
  }
  const engine = deps.engine!;
  // Quotas survive a restart: counted in the same SQLite file as the history (its own connection).
  const quotas = { ledger: new QuotaLedger(deps.historyPath), caps: config.limits.daily };
  const transport: InProcessTransport = new InProcessTransport(
    limits,
    async (ticket, signal) => {
      const shown = board.handOff(ticket.id) ?? board.show(history.get(ticket.id)!);
      try {
        return await runStoryJob({
          ticket,
          engine,
          message: shown.message,
          progress: shown.progress,
          report: historyReport(history, ticket.id),
          workDir: deps.workDir,
          log,
          signal,
          editIntervalMs: deps.editIntervalMs,
          stopping: () => transport.closing,
          stoppingText: 'failure.botRestarting',
          onEvent: deps.onEvent,
        });
      } finally {
        board.forget(ticket.id);
      }
    },
    quotas,
  );
  return transport;
}
