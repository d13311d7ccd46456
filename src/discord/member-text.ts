/**
 * What the bot tells a member, in the member's language (else their server's, else English): the
 * translator and the way that language writes numbers, and the phrasing of problems that other
 * layers report as codes (the engine's StoryInputError, the transports' admission refusals). The
 * English texts those layers carry stay what logs and other users read.
 */
import type { Interaction } from 'discord.js';
import { pickReplyLocale, type ReplyLocale } from '../i18n/locales.js';
import { translator, type Translate } from '../i18n/translate.js';
import type { StoryInputError } from '../engine/story-input.js';

export interface MemberText {
  locale: ReplyLocale;
  t: Translate;
  /** A count as this language writes it ("20,000", "20.000", "20 000"). */
  number(value: number): string;
  /** A size in MiB with one decimal, as this language writes it ("3.4", "3,4"). */
  mebibytes(bytes: number): string;
}

const cache = new Map<ReplyLocale, MemberText>();

export function memberText(locale: ReplyLocale): MemberText {
  let m = cache.get(locale);
  if (!m) {
    const tag = locale === 'en' ? 'en-US' : locale;
    const format = new Intl.NumberFormat(tag);
    const oneDecimal = new Intl.NumberFormat(tag, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    m = {
      locale,
      t: translator(locale),
      number: (value) => format.format(value),
      mebibytes: (bytes) => oneDecimal.format(bytes / 1024 / 1024),
    };
    cache.set(locale, m);
  }
  return m;
}

/** For whoever sent this interaction. */
export function memberTextFor(interaction: Pick<Interaction, 'locale' | 'guildLocale'>): MemberText {
  return memberText(pickReplyLocale(interaction.locale, interaction.guildLocale));
}

/** The default where no interaction is at hand (and the texts tests and logs have always read). */
export const ENGLISH = memberText('en');

/** "7 min 40 s", in the member's language. */
export function duration(seconds: number, m: MemberText): string {
  const whole = Math.round(seconds);
  return m.t('story.input.duration', { minutes: Math.floor(whole / 60), seconds: whole % 60 });
}

/** The engine's refusal of a story, phrased for the member (its English message when it has no code). */
export function storyInputText(error: StoryInputError, m: MemberText): string {
  if (!error.code) return error.message;
  const v = error.values;
  const num = (key: string) => (typeof v[key] === 'number' ? m.number(v[key]) : (v[key] ?? ''));
  switch (error.code) {
    case 'tooLongForSize':
    case 'tooLongForSizeAtLeast':
      return m.t(`story.input.${error.code}`, {
        size: v.size ?? '',
        length: duration(Number(v.seconds), m),
        longest: duration(Number(v.longest), m),
      });
    case 'nulByte':
      return m.t('story.input.nulByte', { byte: num('byte') });
    case 'notUtf8':
      return m.t('story.input.notUtf8', { byte: num('byte'), hex: v.hex ?? '' });
    case 'tooLong':
      return m.t('story.input.tooLong', { characters: num('characters'), limit: num('limit') });
    default:
      return m.t(`story.input.${error.code}`, v);
  }
}

/** Why a job was not admitted, for the member; a reason this bot has no words for keeps its English message. */
export function admissionText(refusal: { reason: string; message: string }, m: MemberText, queuePerGuild?: number): string {
  switch (refusal.reason) {
    case 'user-busy':
      return m.t('admission.userBusy');
    case 'queue-full':
      return queuePerGuild === undefined
        ? m.t('admission.queueFullNoCount')
        : m.t('admission.queueFull', { waiting: m.number(queuePerGuild) });
    case 'closed':
      return m.t('admission.closed');
    case 'unavailable':
      return m.t('admission.unavailable');
    default:
      return refusal.message;
  }
}
