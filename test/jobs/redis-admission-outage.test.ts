/** RedisAdmission when its Redis goes away: a fresh Redis (NOSCRIPT), and calls while it is down. */
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { RedisAdmission } from '../../src/jobs/redis-admission.js';
import type { Admission } from '../../src/jobs/admission-rules.js';
import { startRedis } from '../support/redis-server.js';

const job = (id: string, guildId: string, userId = `u-${id}`, data = '{}') => ({ id, guildId, userId, data });
const ok = (position: number): Admission => ({ ok: true, position });

/**
 * Wait for the client to be (or not be) connected; polling, since the event may already have fired.
 * Bounded by the test's own timeout only, not by a budget sized for an idle machine.
 */
async function until(client: Redis, ready: boolean): Promise<void> {
  while ((client.status === 'ready') !== ready) await new Promise((r) => setTimeout(r, 10));
}

describe('Redis restarted', () => {
  it('loads its scripts again into a fresh Redis (NOSCRIPT) and keeps working', async () => {
    const own = await startRedis();
    const client = new Redis(own.url, { maxRetriesPerRequest: 20 });
    client.on('error', () => {}); // ECONNREFUSED while restarting is expected here
    try {
      const a = new RedisAdmission(client, { limits: { perGuildRunning: 1, perGuildWaiting: 1, globalRunning: 1 } });
      expect(await a.admit(job('a', 'G'))).toEqual(ok(0));
      await own.kill();
      await own.restart();
      // Empty again: the same id is new, and the scripts are loaded again.
      expect(await a.admit(job('a', 'G'))).toEqual(ok(0));
      expect(await a.admit(job('b', 'G'))).toEqual(ok(1));
    } finally {
      client.disconnect();
      await own.stop();
    }
  });

  it('with Redis down, calls reject (for the caller to refuse politely) and nothing hangs; back up, they work', async () => {
    const own = await startRedis();
    // What a gateway should use: fail at once while disconnected instead of queueing commands.
    const client = new Redis(own.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: () => 50 });
    client.on('error', () => {}); // ECONNREFUSED while down is expected here
    try {
      await until(client, true);
      const a = new RedisAdmission(client, { limits: { perGuildRunning: 1, perGuildWaiting: 1, globalRunning: 1 } });
      await own.kill();
      await until(client, false);
      await expect(a.admit(job('a', 'G'))).rejects.toThrow();
      await expect(a.release('a')).rejects.toThrow();
      await own.restart();
      await until(client, true);
      expect(await a.admit(job('a', 'G'))).toEqual(ok(0));
    } finally {
      client.disconnect();
      await own.stop();
    }
  });
});
