/**
 * What a process says about its Redis: one line when it is lost (with what still works), one when
 * it is back, and between them only a one-line reminder every REMIND_EVERY_MS. Every other Redis
 * connection and BullMQ object of the process is quieted (`quiet`): their errors are the same
 * outage, already said, and ioredis would otherwise print "[ioredis] Unhandled error event" with a
 * stack for each reconnect attempt.
 */
import type { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import type { Logger } from '../core/log.js';
import { describeError } from '../core/describe-error.js';

export const REMIND_EVERY_MS = 30_000;

export interface RedisSays {
  lost: string;
  back: string;
  /** The reminder while it is away ("still no Redis for 30 s: …"). */
  still: string;
}

export interface RedisWatch {
  readonly down: boolean;
  /** Swallows the errors of other connections and BullMQ objects of this process (the outage is said once, here). */
  quiet(...emitters: EventEmitter[]): void;
  /** Redis could not be reached at start: says so in one line (instead of the "lost" line) and reminds until it answers. */
  unreachableAtStart(host: string, error: unknown, doing: string): void;
  stop(): void;
}

/** True for an error that only says the connection to Redis is not there (an outage, said once elsewhere). */
export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPIPE)$/.test(code))
    return true;
  return /Connection is closed|connect ECONNREFUSED|Stream isn't writeable|MaxRetriesPerRequestError|Reached the max retries/i.test(
    (error as Error)?.message ?? '',
  );
}

export function watchRedis(redis: Redis, log: Logger, says: RedisSays, stopped: () => boolean = () => false): RedisWatch {
  let down = false;
  let since = 0;
  let reminder: NodeJS.Timeout | undefined;
  const goDown = (line: string) => {
    if (down || stopped()) return;
    down = true;
    since = Date.now();
    log.warn(line);
    reminder = setInterval(() => {
      if (stopped()) return;
      log.warn(`still no Redis (${Math.round((Date.now() - since) / 1000)} s): ${says.still}`);
    }, REMIND_EVERY_MS);
    reminder.unref();
  };
  const quietly = () => undefined;
  redis.on('error', quietly);
  redis.on('close', () => goDown(says.lost));
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    clearInterval(reminder);
    if (!stopped()) log.info(says.back);
  });
  return {
    get down() {
      return down;
    },
    quiet(...emitters) {
      for (const e of emitters) e.on('error', quietly);
    },
    unreachableAtStart(host, error, doing) {
      goDown(`cannot reach Redis at ${host} (${describeError(error)}): ${doing}`);
    },
    stop() {
      clearInterval(reminder);
    },
  };
}
