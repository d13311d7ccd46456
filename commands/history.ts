/** /history: your recent stories in this server (everyone's for members with Manage Server), with a re-run menu. */
import { ActionRowBuilder, MessageFlags, PermissionFlagsBits, SlashCommandBuilder, StringSelectMenuBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../src/bot/context.js';
import { HISTORY_MENU_ID } from '../src/discord/custom-ids.js';
import { truncate } from '../src/core/truncate.js';
import type { JobRecord } from '../src/store/job-record.js';

export const data = new SlashCommandBuilder()
  .setName('history')
  .setDescription('Your recent story videos in this server')
  .addBooleanOption((o) => o.setName('everyone').setDescription("Everyone's stories (needs Manage Server)"));

const STATUS_ICON: Record<JobRecord['status'], string> = { queued: '⏳', running: '🔄', done: '✅', failed: '❌', cancelled: '🛑', interrupted: '⚠️' };

export function messageLink(job: JobRecord): string | undefined {
  const id = job.messageIds.channelMessage ?? job.messageIds.original;
  return id ? `https://discord.com/channels/${job.guildId}/${job.channelId}/${id}` : undefined;
}

export function historyLine(job: JobRecord): string {
  const title = truncate((job.title ?? job.story).replace(/\s+/g, ' ').replace(/[[\]`*_~|\\]/g, ''), 60);
  const link = messageLink(job);
  const when = `<t:${Math.floor(job.createdAt / 1000)}:R>`;
  return `${STATUS_ICON[job.status]} ${link ? `[${title}](${link})` : title} · ${when}${job.userId ? ` · <@${job.userId}>` : ''}`;
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  if (!interaction.guildId) {
    await interaction.reply({ content: 'Use /history in a server.', flags: MessageFlags.Ephemeral });
    return;
  }
  const everyone = interaction.options.getBoolean('everyone') ?? false;
  if (everyone && !interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) {
    await interaction.reply({ content: "Seeing everyone's stories needs the Manage Server permission.", flags: MessageFlags.Ephemeral });
    return;
  }
  const jobs = ctx.history.recent({ guildId: interaction.guildId, userId: everyone ? undefined : interaction.user.id, limit: 10 });
  if (jobs.length === 0) {
    await interaction.reply({ content: 'No stories yet: make one with /story.', flags: MessageFlags.Ephemeral });
    return;
  }
  const menu = new StringSelectMenuBuilder()
    .setCustomId(HISTORY_MENU_ID)
    .setPlaceholder('Re-run one of these…')
    .addOptions(jobs.map((j) => ({ label: truncate((j.title ?? j.story).replace(/\s+/g, ' '), 100), value: j.id, description: `${j.status} · job ${j.id}` })));
  await interaction.reply({
    content: truncate(jobs.map(historyLine).join('\n'), 2000),
    components: [new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(menu)],
    flags: MessageFlags.Ephemeral,
    allowedMentions: { parse: [] },
  });
}
