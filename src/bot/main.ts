/** `npm start`: the Discord bot. SIGINT/SIGTERM pause running jobs (they resume on the next start) and close cleanly. */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { loadEnvironment } from '../environment.js';
import { engineFromConfig } from '../engine-from-config.js';
import { createLogger } from '../core/log.js';
import { startBot } from './start-bot.js';

const log = createLogger('bot');

async function main(): Promise<void> {
  const { config, ffmpeg } = loadEnvironment();
  // Scratch space of running renders; a killed process leaves its files here, so start clean.
  const workRoot = join(config.dataDir, 'work');
  await rm(workRoot, { recursive: true, force: true });
  const bot = await startBot({ config, engine: engineFromConfig(config, ffmpeg, { workRoot }), log });
  const stop = (signal: string) => {
    log.info(`${signal}: no new jobs; pausing running ones and closing`);
    bot.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error(`shutdown failed: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  log.error((error as Error).message ?? String(error));
  process.exit(1);
});
