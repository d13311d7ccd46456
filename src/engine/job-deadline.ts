/**
 * Every job's overall deadline for its services (JOB_TIMEOUT_MS): past it, a service that is still
 * failing or throttled gives way to the offline stand-in (local card, espeak, silence), so a job
 * always ends in a bounded time. Without JOB_TIMEOUT_MS it grows with the story: 3 minutes, plus one
 * for every 1,000 characters (a 20,000-character story: 23 minutes).
 */
const BASE_MS = 3 * 60_000;
const PER_CHAR_MS = 60;

/** The default deadline of a story of this many characters, in milliseconds from the job's start. */
export function defaultJobTimeoutMs(storyChars: number): number {
  return BASE_MS + Math.max(0, storyChars) * PER_CHAR_MS;
}

/** The deadline (epoch ms) of a job that started at `startedAt`. */
export function jobDeadline(startedAt: number, story: string, jobTimeoutMs?: number): number {
  return startedAt + (jobTimeoutMs ?? defaultJobTimeoutMs([...story].length));
}
