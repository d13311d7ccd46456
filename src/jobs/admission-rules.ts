/**
 * The admission rules, written once: who may join a server's line, who must wait, and what a
 * refused member reads. Two implementations follow them: the in-process JobQueue (decideAdmission
 * below, called before its first await) and the Redis scripts of admission-scripts.ts (Lua, one
 * atomic script per decision, shared by every gateway process). test/jobs/admission-rules.test.ts
 * runs one table of cases through both.
 *
 * - one active (waiting or running) job per member, across all servers;
 * - a job waits when its server runs `perGuildRunning`, the fleet runs `globalRunning`, or its server
 *   already has a line (within a server, jobs start in admission order: a newcomer never overtakes);
 * - a job that would wait is refused when its server already has `perGuildWaiting` waiting;
 * - when a place frees, waiting jobs start oldest admission first among the servers with room.
 */
import type { QuotaReason, QuotaRefusal } from './quota-rules.js';

export interface AdmissionLimits {
  /** Jobs running at once in one server (MAX_JOBS_PER_GUILD). */
  perGuildRunning: number;
  /** Jobs waiting in one server's line; more are refused (MAX_QUEUE_PER_GUILD, may be 0). */
  perGuildWaiting: number;
  /** Jobs running at once in the whole bot or fleet (MAX_RUNNING_JOBS). */
  globalRunning: number;
}

/** Why a job was not admitted: the member's own job, a full line, a bot shutting down, a queue out of reach. */
export type QueueRefusalReason = 'user-busy' | 'queue-full' | 'closed' | 'unavailable';
/** ... or a quota or the daily budget (quota-rules.ts: the refusal carries the limit and when it resets). */
export type RefusalReason = QueueRefusalReason | QuotaReason;

export type Admission = { ok: true; position: number } | { ok: false; reason: QueueRefusalReason; message: string } | QuotaRefusal;

/** What a refused member reads, the same in every mode. */
export function refusalMessage(reason: QueueRefusalReason, limits: Pick<AdmissionLimits, 'perGuildWaiting'>): string {
  switch (reason) {
    case 'user-busy':
      return 'You already have a story in progress: wait for it to finish, or cancel it.';
    case 'queue-full':
      return `This server's queue is full (${limits.perGuildWaiting} waiting): please try again when a story finishes.`;
    case 'closed':
      return 'The bot is restarting; please try again in a minute.';
    case 'unavailable':
      return 'The story queue cannot be reached right now; please try again in a minute.';
  }
}

export const refuse = (reason: QueueRefusalReason, limits: AdmissionLimits): Admission => ({
  ok: false,
  reason,
  message: refusalMessage(reason, limits),
});

/** What the rules look at, counted at the moment of the decision. */
export interface AdmissionState {
  /** The member already has a job waiting or running (in any server). */
  memberBusy: boolean;
  runningInGuild: number;
  waitingInGuild: number;
  runningTotal: number;
}

/** The decision: refused, or admitted at `position` (0 runs now, 1.. its place in the server's line). */
export function decideAdmission(state: AdmissionState, limits: AdmissionLimits): Admission {
  if (state.memberBusy) return refuse('user-busy', limits);
  const mustWait = state.waitingInGuild > 0 || state.runningInGuild >= limits.perGuildRunning || state.runningTotal >= limits.globalRunning;
  if (mustWait && state.waitingInGuild >= limits.perGuildWaiting) return refuse('queue-full', limits);
  return { ok: true, position: mustWait ? state.waitingInGuild + 1 : 0 };
}

/** Limits the bot can run with: running limits of at least 1, a line of 0 or more. */
export function checkAdmissionLimits(limits: AdmissionLimits): AdmissionLimits {
  for (const [name, value] of Object.entries(limits)) {
    const min = name === 'perGuildWaiting' ? 0 : 1;
    if (!Number.isInteger(value) || value < min) throw new RangeError(`limits.${name} must be an integer >= ${min} (got ${value})`);
  }
  return { ...limits };
}
