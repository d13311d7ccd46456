/**
 * /usage (Manage Server): this server's UTC day so far, counted at admission (quota-rules.ts):
 * stories, narration characters and images, and its top members; when the day resets. Private.
 */
import {
  EmbedBuilder,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  time,
  TimestampStyles,
  userMention,
  type ChatInputCommandInteraction,
} from 'discord.js';
import type { BotContext } from '../src/bot/context.js';
import { localizationsOf, translator, translatorFor } from '../src/i18n/translate.js';

export const data = new SlashCommandBuilder()
  .setName('usage')
  .setDescription(translator('en')('usage.description'))
  .setDescriptionLocalizations(localizationsOf('usage.description'))
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild);

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const t = translatorFor(interaction);
  const reply = (content: string) => interaction.reply({ content, flags: MessageFlags.Ephemeral });
  if (!interaction.guildId) return void (await reply(t('usage.guildOnly')));
  // The default permission is the server's to change: checked again here.
  if (!interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) return void (await reply(t('usage.needsManageServer')));
  const usage = await ctx.usage(interaction.guildId);
  const n = (value: number) => value.toLocaleString(interaction.locale);
  const top = usage.top.map((m, i) => `${i + 1}. ${userMention(m.userId)} · ${n(m.stories)}`).join('\n');
  const embed = new EmbedBuilder()
    .setTitle(t('usage.title'))
    .addFields(
      { name: t('usage.stories'), value: n(usage.stories), inline: true },
      { name: t('usage.narration'), value: n(usage.narrationCharacters), inline: true },
      { name: t('usage.images'), value: n(usage.images), inline: true },
      { name: t('usage.topMembers'), value: top || t('usage.noneYet') },
    )
    .setDescription(t('usage.resets', { reset: time(new Date(usage.resetsAt), TimestampStyles.RelativeTime) }));
  await interaction.reply({ embeds: [embed.toJSON()], flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
}
