/**
 * /settings: a server's own rules for /story, for members with Manage Server (the default
 * permission Discord shows the command to, and checked again here: a server can grant the command
 * to anyone in its integration settings). Every change is confirmed privately with what is now set.
 */
import {
  ChannelType,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
  type SlashCommandSubcommandBuilder,
} from 'discord.js';
import type { BotContext } from '../src/bot/context.js';
import { ASPECTS, CAPTION_MODES, CAPTION_POSITIONS, MAX_SCENES, MAX_STORY_CHARS } from '../src/core/story.js';
import { languageName } from '../src/core/language.js';
import { STYLE_NAMES } from '../src/core/image-prompt.js';
import { VOICE_PRESET_NAMES } from '../src/providers/voice-presets.js';
import { MUSIC_CHOICES } from '../src/media/music-recipes.js';
import { cleanBlockedWord, foldForMatching } from '../src/core/blocked-words.js';
import { localizationsOf, translator, translatorFor, type MessageKey, type Translate } from '../src/i18n/translate.js';
import {
  MAX_ALLOWED_CHANNELS,
  MAX_BLOCKED_WORD_LENGTH,
  MAX_BLOCKED_WORDS,
  MAX_COOLDOWN_MINUTES,
  MAX_MEMBER_DAILY,
  type GuildDefaults,
  type GuildLimitSettings,
} from '../src/store/guild-settings.js';
import {
  blockedWordsLine,
  channelsLine,
  DEFAULT_OPTION_NAMES,
  defaultsLine,
  limitsLine,
  roleLine,
  settingsText,
} from '../src/bot/settings-view.js';
import { LANGUAGE_CHOICES } from './story.js';

const en = translator('en');
/** A description in English, with every other language's. */
const described = <B extends { setDescription(d: string): B; setDescriptionLocalizations(l: ReturnType<typeof localizationsOf>): B }>(
  builder: B,
  key: MessageKey,
): B => builder.setDescription(en(key)).setDescriptionLocalizations(localizationsOf(key));
const plain = (values: readonly string[]) => values.map((v) => ({ name: v, value: v }));
const localized = (values: readonly ('allow' | 'disallow' | 'clear' | 'add' | 'remove' | 'list')[]) =>
  values.map((v) => ({ name: v, value: v, name_localizations: localizationsOf(`settings.choice.${v}`) }));

