/**
 * `npm run worker`: a render worker (REDIS_URL and the bot's .env; ffmpeg on this machine).
 * Start as many as you like, on as many machines. SIGINT/SIGTERM: running jobs go back on the
 * queue for another worker, then it exits. Exit codes: 0 stopped, 1 failed, 2 configuration.
 */
import { loadEnvironment } from '../environment.js';
import { engineFromConfig, settleProviders } from '../engine-from-config.js';
import { createLogger } from '../core/log.js';
import { startWorker } from './start-worker.js';
import { exitOnStartError, stopOnSignals } from '../process-lifecycle.js';

const log = createLogger('worker');

async function main(): Promise<void> {
  const { config: loaded, ffmpeg } = loadEnvironment();
  // IMAGE_PROVIDER=auto without a key: Pollinations' anonymous endpoint if it answers, once, now.
  const config = await settleProviders(loaded);
  const worker = await startWorker({ config, log, engine: (workRoot) => engineFromConfig(config, ffmpeg, { workRoot }) });
  stopOnSignals(log, 'handing running jobs back to the queue and stopping', () => worker.stop());
}

main().catch(exitOnStartError(log));
