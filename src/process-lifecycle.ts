/**
 * What every long-running entry point (the bot, a render worker) does around its work: stop
 * cleanly on SIGINT/SIGTERM (exit 0, or 1 when stopping failed), and exit with one line on a
 * start-up error (2 for configuration, as the CLI does; 1 otherwise).
 */
import type { Logger } from './core/log.js';

export function stopOnSignals(log: Logger, says: string, stop: () => Promise<void>): void {
  const onSignal = (signal: string) => {
    log.info(`${signal}: ${says}`);
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error(`stopping failed: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => onSignal('SIGINT'));
  process.once('SIGTERM', () => onSignal('SIGTERM'));
}

export function exitOnStartError(log: Logger): (error: unknown) => never {
  return (error) => {
    const name = (error as Error)?.name;
    log.error((error as Error)?.message ?? String(error));
    process.exit(name === 'ConfigError' || name === 'MissingBinaryError' ? 2 : 1);
  };
}
