/**
 * The checks every button and menu of a job makes before it acts, each written once (like
 * Sapphire's preconditions): the job exists and is shown on this very message in its own server
 * (a custom_id naming another job, or a job of another server, is refused), and the member may act
 * on it (the person who asked; for some actions also a moderator). Each refusal is a private reply.
 */
import type { ButtonInteraction, StringSelectMenuInteraction } from 'discord.js';
import type { JobRecord } from '../../store/job-record.js';
import type { GatewayDeps } from '../gateway-deps.js';
import { ephemeral } from '../start-story.js';
import { memberTextFor } from '../../discord/member-text.js';
import { isUserScope } from '../../core/admission-scope.js';

type JobComponent = ButtonInteraction | StringSelectMenuInteraction;

/** Is this interaction's message one that shows this job, in this job's server (or, a member's own job, its channel)? */
export function belongsHere(
  job: JobRecord,
  interaction: { guildId: string | null; channelId?: string | null; message: { id: string } },
): boolean {
  const shownIn = [job.messageIds.original, job.messageIds.channelMessage, job.messageIds.result];
  const here = isUserScope(job.guildId) ? job.channelId === interaction.channelId : job.guildId === interaction.guildId;
  return here && shownIn.includes(interaction.message.id);
}

/** The job a component names, when it is in history and shown on the component's own message; else refused. */
export async function jobOfThisMessage(
  deps: GatewayDeps,
  interaction: JobComponent,
  jobId: string | undefined,
  what: string,
): Promise<JobRecord | undefined> {
  const { t } = memberTextFor(interaction);
  const job = jobId ? deps.history.get(jobId) : undefined;
  if (!job) {
    await interaction.reply(ephemeral(t('jobs.goneFromHistory')));
    return undefined;
  }
  if (!belongsHere(job, interaction)) {
    deps.log.warn(
      `${what} for job ${job.id} refused: used on message ${interaction.message.id} in guild ${interaction.guildId}, which does not show that job`,
    );
    await interaction.reply(ephemeral(t(interaction.isButton() ? 'jobs.buttonNotHere' : 'jobs.menuNotHere')));
    return undefined;
  }
  return job;
}

/** What a member may be refused to do, as a key of "jobs.actions". */
export type JobAction = 'doThat' | 'rerun' | 'redo';

/**
 * Only the person who asked may `doing` (or, with `moderators`, a member holding that permission
 * here); anyone else is told privately, in their language, whose it is. True when the member may go on.
 */
export async function ownerOrRefuse(
  interaction: JobComponent,
  job: Pick<JobRecord, 'userId'>,
  opts: { doing: JobAction; moderators?: bigint },
): Promise<boolean> {
  if (interaction.user.id === job.userId) return true;
  if (opts.moderators !== undefined && interaction.memberPermissions?.has(opts.moderators)) return true;
  const { t } = memberTextFor(interaction);
  const vars = { owner: `<@${job.userId}>`, action: t(`jobs.actions.${opts.doing}`) };
  await interaction.reply(ephemeral(t(opts.moderators !== undefined ? 'jobs.notYoursOrModerator' : 'jobs.notYours', vars)));
  return false;
}
