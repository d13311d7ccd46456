/** The form that asks for a long story when /story was used without story text. */
import { ActionRowBuilder, ModalBuilder, TextInputBuilder, TextInputStyle } from 'discord.js';
import { storyModalId, STORY_MODAL_FIELD, type ModalOptions } from '../discord/custom-ids.js';
import { MODAL_STORY_MAX } from './story-request.js';

export function buildStoryModal(options: ModalOptions): ModalBuilder {
  const text = new TextInputBuilder()
    .setCustomId(STORY_MODAL_FIELD)
    .setLabel('Your story')
    .setStyle(TextInputStyle.Paragraph)
    .setPlaceholder('Once upon a time…')
    .setMinLength(1)
    .setMaxLength(MODAL_STORY_MAX)
    .setRequired(true);
  return new ModalBuilder()
    .setCustomId(storyModalId(options))
    .setTitle('Story to video')
    .addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(text));
}
