/**
 * The buttons on a job's message: Re-run, New images, Subtitles, Cancel, Delete. A button only acts on the job
 * of the message it sits on, in the server it was pressed in (a custom_id naming another job, or a
 * job of another server, is refused), and only for the person who asked (or a moderator with
 * Manage Messages, for Cancel and Delete).
 */
import { PermissionFlagsBits, type ButtonInteraction } from 'discord.js';
import { parseJobButtonId } from '../../discord/custom-ids.js';
import type { JobRecord } from '../../store/job-record.js';
import type { GatewayDeps } from '../gateway-deps.js';
import { cancelJob } from '../cancel-job.js';
import { ephemeral, requestFrom, startStory } from '../start-story.js';
import { sendSubtitles } from '../send-subtitles.js';

/** Is this interaction's message one that shows this job, in this job's server? */
export function belongsHere(job: JobRecord, interaction: { guildId: string | null; message: { id: string } }): boolean {
  const shownIn = [job.messageIds.original, job.messageIds.channelMessage, job.messageIds.result];
  return job.guildId === interaction.guildId && shownIn.includes(interaction.message.id);
}

export async function handleJobButton(deps: GatewayDeps, interaction: ButtonInteraction): Promise<void> {
  const parsed = parseJobButtonId(interaction.customId);
  const job = parsed && deps.history.get(parsed.jobId);
  if (!parsed || !job) {
    await interaction.reply(ephemeral('This story is no longer in the history.'));
    return;
  }
  if (!belongsHere(job, interaction)) {
    deps.log.warn(
      `button ${parsed.action} for job ${job.id} refused: pressed on message ${interaction.message.id} in guild ${interaction.guildId}, which does not show that job`,
    );
    await interaction.reply(ephemeral('This button does not belong to this message.'));
    return;
  }
  const isOwner = interaction.user.id === job.userId;
  const canManage = interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages) ?? false;
  const notYours = () =>
    interaction.reply(
      ephemeral(
        `Not yours: only <@${job.userId}>${parsed.action === 'cancel' || parsed.action === 'delete' ? ' or a moderator' : ''} can do that. Make your own with /story.`,
      ),
    );
  switch (parsed.action) {
    case 'rerun':
    case 'images':
      if (!isOwner) return void (await notYours());
      if (parsed.action === 'images' && !job.script)
        return void (await interaction.reply(ephemeral('This story has no saved scenes to reuse; use Re-run.')));
      await startStory(deps, interaction, requestFrom(job), { kind: parsed.action === 'rerun' ? 'rerun' : 'new-images', parent: job });
      return;
    case 'cancel':
      if (!isOwner && !canManage) return void (await notYours());
      return void (await cancelJob(deps, interaction, job));
    case 'subtitles':
      return void (await sendSubtitles(interaction, job));
    case 'delete':
      if (!isOwner && !canManage) return void (await notYours());
      await interaction.deferUpdate();
      await interaction.deleteReply();
      return;
  }
}
