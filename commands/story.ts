/** /story: turn a story into a narrated video. Without story text it opens a modal for a long one. */
import { MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../src/bot/context.js';
import { ASPECTS, MAX_SCENES } from '../src/core/story.js';
import { STYLE_NAMES } from '../src/engine/styles.js';
import { VOICE_PRESET_NAMES } from '../src/providers/voice-presets.js';
import { checkOptions, checkStoryRequest, SLASH_STORY_MAX } from '../src/bot/story-request.js';
import { buildStoryModal } from '../src/bot/story-modal.js';

export const data = new SlashCommandBuilder()
  .setName('story')
  .setDescription('Turn a story into a narrated short video')
  .addStringOption((o) =>
    o.setName('story').setDescription('The story (leave empty to paste a long one in a form)').setMaxLength(SLASH_STORY_MAX),
  )
  .addIntegerOption((o) => o.setName('scenes').setDescription('Number of scenes (default: chosen from the length)').setMinValue(1).setMaxValue(MAX_SCENES))
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
  );

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const input = {
    aspect: interaction.options.getString('aspect'),
    scenes: interaction.options.getInteger('scenes'),
    style: interaction.options.getString('style'),
    voice: interaction.options.getString('voice'),
  };
  const story = interaction.options.getString('story');
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
    await interaction.reply({ content: request.message, flags: MessageFlags.Ephemeral });
    return;
  }
  await ctx.jobs.startStory(interaction, request.value);
}
