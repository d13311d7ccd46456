/**
 * The buttons on a job's message: Re-run, New images, Subtitles, Cancel, Delete. A button only acts on the job
 * of the message it sits on, in the server it was pressed in (a custom_id naming another job, or a
 * job of another server, is refused), and only for the person who asked (or a moderator with
 * Manage Messages, for Cancel and Delete).
 */
import { PermissionFlagsBits, type ButtonInteraction } from 'discord.js';
import { parseJobButtonId } from '../../discord/custom-ids.js';
import type { GatewayDeps } from '../gateway-deps.js';
import { cancelJob } from '../cancel-job.js';
import { deleteJob } from '../delete-job.js';
import { ephemeral, requestFrom, startStory } from '../start-story.js';
import { jobOfThisMessage, ownerOrRefuse } from './preconditions.js';
import { sendSubtitles } from '../send-subtitles.js';
import { memberTextFor } from '../../discord/member-text.js';

export async function handleJobButton(deps: GatewayDeps, interaction: ButtonInteraction): Promise<void> {
  const parsed = parseJobButtonId(interaction.customId);
  const job = await jobOfThisMessage(deps, interaction, parsed?.jobId, `button ${parsed?.action ?? ''}`.trim());
  if (!parsed || !job) return;
  const moderators = PermissionFlagsBits.ManageMessages;
  switch (parsed.action) {
    case 'rerun':
    case 'images':
      if (!(await ownerOrRefuse(interaction, job, { doing: 'doThat' }))) return;
      if (parsed.action === 'images' && !job.script)
        return void (await interaction.reply(ephemeral(memberTextFor(interaction).t('jobs.noSavedScenes'))));
      await startStory(deps, interaction, requestFrom(job), { kind: parsed.action === 'rerun' ? 'rerun' : 'new-images', parent: job });
      return;
    case 'cancel':
      if (!(await ownerOrRefuse(interaction, job, { doing: 'doThat', moderators }))) return;
      return void (await cancelJob(deps, interaction, job));
    case 'subtitles':
      return void (await sendSubtitles(interaction, job));
    case 'delete':
      if (!(await ownerOrRefuse(interaction, job, { doing: 'doThat', moderators }))) return;
      return void (await deleteJob(deps, interaction, job));
  }
}
