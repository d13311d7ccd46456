/**
 * /story: turn a story into a narrated video. The story comes as text, as an attached .txt/.md file
 * (up to 20,000 characters), or, with neither, from a form (up to Discord's 4,000).
 */
import { MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction, type LocalizationMap } from 'discord.js';
import { ANYWHERE_CONTEXTS, ANYWHERE_INSTALLS } from '../src/bot/usable-anywhere.js';
import { admissionScopeOf, isUserScope } from '../src/core/admission-scope.js';
import type { BotContext } from '../src/bot/context.js';
import { ASPECTS, CAPTION_MODES, CAPTION_POSITIONS, MAX_SCENES } from '../src/core/story.js';
import { languageName } from '../src/core/language.js';
import { STYLE_NAMES } from '../src/core/image-prompt.js';
import { VOICE_PRESET_NAMES } from '../src/providers/voice-presets.js';
import { MUSIC_CHOICES } from '../src/media/music-recipes.js';
import { checkOptions, checkStoryRequest, SLASH_STORY_MAX } from '../src/bot/story-request.js';
import { buildStoryModal } from '../src/bot/story-modal.js';
import { checkStoryAttachment, downloadStoryFile } from '../src/bot/story-file.js';
import { refusePrivately } from '../src/bot/start-story.js';
import { refusalOfPlaceOrMember, ruleContextOf, withServerDefaults } from '../src/bot/guild-rules.js';
import { localizationsOf, translator } from '../src/i18n/translate.js';
import { discordLocalesOf, REPLY_LOCALES } from '../src/i18n/locales.js';
import { memberTextFor } from '../src/discord/member-text.js';

/** The default (English) texts come from the same message files as their localizations. */
const english = translator('en');

/** Discord allows 25 choices: the languages most servers write in (others are detected from the text). */
export const LANGUAGE_CHOICES = [
  'en',
  'es',
  'pt',
  'fr',
  'de',
  'it',
  'nl',
  'pl',
  'ru',
  'uk',
  'tr',
  'ar',
  'he',
  'fa',
  'hi',
  'bn',
  'id',
  'vi',
  'th',
  'ja',
  'zh',
  'ko',
  'sv',
  'el',
  'ro',
];

/** A language choice's name in each of our languages ("Englisch (en)", "英語 (en)"), as the runtime's ICU names it. */
function languageNameLocalizations(code: string): LocalizationMap {
  const map: LocalizationMap = {};
  for (const locale of REPLY_LOCALES.filter((l) => l !== 'en')) {
    const name = new Intl.DisplayNames([locale], { type: 'language' }).of(code);
    if (name && name !== code) for (const discord of discordLocalesOf(locale)) map[discord] = `${name} (${code})`;
  }
  return map;
}

