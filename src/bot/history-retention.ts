/**
 * HISTORY_RETENTION_DAYS: finished jobs older than that leave history, at start and once a day
 * (0 keeps them for ever). Unfinished jobs stay whatever their age.
 */
import type { Logger } from '../core/log.js';
import { describeError } from '../core/describe-error.js';
import type { JobHistory } from '../store/job-history.js';

const DAY_MS = 24 * 3600 * 1000;

/** Prunes now and every day; returns the timer to clear on stop (undefined with 0 days). */
export function keepHistoryFor(history: JobHistory, days: number, log: Logger): NodeJS.Timeout | undefined {
  if (days <= 0) return undefined;
  const prune = () => {
    try {
      const removed = history.prune(days);
      if (removed) log.info(`history: removed ${removed} finished job(s) older than ${days} day(s)`);
    } catch (error) {
      log.warn(`history: could not remove old jobs: ${describeError(error)}`);
    }
  };
  prune();
  const timer = setInterval(prune, DAY_MS);
  timer.unref();
  return timer;
}
