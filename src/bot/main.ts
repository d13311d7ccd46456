/**
 * `npm start`: the Discord bot. Without REDIS_URL it renders in this process; with it, it is the
 * gateway and render workers (`npm run worker`) render. With SHARDS it runs under discord.js's
 * ShardingManager (one process per shard). SIGINT/SIGTERM pause running jobs and close cleanly.
 * Exit codes: 0 stopped, 1 failed (Discord unreachable, a crash), 2 configuration (a line says what).
 */
import { join } from 'node:path';
import { loadEnvironment } from '../environment.js';
import { engineFromConfig, settleProviders } from '../engine-from-config.js';
import { createLogger } from '../core/log.js';
import { startBot } from './start-bot.js';
import { runShards } from './run-shards.js';
import { isShardProcess } from './shard-environment.js';
import { exitOnStartError, stopOnSignals } from '../process-lifecycle.js';

const log = createLogger('bot');

async function main(): Promise<void> {
  const { config: loaded, ffmpeg } = loadEnvironment();
  if (loaded.shards && !isShardProcess()) {
    await runShards(loaded, log);
    return;
  }
  // IMAGE_PROVIDER / VOICE_PROVIDER=auto without a key: the start-up checks (Pollinations anonymous, Edge voices), once, now.
  const config = loaded.redis ? loaded : await settleProviders(loaded);
  // Scratch space of this process's renders (none with render workers): a killed process leaves
  // files here. Shards rendering in-process each have their own.
  const work = join(config.dataDir, 'work');
  const scratchDir = config.redis ? undefined : isShardProcess() ? join(work, `shard-${process.env.SHARDS}`) : work;
  const engine = scratchDir ? engineFromConfig(config, ffmpeg, { workRoot: scratchDir }) : undefined;
  const bot = await startBot({ config, engine, log, scratchDir });
  stopOnSignals(log, `no new jobs; ${config.redis ? 'closing (render workers carry on)' : 'pausing running ones and closing'}`, () =>
    bot.stop(),
  );
}

main().catch(exitOnStartError(log));
