/**
 * One in-process admission, synchronous from start to end (no await: two commands can never both
 * pass a limit): the server's own running limit applied, the line's rules (JobQueue.check), then
 * the quotas decided and the job's cost reserved in SQLite (QuotaLedger), then the job joins the
 * line. Used by InProcessTransport and by the admission-rules table test.
 */
import type { Admission } from './admission-rules.js';
import type { JobQueue, QueuedJob } from './in-process-queue.js';
import { checkGuildLimits, ONE_STORY, type DailyCaps, type GuildLimits, type JobCost } from './quota-rules.js';
import type { QuotaLedger } from '../jobs/quota-ledger.js';

export interface Quotas {
  ledger: QuotaLedger;
  caps: DailyCaps;
}

export function admitInProcess<T>(
  queue: JobQueue<T>,
  quotas: Quotas | undefined,
  job: QueuedJob<T> & { cost?: JobCost },
  guild: GuildLimits | undefined,
): Admission {
  if (guild) checkGuildLimits(guild);
  queue.limitGuild(job.guildId, guild?.maxRunning);
  const check = queue.check(job.guildId, job.userId);
  if (!check.ok) return check;
  const refused = quotas?.ledger.admit(
    { id: job.id, guildId: job.guildId, userId: job.userId, cost: job.cost ?? ONE_STORY },
    guild,
    quotas.caps,
  );
  if (refused) return refused;
  return queue.submit({ id: job.id, guildId: job.guildId, userId: job.userId, payload: job.payload });
}
