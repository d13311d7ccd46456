/**
 * The /history menu: re-runs the picked story. Only a story the menu itself offered (a value
 * among its options), of this server, and the picker's own (or anyone's, with Manage Server).
 */
import { PermissionFlagsBits, type StringSelectMenuInteraction } from 'discord.js';
import type { GatewayDeps } from '../gateway-deps.js';
import { ephemeral, requestFrom, startStory } from '../start-story.js';
import { ownerOrRefuse } from './preconditions.js';
import { memberTextFor } from '../../discord/member-text.js';
import { admissionScopeOf } from '../../core/admission-scope.js';

export async function rerunFromHistory(deps: GatewayDeps, interaction: StringSelectMenuInteraction): Promise<void> {
  const jobId = interaction.values[0] ?? '';
  // Only a value the menu itself offered (when its message is known: it always is, on Discord).
  const options = interaction.component?.options;
  const offered = !options || options.some((o) => o.value === jobId);
  const job = deps.history.get(jobId);
  if (!offered || !job || job.guildId !== admissionScopeOf(interaction)) {
    await interaction.reply(ephemeral(memberTextFor(interaction).t('jobs.notInServerHistory')));
    return;
  }
  if (!(await ownerOrRefuse(interaction, job, { doing: 'rerun', moderators: PermissionFlagsBits.ManageGuild }))) return;
  await startStory(deps, interaction, requestFrom(job), { kind: 'rerun', parent: job });
}
