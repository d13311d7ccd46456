/**
 * SHARDS=auto|N: the gateway under discord.js's ShardingManager, one process per shard (Discord
 * requires sharding past 2,500 servers per connection). 'auto' asks Discord (GET /gateway/bot,
 * through DISCORD_API_BASE when set) how many it recommends. Each shard is this same program:
 * it logs in as its shard, handles its own guilds (their lines, their recovery), and shares the
 * history file (SQLite WAL: one writer at a time, on this machine).
 */
import { fileURLToPath } from 'node:url';
import { REST, Routes, ShardingManager } from 'discord.js';
import type { Config } from '../config.js';
import type { Logger } from '../core/log.js';
import { describeError } from '../core/describe-error.js';

async function recommendedShards(config: Config): Promise<number> {
  const rest = new REST(config.discord.apiBase ? { api: config.discord.apiBase } : {}).setToken(config.discord.token ?? '');
  const body = (await rest.get(Routes.gatewayBot())) as { shards?: number };
  return Math.max(1, body.shards ?? 1);
}

export async function runShards(config: Config, log: Logger): Promise<void> {
  const total = config.shards === 'auto' ? await recommendedShards(config) : config.shards!;
  const file = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? './main.ts' : './main.js', import.meta.url));
  const manager = new ShardingManager(file, {
    totalShards: total,
    token: config.discord.token,
    // Under tsx (development, tests) each shard needs it too; compiled JavaScript does not.
    execArgv: file.endsWith('.ts') ? ['--import', 'tsx'] : [],
    respawn: true,
  });
  manager.on('shardCreate', (shard) => {
    log.info(`shard ${shard.id} of ${total} starting`);
    shard.on('death', () => log.warn(`shard ${shard.id} died; the sharding manager starts it again`));
  });
  const stop = async (signal: string) => {
    log.info(`${signal}: stopping ${manager.shards.size} shard(s)`);
    await Promise.all(
      manager.shards.map(
        (s) =>
          new Promise<void>((resolve) => {
            if (!s.process) return resolve();
            s.process.once('exit', () => resolve());
            s.process.kill('SIGTERM');
          }),
      ),
    );
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  try {
    await manager.spawn({ amount: total, delay: 1000, timeout: 60_000 });
  } catch (error) {
    throw new Error(`the shards did not start: ${describeError(error)}`);
  }
  log.info(`gateway running as ${total} shard(s)`);
}
