/**
 * A quota refusal (quota-rules.ts) in the member's language: which limit, and when it resets as a
 * Discord relative timestamp (<t:…:R>, shown in the reader's own time and language).
 */
import { time, TimestampStyles } from 'discord.js';
import type { MessageKey } from '../i18n/translate.js';
import type { MemberText } from '../discord/member-text.js';
import type { Admission } from '../jobs/admission-rules.js';
import type { QuotaReason, QuotaRefusal } from '../jobs/quota-rules.js';

const KEYS: Record<QuotaReason, MessageKey> = {
  'member-daily': 'quota.memberDaily',
  cooldown: 'quota.cooldown',
  'daily-stories': 'quota.dailyStories',
  'daily-narration': 'quota.dailyNarration',
  'daily-images': 'quota.dailyImages',
};

export const isQuotaRefusal = (admission: Admission): admission is QuotaRefusal => !admission.ok && 'resetsAt' in admission;

export function quotaRefusalText(refusal: QuotaRefusal, m: MemberText): string {
  const reset = time(new Date(refusal.resetsAt), TimestampStyles.RelativeTime);
  return m.t(KEYS[refusal.reason], { limit: m.number(refusal.limit), reset });
}
