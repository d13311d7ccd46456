/**
 * /story: turn a story into a narrated video. The story comes as text, as an attached .txt/.md file
 * (up to 20,000 characters), or, with neither, from a form (up to Discord's 4,000).
 */
import { MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { ANYWHERE_CONTEXTS, ANYWHERE_INSTALLS } from '../src/bot/usable-anywhere.js';
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

export const data = new SlashCommandBuilder()
  .setName('story')
  .setDescription('Turn a story into a narrated short video')
  // Usable anywhere (issue 23, item 5): a server's install or a member's own; servers, the bot's DM, group DMs.
  .setIntegrationTypes(...ANYWHERE_INSTALLS)
  .setContexts(...ANYWHERE_CONTEXTS)
  .addStringOption((o) =>
    o
      .setName('story')
      .setDescription('The story (leave empty to attach a file or paste a long one in a form)')
      .setMaxLength(SLASH_STORY_MAX),
  )
  .addAttachmentOption((o) => o.setName('file').setDescription('The story as a .txt or .md file (up to 20,000 characters)'))
  .addIntegerOption((o) =>
    o.setName('scenes').setDescription('Number of scenes (default: chosen from the length)').setMinValue(1).setMaxValue(MAX_SCENES),
  )
  .addStringOption((o) =>
    o
      .setName('aspect')
      .setDescription('Shape of the video (default 9:16)')
      .addChoices(...ASPECTS.map((a) => ({ name: a, value: a }))),
  )
  .addStringOption((o) =>
    o
      .setName('style')
      .setDescription('Visual style of the images')
      .addChoices(...STYLE_NAMES.map((s) => ({ name: s, value: s }))),
  )
  .addStringOption((o) =>
    o
      .setName('voice')
      .setDescription('Narrator voice')
      .addChoices(...VOICE_PRESET_NAMES.map((v) => ({ name: v, value: v }))),
  )
  .addStringOption((o) =>
    o
      .setName('language')
      .setDescription("The story's language (default: detected from the text)")
      .addChoices(...LANGUAGE_CHOICES.map((code) => ({ name: `${languageName(code)} (${code})`, value: code }))),
  )
  .addStringOption((o) =>
    o
      .setName('captions')
      .setDescription('karaoke lights each word as it is said (default), plain, or none')
      .addChoices(...CAPTION_MODES.map((c) => ({ name: c, value: c }))),
  )
  .addStringOption((o) =>
    o
      .setName('captions_position')
      .setDescription("Where captions sit: bottom (default, clear of the apps' buttons), middle or top")
      .addChoices(...CAPTION_POSITIONS.map((c) => ({ name: c, value: c }))),
  )
  .addStringOption((o) =>
    o
      .setName('music')
      .setDescription('Music under the narration, quieter while it speaks (default: calm)')
      .addChoices(...MUSIC_CHOICES.map((m) => ({ name: m, value: m }))),
  );

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const input = {
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
  const file = interaction.options.getAttachment('file');
  let story = interaction.options.getString('story');
  if (file && story !== null) {
    await interaction.reply({ content: 'Give the story as text or as a file, not both.', flags: MessageFlags.Ephemeral });
    return;
  }
  if (file) {
    const options = checkOptions(input);
    if (!options.ok) {
      await interaction.reply({ content: options.message, flags: MessageFlags.Ephemeral });
      return;
    }
    const attachment = { name: file.name, size: file.size, url: file.url, contentType: file.contentType };
    const checked = checkStoryAttachment(attachment);
    if (!checked.ok) {
      await interaction.reply({ content: checked.message, flags: MessageFlags.Ephemeral });
      return;
    }
    // Discord wants an answer within 3 s: the download comes after the deferral.
    await interaction.deferReply();
    const read = await downloadStoryFile(attachment, ctx.storyFiles);
    if (!read.ok) {
      await refusePrivately(interaction, read.message);
      return;
    }
    story = read.text;
  }
  if (story === null) {
    const options = checkOptions(input);
    if (!options.ok) {
      await interaction.reply({ content: options.message, flags: MessageFlags.Ephemeral });
      return;
    }
    await interaction.showModal(buildStoryModal(options.value));
    return;
  }
  const request = checkStoryRequest(story, input);
  if (!request.ok) {
    await refusePrivately(interaction, request.message);
    return;
  }
  await ctx.jobs.startStory(interaction, request.value);
}
