/**
 * After a restart: every unfinished job in history (of this shard's servers, so each job is
 * recovered once however many shards run) is put right. One still known to the transport (in
 * line or running on a worker) is only shown again; one that ended while no gateway listened is
 * recorded; any other goes back in line, edited in the message it was shown in, unless it was
 * found running after MAX_RESUMES resumes: then it is given up, visibly, with Re-run.
 */
import { describeError } from '../core/describe-error.js';
import { renderEndEmbed } from '../discord/progress-embed.js';
import { progressView } from '../discord/progress-view.js';
import { interruptedButtons } from '../discord/result-buttons.js';
import { storyTitle } from '../engine/story-title.js';
import { jobTranslator } from '../discord/job-locale.js';
import type { JobRecord } from '../store/job-record.js';
import { ticketFromRecord } from '../jobs/job-ticket.js';
import type { GatewayDeps } from './gateway-deps.js';
import { recordEnd } from './history-report.js';

/**
 * How many times a job found running at start is resumed. Past that it is given up: a job that
 * brings its process down every time it runs must not be resumed forever.
 */
export const MAX_RESUMES = 2;

export async function recoverJobs(deps: GatewayDeps, owns: (guildId: string) => boolean = () => true): Promise<number> {
  let resumed = 0;
  for (const job of deps.history.unfinished()) {
    if (!owns(job.guildId)) continue;
    const where = await deps.transport.status(job.id);
    if (where.state === 'ended') recordEnd(deps.history, job.id, where.end);
    else if (where.state === 'waiting') {
      deps.board.show(job);
      deps.board.queued(job.id, where.position);
    } else if (where.state === 'unknown') resumed += (await resume(deps, job)) ? 1 : 0;
  }
  return resumed;
}

async function resume(deps: GatewayDeps, job: JobRecord): Promise<boolean> {
  const { history, board, transport, log } = deps;
  if (job.status === 'running' && job.attempts >= MAX_RESUMES) {
    await giveUp(deps, job);
    return false;
  }
  const record = job.status === 'running' ? history.requeue(job.id) : job;
  const shown = board.show(record);
  shown.progress.note = 'progress.resumed';
  try {
    await shown.message.edit(progressView(shown.progress, record.id, shown.t));
  } catch (error) {
    board.forget(record.id);
    history.finish(record.id, { status: 'interrupted', error: `could not resume: ${describeError(error)}` });
    log.warn(`job ${record.id}: marked interrupted, could not resume: ${describeError(error)}`);
    return false;
  }
  const admission = await transport.admit({ id: record.id, guildId: record.guildId, userId: record.userId });
  if (!admission.ok) {
    board.forget(record.id);
    history.finish(record.id, { status: 'cancelled', error: admission.message });
    await shown.message
      .edit({ embeds: [renderEndEmbed(shown.progress.title, 'cancelled', admission.message, record.id, shown.t)], components: [] })
      .catch(() => undefined);
    return false;
  }
  board.queued(record.id, (await transport.position(record.id)) ?? admission.position);
  // History does not keep the server's blocked words: the settings as they are now travel with the resumed job.
  const blockedWords = deps.settings?.get(record.guildId).blockedWords;
  await transport.submit(ticketFromRecord(history.get(record.id) ?? record, deps.applicationId, undefined, { blockedWords }));
  return true;
}

/** Marks a job interrupted for good and says so in its message, with Re-run and Delete. */
export async function giveUp(deps: Pick<GatewayDeps, 'board' | 'history' | 'log'>, job: JobRecord, who = 'the bot'): Promise<void> {
  const stops = job.attempts + 1;
  const reason = `not resumed again: ${who} stopped ${stops} times while making it`;
  const t = jobTranslator(job.options);
  const text = t(who === 'the bot' ? 'failure.givenUpBot' : 'failure.givenUpWorker', { times: stops });
  let shown = '';
  try {
    await deps.board.messageFor(job).edit({
      embeds: [renderEndEmbed(job.title ?? storyTitle(job.story), 'interrupted', text, job.id, t)],
      components: interruptedButtons(job.id, t),
    });
  } catch (error) {
    shown = `; the message could not be updated: ${describeError(error)}`;
  }
  deps.history.finish(job.id, { status: 'interrupted', error: reason + shown });
  deps.log.warn(`job ${job.id}: marked interrupted, ${reason}${shown}`);
}
