/** What a process says about a Redis outage: one line lost, a reminder every 30 s, one line back. */
import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { REMIND_EVERY_MS, watchRedis } from '../../src/jobs/watch-redis.js';
import type { Logger } from '../../src/core/log.js';

afterEach(() => vi.useRealTimers());

function recorder() {
  const lines: string[] = [];
  const log = {
    info: (m: string) => lines.push(`INFO ${m}`),
    warn: (m: string) => lines.push(`WARN ${m}`),
    error: (m: string) => lines.push(`ERROR ${m}`),
    debug: () => undefined,
  } as unknown as Logger;
  return { lines, log };
}

describe('watchRedis', () => {
  it('says lost once, reminds once per interval however many reconnect attempts fail, says back once', () => {
    vi.useFakeTimers();
    const redis = new EventEmitter();
    const { lines, log } = recorder();
    watchRedis(redis as unknown as Redis, log, { lost: 'lost Redis', back: 'Redis is back', still: 'refusing stories' });
    for (let i = 0; i < 50; i++) {
      redis.emit('error', new Error('connect ECONNREFUSED 127.0.0.1:6379'));
      redis.emit('close');
      vi.advanceTimersByTime(1000);
    }
    vi.advanceTimersByTime(2 * REMIND_EVERY_MS - 50_000);
    redis.emit('ready');
    vi.advanceTimersByTime(5 * REMIND_EVERY_MS);
    expect(lines).toEqual([
      'WARN lost Redis',
      'WARN still no Redis (30 s): refusing stories',
      'WARN still no Redis (60 s): refusing stories',
      'INFO Redis is back',
    ]);
  });

  it('other connections and BullMQ objects are quieted: their errors print nothing', () => {
    const { lines, log } = recorder();
    const watch = watchRedis(new EventEmitter() as unknown as Redis, log, { lost: 'l', back: 'b', still: 's' });
    const other = new EventEmitter();
    watch.quiet(other);
    expect(() => other.emit('error', new Error('connect ECONNREFUSED'))).not.toThrow();
    expect(lines).toEqual([]);
  });
});
