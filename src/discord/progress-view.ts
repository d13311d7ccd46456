/** A working job's message: the progress embed and its Cancel button. */
import type { Translate } from '../i18n/translate.js';
import type { MessagePayload } from './job-message.js';
import { renderProgressEmbed } from './progress-embed.js';
import type { ProgressState } from './progress-state.js';
import { workingButtons } from './result-buttons.js';

export function progressView(progress: ProgressState, jobId: string, t: Translate, now: number = Date.now()): MessagePayload {
  return { embeds: [renderProgressEmbed(progress, now, t)], components: workingButtons(jobId, t) };
}
