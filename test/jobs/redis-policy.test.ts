/**
 * Redis must keep every key it is given (issue 24, item 5): the gateway and every render worker
 * refuse to start, exit 2 with one line saying what to set, when its maxmemory-policy can evict
 * (a real redis-server started with allkeys-lru), and start on one with noeviction; a Redis Cluster
 * node is refused too (its scripts name keys of several guilds).
 */
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { assertRedisSuits } from '../../src/jobs/redis-policy.js';
import { startFleet, type Fleet } from '../support/fleet.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';

let server: TestRedis | undefined;
let client: Redis | undefined;
let fleet: Fleet | undefined;
afterEach(async () => {
  client?.disconnect();
  await server?.stop();
  await fleet?.close();
  server = client = fleet = undefined;
});

describe('Redis eviction policy at start', () => {
  it('refuses a Redis that may evict keys, naming the setting; accepts noeviction', async () => {
    server = await startRedis({ args: ['--maxmemory-policy', 'allkeys-lru'] });
    client = new Redis(server.url, { maxRetriesPerRequest: 1 });
    const refused = await assertRedisSuits(client, '127.0.0.1').catch((error: Error) => error);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).name).toBe('ConfigError');
    expect((refused as Error).message).toMatch(/maxmemory-policy allkeys-lru.*set `maxmemory-policy noeviction`/);
    expect((refused as Error).message).not.toMatch(/\n/);
    await client.config('SET', 'maxmemory-policy', 'noeviction');
    await expect(assertRedisSuits(client, '127.0.0.1')).resolves.toBeUndefined();
  });

  it('refuses a Redis Cluster node, saying it is not supported', async () => {
    server = await startRedis({ args: ['--cluster-enabled', 'yes'] });
    client = new Redis(server.url, { maxRetriesPerRequest: 1 });
    await expect(assertRedisSuits(client, '127.0.0.1')).rejects.toThrow(/Redis Cluster, which storyreel does not support/);
  });

  it('the gateway and a render worker, as real processes, exit 2 with one line on volatile-lru', async () => {
    fleet = await startFleet({ guilds: 1, redisArgs: ['--maxmemory-policy', 'volatile-lru'] });
    const gateway = fleet.gateway();
    const worker = fleet.worker();
    expect(await gateway.exited).toBe(2);
    expect(await worker.exited).toBe(2);
    for (const proc of [gateway, worker]) {
      const lines = proc
        .output()
        .split('\n')
        .filter((l) => /maxmemory-policy/.test(l));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/volatile-lru.*set `maxmemory-policy noeviction`/);
      expect(proc.output()).not.toMatch(/ready|logged in/);
    }
  }, 300_000);
});
