import { describe, expect, it } from 'vitest';
import { ProviderGate } from '../../src/providers/gate.js';
import { ProviderError } from '../../src/providers/errors.js';
import { retryDelay, withRetries } from '../../src/engine/retry.js';
import { describeError } from '../../src/core/describe-error.js';
import { registerSecrets } from '../../src/core/log.js';

const fast = { attempts: 4, baseDelayMs: 1, maxDelayMs: 4, rateLimitFloorMs: 1 };

describe('withRetries', () => {
  it('retries retryable failures and returns the first success', async () => {
    const seen: number[] = [];
    const value = await withRetries(new ProviderGate('t', 1), fast, async (n) => {
      seen.push(n);
      if (n < 3) throw new ProviderError('HTTP 500', { provider: 't', retryable: true, status: 500 });
      return 'ok';
    });
    expect(value).toBe('ok');
    expect(seen).toEqual([1, 2, 3]);
  });

  it('stops at once on a final error', async () => {
    let calls = 0;
    await expect(
      withRetries(new ProviderGate('t', 1), fast, async () => {
        calls += 1;
        throw new ProviderError('key rejected', { provider: 't', retryable: false, status: 401 });
      }),
    ).rejects.toThrow('key rejected');
    expect(calls).toBe(1);
  });

  it('gives up after the policy is spent and reports each retry', async () => {
    const retries: number[] = [];
    await expect(
      withRetries(
        new ProviderGate('t', 1),
        fast,
        async () => {
          throw new ProviderError('HTTP 503', { provider: 't', retryable: true });
        },
        { onRetry: (n) => retries.push(n) },
      ),
    ).rejects.toThrow('HTTP 503');
    expect(retries).toEqual([1, 2, 3]);
  });

  it('a Retry-After slows the whole provider', async () => {
    const gate = new ProviderGate('t', 4);
    let n = 0;
    await withRetries(gate, fast, async () => {
      n += 1;
      if (n === 1) throw new ProviderError('429', { provider: 't', retryable: true, retryAfterMs: 5 });
      return n;
    });
    expect(gate.concurrency).toBe(2); // halved from 4; one success is not yet enough to win a step back
  });
});

describe('rate limits', () => {
  const rateLimited = () => new ProviderError('429', { provider: 't', retryable: true, status: 429, retryAfterMs: 1, rateLimited: true });

  it('do not use up attempts: more 429s in a row than the policy has attempts, then a success', async () => {
    const seen: number[] = [];
    const value = await withRetries(new ProviderGate('t', 1), fast, async (n) => {
      seen.push(n);
      if (n <= fast.attempts + 2) throw rateLimited();
      return 'ok';
    });
    expect(value).toBe('ok');
    expect(seen).toHaveLength(fast.attempts + 3);
  });

  it('still count real failures between them', async () => {
    let n = 0;
    await expect(
      withRetries(new ProviderGate('t', 1), fast, async () => {
        n += 1;
        throw n % 2 ? rateLimited() : new ProviderError('HTTP 500', { provider: 't', retryable: true, status: 500 });
      }),
    ).rejects.toThrow('HTTP 500');
    expect(n).toBe(2 * fast.attempts); // four 500s, each after a 429 that did not count
  });

  it('give up once the waiting budget (real time since the first rate limit) is spent', async () => {
    let n = 0;
    await expect(
      withRetries(
        new ProviderGate('t', 1),
        { ...fast, rateLimitBudgetMs: 200 },
        async () => {
          n += 1;
          throw new ProviderError('429', { provider: 't', retryable: true, status: 429, retryAfterMs: 50, rateLimited: true });
        },
        { random: () => 0 },
      ),
    ).rejects.toThrow('429');
    expect(n).toBeGreaterThanOrEqual(2);
    expect(n).toBeLessThanOrEqual(5); // waits of 50 ms (and the gate's pause) within 200 ms
  });

  it('wait at least the floor when the service says Retry-After: 0', () => {
    const zero = new ProviderError('429', { provider: 't', retryable: true, status: 429, retryAfterMs: 0, rateLimited: true });
    expect(retryDelay({ attempts: 3, baseDelayMs: 1, maxDelayMs: 4 }, 1, zero, () => 0)).toBe(1000);
    expect(retryDelay({ ...fast, rateLimitFloorMs: 300 }, 1, zero, () => 0)).toBe(300);
    const busy = new ProviderError('503', { provider: 't', retryable: true, status: 503, retryAfterMs: 0 });
    expect(retryDelay(fast, 1, busy, () => 0)).toBe(0);
  });
});

describe('retryDelay', () => {
  it('uses Retry-After when the service gave one, else capped exponential backoff with jitter', () => {
    const policy = { attempts: 5, baseDelayMs: 1000, maxDelayMs: 8000 };
    const err = new ProviderError('429', { provider: 't', retryable: true, retryAfterMs: 3000 });
    expect(retryDelay(policy, 1, err, () => 0)).toBe(3000);
    expect(retryDelay(policy, 1, new Error('x'), () => 0)).toBe(500);
    expect(retryDelay(policy, 3, new Error('x'), () => 0.999)).toBeLessThanOrEqual(4000);
    expect(retryDelay(policy, 3, new Error('x'), () => 0)).toBe(2000);
    expect(retryDelay(policy, 10, new Error('x'), () => 0.999)).toBeLessThanOrEqual(8000);
  });
});

describe('describeError', () => {
  it('is one line and never holds a registered secret', () => {
    registerSecrets(['sk_test_SECRET_RETRY_1']);
    const text = describeError(new Error('bad key sk_test_SECRET_RETRY_1\nstack line'));
    expect(text).toBe('bad key ***');
  });
});
