/**
 * The language a job's message speaks: chosen at admission (the member's locale, else the
 * server's, else English), kept in its options, so whoever shows the job (this process or a
 * render worker) says it the same way.
 */
import type { ReplyLocale } from '../i18n/locales.js';
import { translator, type Translate } from '../i18n/translate.js';
import type { JobOptions } from '../store/job-record.js';

export function jobLocale(options: Pick<JobOptions, 'locale'>): ReplyLocale {
  return options.locale ?? 'en';
}

/** Messages in the job's language. */
export function jobTranslator(options: Pick<JobOptions, 'locale'>): Translate {
  return translator(jobLocale(options));
}
