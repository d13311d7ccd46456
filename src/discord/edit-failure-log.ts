/**
 * A failed message edit is logged once per job and kind of failure (a Discord error code, or the
 * error's name), not on every edit: a job edits its message dozens of times, and one broken
 * channel would otherwise flood the log.
 */
import type { Logger } from '../core/log.js';
import { describeError } from '../core/describe-error.js';
import { discordCode } from './job-message.js';

export function editFailureLog(log: Logger, jobId: string): (error: unknown) => void {
  const seen = new Set<string>();
  return (error) => {
    const kind = String(discordCode(error) ?? (error as Error)?.name ?? 'error');
    if (seen.has(kind)) return;
    seen.add(kind);
    log.warn(`job ${jobId}: a message edit failed (further failures of this kind are not logged): ${describeError(error)}`);
  };
}
