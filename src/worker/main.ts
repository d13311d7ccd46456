/**
 * `npm run worker`: a render worker (REDIS_URL and the bot's .env; ffmpeg on this machine).
 * Start as many as you like, on as many machines. SIGINT/SIGTERM: running jobs go back on the
 * queue for another worker, then it exits. Exit codes: 0 stopped, 1 failed, 2 configuration.
 */
import { loadEnvironment } from '../environment.js';
import { engineFromConfig, settleImageProvider } from '../engine-from-config.js';
import { createLogger } from '../core/log.js';
import { startWorker } from './start-worker.js';

const log = createLogger('worker');

async function main(): Promise<void> {
  const { config: loaded, ffmpeg } = loadEnvironment();
  // IMAGE_PROVIDER=auto without a key: Pollinations' anonymous endpoint if it answers, once, now.
  const config = await settleImageProvider(loaded);
  const worker = await startWorker({ config, log, engine: (workRoot) => engineFromConfig(config, ffmpeg, { workRoot }) });
  const stop = (signal: string) => {
    log.info(`${signal}: handing running jobs back to the queue and stopping`);
    worker.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error(`stop failed: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  const name = (error as Error)?.name;
  log.error((error as Error)?.message ?? String(error));
  process.exit(name === 'ConfigError' || name === 'MissingBinaryError' ? 2 : 1);
});
