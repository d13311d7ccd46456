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
import { jobOfThisMessage, ownerOrRefuse } from './preconditions.js';
import { memberTextFor } from '../../discord/member-text.js';

export async function handleRedoMenu(deps: GatewayDeps, interaction: StringSelectMenuInteraction): Promise<void> {
  const job = await jobOfThisMessage(deps, interaction, parseRedoMenuId(interaction.customId), 'menu redo');
  if (!job || !(await ownerOrRefuse(interaction, job, { doing: 'redo' }))) return;
  const { t } = memberTextFor(interaction);
  if (job.status !== 'done' || !job.script || !job.seeds || job.seeds.length !== job.script.scenes.length) {
    await interaction.reply(ephemeral(t('jobs.noFinishedScenes')));
    return;
  }
  const value = interaction.values[0] ?? '';
  const scene = /^\d{1,2}$/.test(value) ? Number(value) : -1;
  if (scene < 0 || scene >= job.script.scenes.length) {
    await interaction.reply(ephemeral(t('jobs.pickScene', { count: job.script.scenes.length })));
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
