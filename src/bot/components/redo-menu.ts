/**
 * "Redo a scene…" under a finished video: makes one scene again (a new image with a new seed;
 * every other image, the narration and the other clips from the cache) and replaces the video in
 * the same message. Like the buttons: only on the message that shows the job, in its server, and
 * only for the person who asked. The custom_id carries the job id, so it works after a restart.
 */
import type { StringSelectMenuInteraction } from 'discord.js';
import { parseRedoMenuId } from '../../discord/custom-ids.js';
import type { GatewayDeps } from '../gateway-deps.js';
import { ephemeral, startStory } from '../start-story.js';
import { belongsHere } from './job-buttons.js';

export async function handleRedoMenu(deps: GatewayDeps, interaction: StringSelectMenuInteraction): Promise<void> {
  const jobId = parseRedoMenuId(interaction.customId);
  const job = jobId && deps.history.get(jobId);
  if (!jobId || !job) {
    await interaction.reply(ephemeral('This story is no longer in the history.'));
    return;
  }
  if (!belongsHere(job, interaction)) {
    deps.log.warn(
      `redo menu for job ${job.id} refused: used on message ${interaction.message.id} in guild ${interaction.guildId}, which does not show that job`,
    );
    await interaction.reply(ephemeral('This menu does not belong to this message.'));
    return;
  }
  if (interaction.user.id !== job.userId) {
    await interaction.reply(ephemeral(`Not yours: only <@${job.userId}> can redo a scene of this story. Make your own with /story.`));
    return;
  }
  if (job.status !== 'done' || !job.script || !job.seeds || job.seeds.length !== job.script.scenes.length) {
    await interaction.reply(ephemeral('This story has no finished scenes to redo; use Re-run.'));
    return;
  }
  const value = interaction.values[0] ?? '';
  const scene = /^\d{1,2}$/.test(value) ? Number(value) : -1;
  if (scene < 0 || scene >= job.script.scenes.length) {
    await interaction.reply(ephemeral(`This story has scenes 1-${job.script.scenes.length}; pick one of them.`));
    return;
  }
  const { options } = job;
  await startStory(
    deps,
    interaction,
    { story: job.story, aspect: options.aspect, scenes: options.scenes, style: options.style, voice: options.voice },
    { kind: 'redo', parent: job, scene },
  );
}
