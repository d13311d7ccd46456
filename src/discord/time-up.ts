/**
 * What a webhook-only job's reply says when its interaction token is about to die before the video
 * is ready (a member's own install: the bot cannot post anywhere else there), in the member's language.
 */
import { pickReplyLocale } from '../i18n/locales.js';
import { translator } from '../i18n/translate.js';
import { isUserScope } from '../core/admission-scope.js';
import { ReplyClosedError, type JobMessage, type JobMessageOptions, type MessagePayload } from './job-message.js';

const AMBER = 0xe67e22;

export function timeUpPayload(jobId: string, locale: string | undefined): MessagePayload {
  const t = translator(pickReplyLocale(locale));
  return {
    embeds: [{ title: t('anywhere.timeUpTitle'), description: t('anywhere.timeUp'), color: AMBER, footer: { text: `job ${jobId}` } }],
    // No Cancel button left on a reply nobody can change any more; the preview sheet goes too.
    components: [],
    files: [],
  };
}

/** How a job's message is edited: through its interaction's webhook only, for a job of a member's own scope. */
export function webhookOnlyFor(job: { id: string; guildId: string; options: { locale?: string } }): JobMessageOptions['webhookOnly'] {
  return isUserScope(job.guildId) ? { timeUp: () => timeUpPayload(job.id, job.options.locale) } : undefined;
}

/**
 * The render's signal, aborted as well when a webhook-only reply stops taking edits (a video
 * nobody can be shown is not worth finishing): at once for one without a live token.
 */
export function untilReplyCloses(
  message: Pick<JobMessage, 'openUntil'>,
  signal: AbortSignal,
  now: () => number = Date.now,
): { signal: AbortSignal; clear: () => void } {
  const until = message.openUntil;
  if (until === undefined) return { signal, clear: () => undefined };
  const closing = new AbortController();
  const timer = setTimeout(
    () => closing.abort(new ReplyClosedError('the interaction token runs out before the video can be ready')),
    Math.max(0, until - now()),
  );
  return { signal: AbortSignal.any([signal, closing.signal]), clear: () => clearTimeout(timer) };
}
