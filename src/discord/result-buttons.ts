/**
 * The buttons on a job's message: Cancel while it works; Re-run, New images, Subtitles, Delete when done;
 * Re-run and Delete when a job was given up after too many restarts.
 */
import { ActionRowBuilder, ButtonBuilder, ButtonStyle } from 'discord.js';
import type { Translate } from '../i18n/translate.js';
import { jobButtonId } from './custom-ids.js';

export function workingButtons(jobId: string, t: Translate): ActionRowBuilder<ButtonBuilder>[] {
  return [
    new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder()
        .setCustomId(jobButtonId('cancel', jobId))
        .setLabel(t('progress.cancel'))
        .setStyle(ButtonStyle.Secondary)
        .setEmoji('🛑'),
    ),
  ];
}

const rerunButton = (jobId: string, t: Translate) =>
  new ButtonBuilder().setCustomId(jobButtonId('rerun', jobId)).setLabel(t('result.rerun')).setStyle(ButtonStyle.Primary).setEmoji('🔁');
const deleteButton = (jobId: string, t: Translate) =>
  new ButtonBuilder().setCustomId(jobButtonId('delete', jobId)).setLabel(t('result.delete')).setStyle(ButtonStyle.Danger).setEmoji('🗑️');

export function resultButtons(jobId: string, opts: { canNewImages: boolean }, t: Translate): ActionRowBuilder<ButtonBuilder>[] {
  const newImages = new ButtonBuilder()
    .setCustomId(jobButtonId('images', jobId))
    .setLabel(t('result.newImages'))
    .setStyle(ButtonStyle.Secondary)
    .setEmoji('🖼️')
    .setDisabled(!opts.canNewImages);
  // The video's captions as an .srt file, sent privately to whoever asks.
  const subtitles = new ButtonBuilder()
    .setCustomId(jobButtonId('subtitles', jobId))
    .setLabel(t('result.subtitles'))
    .setStyle(ButtonStyle.Secondary)
    .setEmoji('💬');
  return [new ActionRowBuilder<ButtonBuilder>().addComponents(rerunButton(jobId, t), newImages, subtitles, deleteButton(jobId, t))];
}

/** For a job that will not be resumed: start it afresh, or clear the message away. */
export function interruptedButtons(jobId: string, t: Translate): ActionRowBuilder<ButtonBuilder>[] {
  return [new ActionRowBuilder<ButtonBuilder>().addComponents(rerunButton(jobId, t), deleteButton(jobId, t))];
}
