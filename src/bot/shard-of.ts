/**
 * Which shard this process is, when the gateway runs under discord.js's ShardingManager, and which
 * guilds it owns: Discord puts a guild on shard (guild_id >> 22) % shard_count, so anything keyed
 * by guild (its line, its jobs' recovery) is handled by exactly one shard.
 */
import type { Client } from 'discord.js';
import { isUserScope } from '../core/admission-scope.js';

export interface ShardInfo {
  id: number;
  count: number;
  owns: (guildId: string) => boolean;
}

/** A job of a member's own scope (a DM, a server without the bot) is shard 0's: Discord sends DMs there. */
export function shardFor(guildId: string, count: number): number {
  if (isUserScope(guildId)) return 0;
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

export function shardOf(client: Client): ShardInfo | undefined {
  const ids = client.options.shards;
  const count = client.options.shardCount ?? 1;
  if (!Array.isArray(ids) || count <= 1) return undefined;
  const mine = new Set(ids);
  return { id: ids[0]!, count, owns: (guildId) => mine.has(shardFor(guildId, count)) };
}
