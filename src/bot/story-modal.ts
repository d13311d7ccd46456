/** The form that asks for a long story when /story was used without story text. */
import { ActionRowBuilder, ModalBuilder, TextInputBuilder, TextInputStyle } from 'discord.js';
import { storyModalId, STORY_MODAL_FIELD, type ModalOptions } from '../discord/custom-ids.js';
import { MODAL_STORY_MAX } from './story-request.js';
import type { Translate } from '../i18n/translate.js';
import { ENGLISH } from '../discord/member-text.js';

/** The form in the member's language (`t`); its custom ids never change. */
export function buildStoryModal(options: ModalOptions, t: Translate = ENGLISH.t): ModalBuilder {
  const text = new TextInputBuilder()
    .setCustomId(STORY_MODAL_FIELD)
    .setLabel(t('story.modal.label'))
    .setStyle(TextInputStyle.Paragraph)
    .setPlaceholder(t('story.modal.placeholder'))
    .setMinLength(1)
    .setMaxLength(MODAL_STORY_MAX)
    .setRequired(true);
  return new ModalBuilder()
    .setCustomId(storyModalId(options))
    .setTitle(t('story.modal.title'))
    .addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(text));
}
