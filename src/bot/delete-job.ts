/**
 * Delete: the job's message goes, and so does what the bot keeps of it. A job still waiting leaves
 * the line; a running one is stopped wherever it runs, and once it has stopped its history row is
 * removed (its re-runs stay, no longer pointing at it) with any file of it left in the work folder.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ButtonInteraction } from 'discord.js';
import { describeError } from '../core/describe-error.js';
import type { JobRecord } from '../store/job-record.js';
import type { GatewayDeps } from './gateway-deps.js';

/** How long Delete waits for a running render to stop before removing what it keeps anyway. */
const STOP_WAIT_MS = 60_000;

export async function deleteJob(deps: GatewayDeps, interaction: ButtonInteraction, job: JobRecord): Promise<void> {
  await interaction.deferUpdate();
  if (job.status === 'queued' || job.status === 'running') {
    const stop = deps.endings.wait(job.id, STOP_WAIT_MS);
    const where = await deps.transport.cancel(job.id, interaction.user.id);
    // A running render records its end (cancelled) and edits its message one last time: after that, both go.
    if (where === 'running' && !(await stop.ended)) deps.log.warn(`job ${job.id}: deleted before its render said it stopped`);
    stop.cancel();
    deps.board.forget(job.id);
  }
  await interaction.deleteReply();
  deps.history.delete(job.id);
  if (deps.workDir)
    await removeJobFiles(deps.workDir, job.id).catch((error: unknown) => deps.log.warn(`job ${job.id}: ${describeError(error)}`));
  deps.log.info(`job ${job.id} deleted by ${interaction.user.id}`);
}

/** The job's files in the work folder (its video before upload, its preview sheets): named after its id. */
async function removeJobFiles(workDir: string, id: string): Promise<void> {
  const names = await readdir(workDir).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => n.startsWith(id)).map((n) => rm(join(workDir, n), { recursive: true, force: true })));
}