function defaultsOptions(s: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder {
  return s
    .addStringOption((o) => described(o.setName('style'), 'settings.command.style').addChoices(...plain(STYLE_NAMES)))
    .addStringOption((o) => described(o.setName('voice'), 'settings.command.voice').addChoices(...plain(VOICE_PRESET_NAMES)))
    .addStringOption((o) =>
      described(o.setName('language'), 'settings.command.language').addChoices(
        ...LANGUAGE_CHOICES.map((code) => ({ name: `${languageName(code)} (${code})`, value: code })),
      ),
    )
    .addStringOption((o) => described(o.setName('captions'), 'settings.command.captions').addChoices(...plain(CAPTION_MODES)))
    .addStringOption((o) => described(o.setName('aspect'), 'settings.command.aspect').addChoices(...plain(ASPECTS)))
    .addStringOption((o) => described(o.setName('music'), 'settings.command.music').addChoices(...plain(MUSIC_CHOICES)))
    .addStringOption((o) =>
      described(o.setName('captions_position'), 'settings.command.captionsPosition').addChoices(...plain(CAPTION_POSITIONS)),
    )
    .addBooleanOption((o) => described(o.setName('reset'), 'settings.command.reset'));
}

function limitsOptions(s: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder {
  const limit = (name: string, key: MessageKey, max: number) => (o: import('discord.js').SlashCommandIntegerOption) =>
    described(o.setName(name), key).setMinValue(0).setMaxValue(max);
  return s
    .addIntegerOption(limit('member_daily', 'settings.command.memberDaily', MAX_MEMBER_DAILY))
    .addIntegerOption(limit('cooldown_minutes', 'settings.command.cooldownMinutes', MAX_COOLDOWN_MINUTES))
    .addIntegerOption(limit('max_characters', 'settings.command.maxCharacters', MAX_STORY_CHARS))
    .addIntegerOption(limit('max_scenes', 'settings.command.maxScenes', MAX_SCENES))
    .addIntegerOption(limit('max_running', 'settings.command.maxRunning', 20));
}

export const data = described(new SlashCommandBuilder().setName('settings'), 'settings.command.description')
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .addSubcommand((s) => defaultsOptions(described(s.setName('defaults'), 'settings.command.defaults')))
  .addSubcommand((s) => limitsOptions(described(s.setName('limits'), 'settings.command.limits')))
  .addSubcommand((s) =>
    described(s.setName('channels'), 'settings.command.channels')
      .addStringOption((o) =>
        described(o.setName('action'), 'settings.command.action')
          .setRequired(true)
          .addChoices(...localized(['allow', 'disallow', 'clear'])),
      )
      .addChannelOption((o) =>
        described(o.setName('channel'), 'settings.command.channel').addChannelTypes(
          ChannelType.GuildText,
          ChannelType.GuildAnnouncement,
          ChannelType.GuildVoice,
          ChannelType.GuildStageVoice,
          ChannelType.GuildForum,
        ),
      ),
  )
  .addSubcommand((s) =>
    described(s.setName('role'), 'settings.command.role').addRoleOption((o) => described(o.setName('role'), 'settings.command.roleOption')),
  )
  .addSubcommand((s) =>
    described(s.setName('blocked-words'), 'settings.command.blockedWords')
      .addStringOption((o) =>
        described(o.setName('action'), 'settings.command.action')
          .setRequired(true)
          .addChoices(...localized(['add', 'remove', 'list'])),
      )
      .addStringOption((o) => described(o.setName('word'), 'settings.command.word').setMaxLength(MAX_BLOCKED_WORD_LENGTH)),
  )
  .addSubcommand((s) => described(s.setName('show'), 'settings.command.show'));

type Handler = (interaction: ChatInputCommandInteraction<'cached' | 'raw'>, ctx: BotContext, t: Translate) => string;

const defaults: Handler = (interaction, ctx, t) => {
  const given = Object.fromEntries(
    DEFAULT_OPTION_NAMES.map(([key, option]) => [key, interaction.options.getString(option)]).filter(([, v]) => v !== null),
  ) as GuildDefaults;
  const reset = interaction.options.getBoolean('reset') ?? false;
  if (!reset && Object.keys(given).length === 0)
    return `${t('settings.nothingToChange')}\n${defaultsLine(ctx.settings.get(interaction.guildId), t)}`;
  const saved = ctx.settings.update(interaction.guildId, (s) => ({ ...s, defaults: { ...(reset ? {} : s.defaults), ...given } }));
  return `${t('settings.defaultsSaved')}\n${defaultsLine(saved, t)}`;
};

const LIMIT_OPTIONS: [keyof GuildLimitSettings, string][] = [
  ['memberDaily', 'member_daily'],
  ['cooldownMinutes', 'cooldown_minutes'],
  ['maxCharacters', 'max_characters'],
  ['maxScenes', 'max_scenes'],
  ['maxRunning', 'max_running'],
];

const limits: Handler = (interaction, ctx, t) => {
  const max = ctx.botLimits.maxJobsPerGuild;
  const given = LIMIT_OPTIONS.map(([key, option]) => [key, interaction.options.getInteger(option)] as const).filter(([, v]) => v !== null);
  if (given.length === 0) return `${t('settings.nothingToChange')}\n${limitsLine(ctx.settings.get(interaction.guildId), t, max)}`;
  const running = given.find(([key]) => key === 'maxRunning')?.[1];
  if (running && running > max) return t('settings.maxRunningTooHigh', { max });
  const saved = ctx.settings.update(interaction.guildId, (s) => {
    const next = { ...s.limits };
    // 0 is no limit: kept as no value.
    for (const [key, value] of given) next[key] = value || undefined;
    return { ...s, limits: next };
  });
  return `${t('settings.limitsSaved')}\n${limitsLine(saved, t, max)}`;
};

const channels: Handler = (interaction, ctx, t) => {
  const action = interaction.options.getString('action', true);
  const channel = interaction.options.get('channel')?.value as string | undefined;
  const guildId = interaction.guildId;
  if (action === 'clear')
    return `${t('settings.channelsCleared')}\n${channelsLine(
      ctx.settings.update(guildId, (s) => ({ ...s, channels: [] })),
      t,
    )}`;
  if (!channel) return t('settings.channelRequired');
  const current = ctx.settings.get(guildId).channels;
  const mention = `<#${channel}>`;
  if (action === 'allow') {
    if (!current.includes(channel) && current.length >= MAX_ALLOWED_CHANNELS)
      return t('settings.tooManyChannels', { max: MAX_ALLOWED_CHANNELS });
    const saved = ctx.settings.update(guildId, (s) => ({
      ...s,
      channels: s.channels.includes(channel) ? s.channels : [...s.channels, channel],
    }));
    return `${t('settings.channelAllowed', { channel: mention })}\n${channelsLine(saved, t)}`;
  }
  if (!current.includes(channel))
    return `${t('settings.channelNotListed', { channel: mention })}\n${channelsLine(ctx.settings.get(guildId), t)}`;
  const saved = ctx.settings.update(guildId, (s) => ({ ...s, channels: s.channels.filter((c) => c !== channel) }));
  return `${t('settings.channelDisallowed', { channel: mention })}\n${channelsLine(saved, t)}`;
};

const role: Handler = (interaction, ctx, t) => {
  const id = interaction.options.get('role')?.value as string | undefined;
  const saved = ctx.settings.update(interaction.guildId, (s) => ({ ...s, role: id }));
  return `${id ? t('settings.roleSet', { role: `<@&${id}>` }) : t('settings.roleCleared')}\n${roleLine(saved, t)}`;
};

const blockedWords: Handler = (interaction, ctx, t) => {
  const action = interaction.options.getString('action', true);
  const guildId = interaction.guildId;
  if (action === 'list') return blockedWordsLine(ctx.settings.get(guildId), t);
  const raw = interaction.options.getString('word');
  if (!raw?.trim()) return t('settings.wordRequired');
  const word = cleanBlockedWord(raw);
  if (!word || word.length > MAX_BLOCKED_WORD_LENGTH) return t('settings.wordInvalid', { max: MAX_BLOCKED_WORD_LENGTH });
  // The same word with other accents or case is the same blocked word.
  const same = (w: string) => foldForMatching(w) === foldForMatching(word);
  const current = ctx.settings.get(guildId).blockedWords;
  if (action === 'add') {
    if (current.some(same)) return t('settings.wordAlready', { word });
    if (current.length >= MAX_BLOCKED_WORDS) return t('settings.tooManyWords', { max: MAX_BLOCKED_WORDS });
    const saved = ctx.settings.update(guildId, (s) => ({ ...s, blockedWords: [...s.blockedWords, word] }));
    return `${t('settings.wordAdded', { word })}\n${blockedWordsLine(saved, t)}`;
  }
  if (!current.some(same)) return t('settings.wordNotBlocked', { word });
  const saved = ctx.settings.update(guildId, (s) => ({ ...s, blockedWords: s.blockedWords.filter((w) => !same(w)) }));
  return `${t('settings.wordRemoved', { word })}\n${blockedWordsLine(saved, t)}`;
};

const show: Handler = (interaction, ctx, t) => settingsText(ctx.settings.get(interaction.guildId), t, ctx.botLimits.maxJobsPerGuild);

const HANDLERS: Record<string, Handler> = { defaults, limits, channels, role, 'blocked-words': blockedWords, show };

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const t = translatorFor(interaction);
  const reply = (content: string) => interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
  if (!interaction.inGuild()) {
    await reply(t('settings.guildOnly'));
    return;
  }
  if (!interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) {
    await reply(t('settings.needsManageServer'));
    return;
  }
  const handler = HANDLERS[interaction.options.getSubcommand()];
  if (!handler) {
    await reply(t('common.unknownCommand', { command: `settings ${interaction.options.getSubcommand()}` }));
    return;
  }
  await reply(handler(interaction, ctx, t));
}
