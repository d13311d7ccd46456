/**
 * Per-asset retries: exponential backoff with jitter, or exactly what the service asked for
 * (Retry-After) when it said so. Errors that are not worth another try (a rejected key, a bad
 * request) end at once. Aborts are never retried. A rate limit (429, queue full) is not a failed
 * attempt: the scene waits as asked, up to a budget of waiting, and keeps all its attempts.
 */
import { isProviderError, ProviderError } from '../providers/errors.js';
import { formatWait, type ProviderGate } from '../providers/gate.js';
import { sleep } from '../core/sleep.js';

export interface RetryPolicy {
  /** Total failed attempts allowed, the first included; rate-limit answers do not count. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** How long after its first rate-limit answer one asset keeps trying (default 10 minutes). */
  rateLimitBudgetMs?: number;
  /** The least wait after a rate-limit answer, whatever Retry-After said (default 1 s). */
  rateLimitFloorMs?: number;
}

export const IMAGE_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 1000, maxDelayMs: 30_000, rateLimitBudgetMs: 10 * 60_000 };
export const VOICE_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 500, maxDelayMs: 10_000, rateLimitBudgetMs: 5 * 60_000 };
const DEFAULT_RATE_LIMIT_BUDGET_MS = 10 * 60_000;
const DEFAULT_RATE_LIMIT_FLOOR_MS = 1000;

const isRateLimit = (error: unknown): boolean => isProviderError(error) && error.info.rateLimited === true;

export interface RetryHooks {
  signal?: AbortSignal;
  /** Told before each wait; attempt is the one that just failed (1-based). */
  onRetry?: (attempt: number, error: unknown, delayMs: number) => void;
  /** Random source in [0, 1), injectable for tests. */
  random?: () => number;
  /**
   * The job's deadline (epoch ms, JOB_TIMEOUT_MS): no wait goes past it, and a failure after it
   * is final, so the scene takes its stand-in instead of holding the job.
   */
  deadline?: number;
}

export function isAbort(error: unknown, signal?: AbortSignal): boolean {
  if (signal?.aborted) return true;
  return error instanceof Error && error.name === 'AbortError';
}

export function isRetryable(error: unknown): boolean {
  if (isProviderError(error)) return error.retryable;
  // A crash of a local program (espeak, canvas) may be transient; try again.
  return true;
}

/** The wait before attempt `attempt + 1`. */
export function retryDelay(policy: RetryPolicy, attempt: number, error: unknown, random: () => number = Math.random): number {
  if (isProviderError(error) && error.info.retryAfterMs !== undefined) {
    // "Retry-After: 0" must not turn into a tight loop of requests.
    const floor = error.info.rateLimited ? (policy.rateLimitFloorMs ?? DEFAULT_RATE_LIMIT_FLOOR_MS) : 0;
    return Math.max(floor, error.info.retryAfterMs) + Math.floor(random() * 250);
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(ceiling / 2 + random() * (ceiling / 2));
}

/** Run `attempt(n)` through the gate until it succeeds, the policy is spent, or the error is final. */
export async function withRetries<T>(
  gate: ProviderGate,
  policy: RetryPolicy,
  attempt: (n: number) => Promise<T>,
  hooks: RetryHooks = {},
): Promise<T> {
  let failures = 0;
  let firstRateLimitAt: number | undefined;
  for (let n = 1; ; n++) {
    try {
      const value = await gate.run(() => attempt(n), hooks.signal, hooks.deadline);
      gate.recordSuccess();
      return value;
    } catch (error) {
      if (isAbort(error, hooks.signal)) throw error;
      const asked = isProviderError(error) ? error.info.retryAfterMs : undefined;
      if (asked !== undefined) gate.backOff(asked);
      if (!isRetryable(error)) throw error;
      // A service asking for more than a provider is ever waited for: the scene takes its stand-in now.
      if (asked !== undefined && asked > gate.maxWaitMs) throw waitTooLong(gate, error as ProviderError, asked);
      if (hooks.deadline !== undefined && Date.now() >= hooks.deadline) throw pastDeadline(gate, error, 'ran out');
      const delay = Math.min(retryDelay(policy, failures + 1, error, hooks.random), gate.maxWaitMs);
      if (hooks.deadline !== undefined && Date.now() + delay > hooks.deadline) throw pastDeadline(gate, error, 'comes before the next try');
      if (isRateLimit(error)) {
        // Real time since the first rate limit, so waits behind other scenes' 429s count too.
        firstRateLimitAt ??= Date.now();
        if (Date.now() + delay - firstRateLimitAt > (policy.rateLimitBudgetMs ?? DEFAULT_RATE_LIMIT_BUDGET_MS)) throw error;
      } else if (++failures >= policy.attempts) {
        throw error;
      }
      hooks.onRetry?.(n, error, delay);
      await sleep(delay, hooks.signal);
    }
  }
}

function waitTooLong(gate: ProviderGate, error: ProviderError, askedMs: number): ProviderError {
  return new ProviderError(
    `${error.message}; it asked us to wait ${formatWait(askedMs)}, longer than the ${formatWait(gate.maxWaitMs)} a provider is waited for (PROVIDER_MAX_WAIT_MS)`,
    { ...error.info, retryable: false },
  );
}

function pastDeadline(gate: ProviderGate, error: unknown, when: string): ProviderError {
  const timedOut = error instanceof Error && error.name === 'TimeoutError';
  const said = timedOut ? `${gate.name} had not answered` : error instanceof Error ? error.message : String(error);
  return new ProviderError(`${said}; the job's deadline (JOB_TIMEOUT_MS) ${when}`, { provider: gate.name, retryable: false });
}
