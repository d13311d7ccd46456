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

/** Waits for jobs' ends, as the transport reports them (GatewayJobs tells it every end). */
export class JobEndings {
  private readonly waiting = new Map<string, (() => void)[]>();

  /** Resolves true when the job ends, false after `ms`. */
  wait(id: string, ms: number): { ended: Promise<boolean>; cancel: () => void } {
    let done!: (ended: boolean) => void;
    const ended = new Promise<boolean>((resolve) => (done = resolve));
    const onEnd = () => finish(true);
    const timer = setTimeout(() => finish(false), ms);
    const finish = (value: boolean) => {
      clearTimeout(timer);
      const list = (this.waiting.get(id) ?? []).filter((f) => f !== onEnd);
      if (list.length) this.waiting.set(id, list);
      else this.waiting.delete(id);
      done(value);
    };
    this.waiting.set(id, [...(this.waiting.get(id) ?? []), onEnd]);
    return { ended, cancel: () => finish(false) };
  }

  ended(id: string): void {
    for (const onEnd of this.waiting.get(id) ?? []) onEnd();
  }
}

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
