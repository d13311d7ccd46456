/**
 * Quotas and the budget, decided at admission with the other limits (admission-rules.ts) and
 * written once here: the in-process ledger (jobs/quota-ledger.ts, SQLite) and the Redis admit
 * script (admission-scripts.ts, Lua) follow these rules; test/jobs/admission-rules.test.ts runs
 * one table of cases through both.
 *
 * - a server's member limits: `memberDaily` stories per member per UTC day in that server, and
 *   `cooldownMinutes` since that member's last admitted story there (0 = no limit);
 * - the bot owner's fleet-wide daily caps: stories, narration characters, images (0 = no cap);
 *   a job's cost is reserved when it is admitted and counted whole: a job that would pass a cap is
 *   refused, even if part of it would fit;
 * - checked in this order: member daily, cooldown, stories, narration characters, images;
 * - a job admitted then abandoned (its reply failed) gives its reservation back; a job that ran
 *   (done, failed or cancelled) keeps it: its services may have been paid for.
 */

/** A server's own limits (from /settings), sent with each admission. 0 = no limit. */
export interface GuildLimits {
  /** Stories per member per UTC day in this server. */
  memberDaily: number;
  /** Minutes a member waits after their last admitted story in this server. */
  cooldownMinutes: number;
  /** Jobs running at once in this server: lowers the bot's MAX_JOBS_PER_GUILD, never raises it. */
  maxRunning: number;
}

/** The bot owner's fleet-wide caps per UTC day (DAILY_STORIES, DAILY_NARRATION_CHARACTERS, DAILY_IMAGES). 0 = none. */
export interface DailyCaps {
  stories: number;
  narrationCharacters: number;
  images: number;
}

export const NO_CAPS: DailyCaps = { stories: 0, narrationCharacters: 0, images: 0 };

/** What one job is expected to spend: reserved at admission. */
export interface JobCost {
  stories: number;
  narrationCharacters: number;
  images: number;
}

export const ONE_STORY: JobCost = { stories: 1, narrationCharacters: 0, images: 0 };

export const QUOTA_REASONS = ['member-daily', 'cooldown', 'daily-stories', 'daily-narration', 'daily-images'] as const;

export type QuotaReason = (typeof QUOTA_REASONS)[number];

/** A refusal by a quota: which limit (its value) and when it resets (ms since the epoch). */
export interface QuotaRefusal {
  ok: false;
  reason: QuotaReason;
  message: string;
  limit: number;
  resetsAt: number;
}

export const DAY_MS = 86_400_000;

/** The UTC day a time falls in (days since the epoch) and when it ends. */
export const dayOf = (ms: number): number => Math.floor(ms / DAY_MS);
export const endOfDay = (ms: number): number => (dayOf(ms) + 1) * DAY_MS;

/** What the quota rules look at, counted at the moment of the decision. */
export interface QuotaState {
  /** The member's admitted stories in this server today. */
  memberToday: number;
  /** When the member's last story in this server was admitted (ms), if any. */
  lastAdmittedAt: number | undefined;
  /** The fleet's totals today. */
  fleet: JobCost;
}

/** The effective running limit of a server: its own maxRunning when set and lower than the bot's. */
export function runningLimitOf(botLimit: number, guild: GuildLimits | undefined): number {
  const own = guild?.maxRunning ?? 0;
  return own >= 1 ? Math.min(own, botLimit) : botLimit;
}

/** English text of a quota refusal (the bot phrases it in the member's language from reason, limit and resetsAt). */
export function quotaMessage(reason: QuotaReason, limit: number): string {
  switch (reason) {
    case 'member-daily':
      return `You have made your ${limit} stories for today in this server.`;
    case 'cooldown':
      return `This server asks members to wait ${limit} minutes between stories.`;
    case 'daily-stories':
      return `The bot has made its ${limit} stories for today.`;
    case 'daily-narration':
      return `The bot has used its ${limit} narration characters for today.`;
    case 'daily-images':
      return `The bot has drawn its ${limit} images for today.`;
  }
}

const refusal = (reason: QuotaReason, limit: number, resetsAt: number): QuotaRefusal => ({
  ok: false,
  reason,
  message: quotaMessage(reason, limit),
  limit,
  resetsAt,
});

/** Refused by a quota, or undefined: the job may be admitted (and its cost reserved). */
export function decideQuota(
  state: QuotaState,
  guild: GuildLimits | undefined,
  caps: DailyCaps,
  cost: JobCost,
  now: number,
): QuotaRefusal | undefined {
  const midnight = endOfDay(now);
  if (guild && guild.memberDaily > 0 && state.memberToday >= guild.memberDaily) return refusal('member-daily', guild.memberDaily, midnight);
  if (guild && guild.cooldownMinutes > 0 && state.lastAdmittedAt !== undefined) {
    const free = state.lastAdmittedAt + guild.cooldownMinutes * 60_000;
    if (now < free) return refusal('cooldown', guild.cooldownMinutes, free);
  }
  const over = (cap: number, used: number, more: number) => cap > 0 && used + more > cap;
  if (over(caps.stories, state.fleet.stories, cost.stories)) return refusal('daily-stories', caps.stories, midnight);
  if (over(caps.narrationCharacters, state.fleet.narrationCharacters, cost.narrationCharacters))
    return refusal('daily-narration', caps.narrationCharacters, midnight);
  if (over(caps.images, state.fleet.images, cost.images)) return refusal('daily-images', caps.images, midnight);
  return undefined;
}

export function checkGuildLimits(limits: GuildLimits): GuildLimits {
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`guildLimits.${name} must be an integer >= 0 (got ${value})`);
  }
  return limits;
}

/** A server's day: its totals, and its members by stories (most first). */
export interface GuildUsage {
  day: number;
  resetsAt: number;
  stories: number;
  narrationCharacters: number;
  images: number;
  top: { userId: string; stories: number }[];
}
