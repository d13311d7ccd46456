/**
 * /history: your recent stories, with a re-run menu. In a server that installed the bot, its admins
 * (Manage Server) see every job of the server unless they ask for their own (`everyone:false`);
 * in a DM, or a server without the bot, the member's own stories (their own scope).
 */
import {
  ActionRowBuilder,
  escapeMarkdown,
  MessageFlags,
  messageLink,
  PermissionFlagsBits,
  SlashCommandBuilder,
  StringSelectMenuBuilder,
  time,
  TimestampStyles,
  type ChatInputCommandInteraction,
} from 'discord.js';
import type { BotContext } from '../src/bot/context.js';
import { HISTORY_MENU_ID } from '../src/discord/custom-ids.js';
import { truncate } from '../src/core/truncate.js';
import type { JobRecord } from '../src/store/job-record.js';
import { localizationsOf, translator } from '../src/i18n/translate.js';
import { memberTextFor } from '../src/discord/member-text.js';
import { ANYWHERE_CONTEXTS, ANYWHERE_INSTALLS } from '../src/bot/usable-anywhere.js';
import { admissionScopeOf, botInstalledHere, isUserScope } from '../src/core/admission-scope.js';

/** The default (English) texts come from the same message files as their localizations. */
const english = translator('en');

export const data = new SlashCommandBuilder()
  .setName('history')
  .setNameLocalizations(localizationsOf('commands.history.name'))
  .setDescription(english('commands.history.description'))
  .setDescriptionLocalizations(localizationsOf('commands.history.description'))
  .addBooleanOption((o) =>
    o
      .setName('everyone')
      .setDescription(english('commands.history.options.everyone'))
      .setDescriptionLocalizations(localizationsOf('commands.history.options.everyone')),
  )
  // Usable anywhere (issue 23, item 5): server and user installs; servers, the bot's DM, group DMs.
  .setIntegrationTypes(...ANYWHERE_INSTALLS)
  .setContexts(...ANYWHERE_CONTEXTS);

const STATUS_ICON: Record<JobRecord['status'], string> = {
  queued: '⏳',
  running: '🔄',
  done: '✅',
  failed: '❌',
  cancelled: '🛑',
  interrupted: '⚠️',
};

/** The message that shows the job: the one the bot posted itself, else the interaction's reply. */
export function jobLink(job: JobRecord): string | undefined {
  const id = job.messageIds.channelMessage ?? job.messageIds.original;
  if (!id) return undefined;
  // A member's own scope (a DM, a server without the bot) links without a server.
  return isUserScope(job.guildId) ? messageLink(job.channelId, id) : messageLink(job.channelId, id, job.guildId);
}

export function historyLine(job: JobRecord): string {
  // Brackets go (escapeMarkdown leaves them, and a lone "]" would end the masked link early);
  // the rest is escaped after cutting, so a cut never leaves half an escape.
  const title = escapeMarkdown(truncate((job.title ?? job.story).replace(/\s+/g, ' ').replace(/[[\]]/g, ''), 60));
  const link = jobLink(job);
  const when = time(new Date(job.createdAt), TimestampStyles.RelativeTime);
  return `${STATUS_ICON[job.status]} ${link ? `[${title}](${link})` : title} · ${when}${job.userId ? ` · <@${job.userId}>` : ''}`;
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const { t } = memberTextFor(interaction);
  const scope = admissionScopeOf(interaction);
  // A server's admins see all of its jobs (unless they ask for their own); nobody else does.
  const admin = botInstalledHere(interaction) && !!interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild);
  const asked = interaction.options.getBoolean('everyone');
  if (asked && !admin) {
    await interaction.reply({ content: t('history.needsManageServer'), flags: MessageFlags.Ephemeral });
    return;
  }
  const everyone = admin && asked !== false;
  const jobs = ctx.history.recent({ guildId: scope, userId: everyone ? undefined : interaction.user.id, limit: 10 });
  if (jobs.length === 0) {
    await interaction.reply({ content: t('history.noJobs'), flags: MessageFlags.Ephemeral });
    return;
  }
  const menu = new StringSelectMenuBuilder()
    .setCustomId(HISTORY_MENU_ID)
    .setPlaceholder(t('history.menuPlaceholder'))
    .addOptions(
      jobs.map((j) => ({
        label: truncate((j.title ?? j.story).replace(/\s+/g, ' '), 100),
        value: j.id,
        description: truncate(t('history.menuDescription', { status: t(`history.status.${j.status}`), id: j.id }), 100),
      })),
    );
  await interaction.reply({
    content: truncate(jobs.map(historyLine).join('\n'), 2000),
    components: [new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(menu)],
    flags: MessageFlags.Ephemeral,
    allowedMentions: { parse: [] },
  });
}
