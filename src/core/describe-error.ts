/** One secret-free line for events, logs and messages: the first line of the message, scrubbed, at most 300 characters. */
import { redact } from './log.js';

export function describeError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return redact(text.split('\n')[0]!).slice(0, 300);
}
