/**
 * The buttons on a job's message: Cancel while it works; Re-run, New images, Subtitles, Delete when done;
 * Re-run and Delete when a job was given up after too many restarts.
 */
import { ActionRowBuilder, ButtonBuilder, ButtonStyle } from 'discord.js';
import { jobButtonId } from './custom-ids.js';

export function workingButtons(jobId: string): ActionRowBuilder<ButtonBuilder>[] {
  return [
    new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId(jobButtonId('cancel', jobId)).setLabel('Cancel').setStyle(ButtonStyle.Secondary).setEmoji('🛑'),
    ),
  ];
}

const rerunButton = (jobId: string) =>
  new ButtonBuilder().setCustomId(jobButtonId('rerun', jobId)).setLabel('Re-run').setStyle(ButtonStyle.Primary).setEmoji('🔁');
const deleteButton = (jobId: string) =>
  new ButtonBuilder().setCustomId(jobButtonId('delete', jobId)).setLabel('Delete').setStyle(ButtonStyle.Danger).setEmoji('🗑️');

export function resultButtons(jobId: string, opts: { canNewImages: boolean }): ActionRowBuilder<ButtonBuilder>[] {
  const newImages = new ButtonBuilder()
    .setCustomId(jobButtonId('images', jobId))
    .setLabel('New images')
    .setStyle(ButtonStyle.Secondary)
    .setEmoji('🖼️')
    .setDisabled(!opts.canNewImages);
  // The video's captions as an .srt file, sent privately to whoever asks.
  const subtitles = new ButtonBuilder()
    .setCustomId(jobButtonId('subtitles', jobId))
    .setLabel('Subtitles')
    .setStyle(ButtonStyle.Secondary)
    .setEmoji('💬');
  return [new ActionRowBuilder<ButtonBuilder>().addComponents(rerunButton(jobId), newImages, subtitles, deleteButton(jobId))];
}

/** For a job that will not be resumed: start it afresh, or clear the message away. */
export function interruptedButtons(jobId: string): ActionRowBuilder<ButtonBuilder>[] {
  return [new ActionRowBuilder<ButtonBuilder>().addComponents(rerunButton(jobId), deleteButton(jobId))];
}
