/** Says once in the log when a Redis connection is lost, and once when it is back. */
import type { Redis } from 'ioredis';
import type { Logger } from '../core/log.js';

export function watchRedis(redis: Redis, log: Logger, says: { lost: string; back: string }, stopped: () => boolean = () => false): void {
  let down = false;
  redis.on('error', () => undefined);
  redis.on('close', () => {
    if (down || stopped()) return;
    down = true;
    log.warn(says.lost);
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    log.info(says.back);
  });
}
