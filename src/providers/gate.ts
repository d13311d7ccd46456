/**
 * ProviderGate: how many requests one provider may have in flight, shared by every scene of
 * every job that uses it. A 429 or "queue full" (ProviderError.retryAfterMs) pauses the whole
 * provider for that long and halves its concurrency; successes win concurrency back one step at
 * a time (additive increase, multiplicative decrease), so a rate limit slows the provider down
 * instead of failing scenes.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import { sleep } from '../core/sleep.js';

export class ProviderGate {
  private readonly limit: LimitFunction;
  private pausedUntil = 0;
  private successStreak = 0;

  constructor(
    readonly name: string,
    readonly maxConcurrency: number,
    private readonly now: () => number = Date.now,
  ) {
    this.limit = pLimit(Math.max(1, maxConcurrency));
  }

  get concurrency(): number {
    return this.limit.concurrency;
  }

  /** Run one request when a slot is free and the provider is not paused. */
  run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.limit(async () => {
      for (let wait = this.pausedUntil - this.now(); wait > 0; wait = this.pausedUntil - this.now()) {
        await sleep(wait, signal);
      }
      signal?.throwIfAborted();
      return fn();
    });
  }

  /** The service asked us to wait: pause every request of this provider and halve concurrency. */
  backOff(retryAfterMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + retryAfterMs);
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
