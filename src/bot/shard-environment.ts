/**
 * discord.js's Client reads four variables from the environment by itself (`SHARDS` is
 * JSON.parse'd whenever it exists, so an empty `SHARDS=` from .env crashes it). They belong to
 * discord.js's ShardingManager, which sets them in each shard process it spawns; anywhere else
 * (our own `SHARDS=auto|N` is a shard *count* for the manager, not a list of ids) they are
 * removed before a Client is made.
 */
export const DISCORD_SHARD_VARIABLES = ['SHARDS', 'SHARD_COUNT', 'SHARDING_MANAGER', 'SHARDING_MANAGER_MODE'] as const;

/** True in a process spawned by discord.js's ShardingManager: it set SHARDING_MANAGER, SHARDS (this shard's id) and SHARD_COUNT. */
export function isShardProcess(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.SHARDING_MANAGER === 'true' && /^\d+$/.test(env.SHARDS ?? '') && /^\d+$/.test(env.SHARD_COUNT ?? '');
}

/** Removes discord.js's shard variables unless the ShardingManager set them for this very process. */
export function clearForeignShardVariables(env: NodeJS.ProcessEnv = process.env): void {
  if (isShardProcess(env)) return;
  for (const name of DISCORD_SHARD_VARIABLES) delete env[name];
}
