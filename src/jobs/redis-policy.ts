/**
 * What the bot asks of the Redis it is given, checked once at start by the gateway and by every
 * render worker: `maxmemory-policy noeviction`, so that a full Redis refuses writes (said, and
 * retried) instead of silently dropping queued tickets, admission counts or limits (none of them
 * may vanish: a dropped per-guild count would admit past the limit, a dropped ticket loses a job);
 * and not Redis Cluster, since the admission scripts name keys of several guilds inside Lua.
 * Read from INFO (managed services that rename CONFIG still answer INFO).
 */
import type { Redis } from 'ioredis';
import { ConfigError } from '../config.js';

/** The value of one `field:value` line of an INFO section, or undefined. */
export function infoField(info: string, field: string): string | undefined {
  const line = info.split(/\r?\n/).find((l) => l.startsWith(`${field}:`));
  return line?.slice(field.length + 1).trim();
}

/** Throws a one-line ConfigError (exit 2) unless the Redis behind `redis` suits the bot. */
export async function assertRedisSuits(redis: Redis, host: string): Promise<void> {
  const [memory, cluster] = await Promise.all([redis.info('memory'), redis.info('cluster')]);
  if (infoField(cluster, 'cluster_enabled') === '1')
    throw new ConfigError(
      `Redis at ${host} is a Redis Cluster, which storyreel does not support (its scripts use keys of several guilds at once): give it a single Redis (with replicas if you like).`,
    );
  const policy = infoField(memory, 'maxmemory_policy');
  if (policy !== 'noeviction')
    throw new ConfigError(
      `Redis at ${host} has maxmemory-policy ${policy ?? '(unknown)'}, which can evict queued jobs and limits: set \`maxmemory-policy noeviction\` (redis.conf, or CONFIG SET maxmemory-policy noeviction) and start again.`,
    );
}
