/**
 * Cancel: a waiting job leaves the line and its message says so here; a running one is told to
 * stop wherever it runs (this process, or a render worker, which then shows "Cancelled").
 */
import type { ButtonInteraction } from 'discord.js';
import { renderEndEmbed } from '../discord/progress-embed.js';
import { storyTitle } from '../engine/story-title.js';
import type { JobRecord } from '../store/job-record.js';
import type { GatewayDeps } from './gateway-deps.js';
import { ephemeral } from './start-story.js';
import { memberTextFor } from '../discord/member-text.js';
import { jobTranslator } from '../discord/job-locale.js';

export async function cancelJob(deps: GatewayDeps, interaction: ButtonInteraction, job: JobRecord): Promise<void> {
  const { t } = memberTextFor(interaction);
  if ((await deps.transport.position(job.id)) === undefined) {
    await interaction.reply(ephemeral(t('jobs.alreadyFinished')));
    return;
  }
  await interaction.deferUpdate();
  // Asked again after the await: the job may have started (or ended) meanwhile.
  const where = await deps.transport.cancel(job.id, interaction.user.id);
  if (where !== 'waiting') return;
  const title = deps.board.get(job.id)?.progress.title ?? job.title ?? storyTitle(job.story);
  deps.board.forget(job.id);
  deps.history.finish(job.id, { status: 'cancelled', error: 'cancelled by user' });
  // The job's message speaks the job's language, whoever pressed Cancel.
  const inJob = jobTranslator(job.options);
  await interaction.editReply({
    embeds: [renderEndEmbed(title, 'cancelled', inJob('failure.cancelledBy', { user: `<@${interaction.user.id}>` }), job.id, inJob)],
    components: [],
  });
}
