/**
 * ProviderGate: how many requests one provider may have in flight, shared by every scene of
 * every job that uses it. A 429 or "queue full" (ProviderError.retryAfterMs) pauses the whole
 * provider for that long and halves its concurrency; successes win concurrency back one step at
 * a time (additive increase, multiplicative decrease), so a rate limit slows the provider down
 * instead of failing scenes.
 *
 * A pause never lasts longer than `maxWaitMs` (PROVIDER_MAX_WAIT_MS, default 60 s), whatever the
 * service asked for: a 429 with `Retry-After: 86400` must not hold every other job for a day. And a
 * request whose job deadline comes before the pause ends is not kept waiting: it fails at once, so
 * its scene takes the stand-in.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import { sleep } from '../core/sleep.js';
import { ProviderError } from './errors.js';

/** The longest a provider is paused for one answer, whatever its Retry-After said (PROVIDER_MAX_WAIT_MS). */
export const DEFAULT_PROVIDER_MAX_WAIT_MS = 60_000;

/** "24 h", "90 s", "1.5 s": a wait as people read it. */
export function formatWait(ms: number): string {
  const s = ms / 1000;
  if (s >= 3600) return `${Number((s / 3600).toFixed(1))} h`;
  if (s >= 120) return `${Number((s / 60).toFixed(1))} min`;
  return `${Number(s.toFixed(1))} s`;
}

export class ProviderGate {
  private readonly limit: LimitFunction;
  private pausedUntil = 0;
  private successStreak = 0;

  constructor(
    readonly name: string,
    readonly maxConcurrency: number,
    private readonly now: () => number = Date.now,
    readonly maxWaitMs: number = DEFAULT_PROVIDER_MAX_WAIT_MS,
  ) {
    this.limit = pLimit(Math.max(1, maxConcurrency));
  }

  get concurrency(): number {
    return this.limit.concurrency;
  }

  /**
   * Run one request when a slot is free and the provider is not paused. With a `deadline` (epoch
   * ms), a pause that lasts past it throws a final ProviderError instead of waiting.
   */
  run<T>(fn: () => Promise<T>, signal?: AbortSignal, deadline?: number): Promise<T> {
    return this.limit(async () => {
      for (let wait = this.pausedUntil - this.now(); wait > 0; wait = this.pausedUntil - this.now()) {
        if (deadline !== undefined && this.pausedUntil > deadline) {
          throw new ProviderError(
            `${this.name} is rate limiting us for ${formatWait(wait)} more, past the job's deadline (JOB_TIMEOUT_MS)`,
            { provider: this.name, retryable: false },
          );
        }
        await sleep(wait, signal);
      }
      signal?.throwIfAborted();
      return fn();
    });
  }

  /** The service asked us to wait: pause every request of this provider (at most maxWaitMs) and halve concurrency. */
  backOff(retryAfterMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + Math.min(retryAfterMs, this.maxWaitMs));
    this.limit.concurrency = Math.max(1, Math.floor(this.limit.concurrency / 2));
    this.successStreak = 0;
  }

  /** A request went through: after `concurrency` successes in a row, allow one more in flight. */
  recordSuccess(): void {
    if (this.limit.concurrency >= this.maxConcurrency) return;
    this.successStreak += 1;
    if (this.successStreak >= this.limit.concurrency) {
      this.limit.concurrency += 1;
      this.successStreak = 0;
    }
  }
}