export const data = new SlashCommandBuilder()
  .setName('story')
  .setNameLocalizations(localizationsOf('commands.story.name'))
  .setDescription(english('commands.story.description'))
  .setDescriptionLocalizations(localizationsOf('commands.story.description'))
  // Usable anywhere (issue 23, item 5): a server's install or a member's own; servers, the bot's DM, group DMs.
  .setIntegrationTypes(...ANYWHERE_INSTALLS)
  .setContexts(...ANYWHERE_CONTEXTS)
  .addStringOption((o) =>
    o
      .setName('story')
      .setDescription(english('commands.story.options.story'))
      .setDescriptionLocalizations(localizationsOf('commands.story.options.story'))
      .setMaxLength(SLASH_STORY_MAX),
  )
  .addAttachmentOption((o) =>
    o
      .setName('file')
      .setDescription(english('commands.story.options.file'))
      .setDescriptionLocalizations(localizationsOf('commands.story.options.file')),
  )
  .addIntegerOption((o) =>
    o
      .setName('scenes')
      .setDescription(english('commands.story.options.scenes'))
      .setDescriptionLocalizations(localizationsOf('commands.story.options.scenes'))
      .setMinValue(1)
      .setMaxValue(MAX_SCENES),
  )
  .addStringOption((o) =>
    o
      .setName('aspect')
      .setDescription(english('commands.story.options.aspect'))
      .setDescriptionLocalizations(localizationsOf('commands.story.options.aspect'))
      .addChoices(...ASPECTS.map((a) => ({ name: a, value: a }))),
  )
  .addStringOption((o) =>
    o
      .setName('style')
      .setDescription(english('commands.story.options.style'))
      .setDescriptionLocalizations(localizationsOf('commands.story.options.style'))
      .addChoices(...STYLE_NAMES.map((s) => ({ name: s, value: s }))),
  )
  .addStringOption((o) =>
    o
      .setName('voice')
      .setDescription(english('commands.story.options.voice'))
      .setDescriptionLocalizations(localizationsOf('commands.story.options.voice'))
      .addChoices(...VOICE_PRESET_NAMES.map((v) => ({ name: v, value: v }))),
  )
  .addStringOption((o) =>
    o
      .setName('language')
      .setDescription(english('commands.story.options.language'))
      .setDescriptionLocalizations(localizationsOf('commands.story.options.language'))
      .addChoices(
        ...LANGUAGE_CHOICES.map((code) => ({
          name: `${languageName(code)} (${code})`,
          name_localizations: languageNameLocalizations(code),
          value: code,
        })),
      ),
  )
  .addStringOption((o) =>
    o
      .setName('captions')
      .setDescription(english('commands.story.options.captions'))
      .setDescriptionLocalizations(localizationsOf('commands.story.options.captions'))
      .addChoices(...CAPTION_MODES.map((c) => ({ name: c, value: c }))),
  )
  .addStringOption((o) =>
    o
      .setName('captions_position')
      .setDescription(english('commands.story.options.captionsPosition'))
      .setDescriptionLocalizations(localizationsOf('commands.story.options.captionsPosition'))
      .addChoices(...CAPTION_POSITIONS.map((c) => ({ name: c, value: c }))),
  )
  .addStringOption((o) =>
    o
      .setName('music')
      .setDescription(english('commands.story.options.music'))
      .setDescriptionLocalizations(localizationsOf('commands.story.options.music'))
      .addChoices(...MUSIC_CHOICES.map((m) => ({ name: m, value: m }))),
  );

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const asked = {
    aspect: interaction.options.getString('aspect'),
    scenes: interaction.options.getInteger('scenes'),
    style: interaction.options.getString('style'),
    voice: interaction.options.getString('voice'),
    language: interaction.options.getString('language'),
    captions: interaction.options.getString('captions'),
    captionsPosition: interaction.options.getString('captions_position'),
    music: interaction.options.getString('music'),
    languageHint: interaction.locale,
  };
  // The server's defaults (/settings defaults) where the member chose nothing; the form carries them too.
  // (A DM or a server without the bot has no server settings: the member's own scope.)
  const scope = admissionScopeOf(interaction);
  const settings = isUserScope(scope) ? undefined : ctx.settings.get(scope);
  const input = withServerDefaults(asked, settings?.defaults ?? {});
  const m = memberTextFor(interaction);
  const file = interaction.options.getAttachment('file');
  let story = interaction.options.getString('story');
  if (file && story !== null) {
    await interaction.reply({ content: m.t('story.textOrFile'), flags: MessageFlags.Ephemeral });
    return;
  }
  if (file) {
    const options = checkOptions(input, m);
    if (!options.ok) {
      await interaction.reply({ content: options.message, flags: MessageFlags.Ephemeral });
      return;
    }
    const attachment = { name: file.name, size: file.size, url: file.url, contentType: file.contentType };
    const checked = checkStoryAttachment(attachment, m);
    if (!checked.ok) {
      await interaction.reply({ content: checked.message, flags: MessageFlags.Ephemeral });
      return;
    }
    // Discord wants an answer within 3 s: the download comes after the deferral.
    await interaction.deferReply();
    const read = await downloadStoryFile(attachment, ctx.storyFiles, undefined, m);
    if (!read.ok) {
      await refusePrivately(interaction, read.message);
      return;
    }
    story = read.text;
  }
  if (story === null) {
    const options = checkOptions(input, m);
    if (!options.ok) {
      await interaction.reply({ content: options.message, flags: MessageFlags.Ephemeral });
      return;
    }
    // Not a form to fill in only to be told afterwards that /story is not for this channel or member.
    const refusal = settings && refusalOfPlaceOrMember(settings, ruleContextOf(interaction), m.t);
    if (refusal) {
      await interaction.reply({ content: refusal, flags: MessageFlags.Ephemeral });
      return;
    }
    await interaction.showModal(buildStoryModal(options.value, m.t));
    return;
  }
  const request = checkStoryRequest(story, input, m);
  if (!request.ok) {
    await refusePrivately(interaction, request.message);
    return;
  }
  await ctx.jobs.startStory(interaction, request.value);
}
