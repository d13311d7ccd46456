/**
 * Discord's limits that belong to the bot, not to a process, held in Redis so that the gateway
 * (every shard) and every render worker keep them together:
 *
 * - The global limit: at most `perSecond` bot-token requests (DISCORD_GLOBAL_RPS, Discord's 50)
 *   in any second, all processes together. discord.js's own `globalRequestsPerSecond` counts one
 *   process only. Interaction callbacks and interaction-webhook edits carry no bot token and are
 *   not bound by it (Discord's rule), so they are not counted or delayed.
 * - A global 429 (X-RateLimit-Global) pauses bot-token requests of every process for its Retry-After.
 * - Invalid requests: Discord bans the bot's IP for a while after 10,000 responses of 401, 403 or
 *   429 (not `X-RateLimit-Scope: shared`) in 10 minutes. They are counted in 10-minute windows; once
 *   one window holds half of that, every request of every process waits for the window's end.
 *   Half, because fixed windows let two neighbours meet: 5,000 per window keeps any 10 minutes under 10,000.
 *
 * How the global count stays true as Discord sees it, whatever the delays between here and there:
 * a request holds a slot from the moment it is granted (in flight) until one window after its
 * response came back, and a request is granted only while fewer than `perSecond` slots are held.
 * Any request that reaches Discord within a second before another did was granted before it, or
 * was still in flight or answered less than a second earlier when the other was granted: both held
 * slots at once, so no second at Discord's end sees more than `perSecond`. Times are Redis's clock.
 *
 * Wired in through discord.js's `makeRequest` option (create-client.ts, the worker's REST). When
 * Redis does not answer, requests go out without the shared count (discord.js's per-process limit
 * still applies): a Redis outage must not stop the bot's messages.
 */
import { randomUUID } from 'node:crypto';
import { DefaultRestOptions, type RESTOptions } from 'discord.js';
import { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { Logger } from '../core/log.js';
import { sleep } from '../core/sleep.js';
import { whenReady } from './redis-jobs.js';

type MakeRequest = RESTOptions['makeRequest'];

const WINDOW_MS = 1000;
const INVALID_WINDOW_MS = 10 * 60_000;
/** Discord's ban threshold, per 10 minutes. */
export const INVALID_REQUEST_LIMIT = 10_000;
/** A slot held by a request whose process died before its response: given back after this. */
const IN_FLIGHT_MS = 30_000;
/** The longest a Redis command of the limit may take before the request goes without it. */
const COMMAND_TIMEOUT_MS = 1000;
/** How long a request of a process just started waits for its Redis connection. */
const CONNECT_WAIT_MS = 3000;
/** The longest single wait before asking Redis again (a shorter one is said by the script). */
const MAX_WAIT_MS = 1000;

// KEYS: slots (zset: member -> until when it is held), global block, invalid count.
// ARGV: per second, window ms, member, in-flight ms, invalid guard, counted (1/0).
// Returns 0 (go) or how many ms to wait before asking again.
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local invalid = tonumber(redis.call('GET', KEYS[3]) or '0')
if invalid >= tonumber(ARGV[5]) then
  local left = redis.call('PTTL', KEYS[3])
  if left > 0 then return left end
end
if ARGV[6] == '0' then return 0 end
local blocked = redis.call('PTTL', KEYS[2])
if blocked > 0 then return blocked end
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window + tonumber(ARGV[4]))
  return 0
end
local lowest = tonumber(redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2])
if lowest > now then return window end
return math.max(1, lowest + window - now)`;

// KEYS: slots. ARGV: member, window ms, in-flight ms. The slot is held from now for one window.
const ANSWERED = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) + tonumber(ARGV[3]))
return 0`;

// KEYS: invalid count. ARGV: window ms. Returns the count in this window.
const INVALID = `
local n = redis.call('INCR', KEYS[1])
if n == 1 or redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

export interface SharedRestLimitOptions {
  /** A fail-fast connection (no offline queue): while Redis is away, requests go out unshared. */
  redis: Redis;
  /** Bot-token requests per second, all processes together. */
  perSecond: number;
  prefix?: string;
  /** Invalid responses per 10 minutes before every request waits (default: half of Discord's 10,000). */
  invalidGuard?: number;
  /** The invalid responses' window (Discord's 10 minutes; shorter in tests). */
  invalidWindowMs?: number;
  /** Told once per window when the invalid responses reach the guard. */
  onInvalidGuard?: (count: number) => void;
  /** The request itself (default: discord.js's). */
  send?: MakeRequest;
}

export interface SharedRestLimit {
  /** For discord.js's REST options: waits its turn, then sends. */
  makeRequest: MakeRequest;
}

/** True for a request that carries the bot token (the ones Discord's global limit counts). */
export function carriesBotToken(init: Parameters<MakeRequest>[1]): boolean {
  const headers = init.headers;
  if (!headers) return false;
  const value =
    headers instanceof Headers
      ? headers.get('authorization')
      : Array.isArray(headers)
        ? headers.find(([k]) => k?.toLowerCase() === 'authorization')?.[1]
        : Object.entries(headers as Record<string, string>).find(([k]) => k.toLowerCase() === 'authorization')?.[1];
  return typeof value === 'string' && value.startsWith('Bot ');
}

export function sharedRestLimit(opts: SharedRestLimitOptions): SharedRestLimit {
  const { redis, perSecond } = opts;
  const prefix = opts.prefix ?? 'sr';
  const keys = { slots: `${prefix}:rest:global`, block: `${prefix}:rest:global-block`, invalid: `${prefix}:rest:invalid` };
  const guard = opts.invalidGuard ?? INVALID_REQUEST_LIMIT / 2;
  const send = opts.send ?? DefaultRestOptions.makeRequest;
  const invalidWindowMs = opts.invalidWindowMs ?? INVALID_WINDOW_MS;
  let warnedAt = 0;

  /** Resolves when this request may go; false when Redis could not say (it goes anyway). */
  async function acquire(member: string, counted: boolean, signal?: AbortSignal | null): Promise<boolean> {
    // Just started: the connection is on its way; an outage (reconnecting) is not waited for.
    if (['wait', 'connecting', 'connect'].includes(redis.status)) await whenReady(redis, CONNECT_WAIT_MS).catch(() => undefined);
    for (;;) {
      let wait: number;
      try {
        wait = Number(
          await redis.eval(
            ACQUIRE,
            3,
            keys.slots,
            keys.block,
            keys.invalid,
            perSecond,
            WINDOW_MS,
            member,
            IN_FLIGHT_MS,
            guard,
            counted ? 1 : 0,
          ),
        );
      } catch {
        return false;
      }
      if (wait <= 0) return true;
      // discord.js's request timeout runs from before this call: once it fires, its own retry
      // calls again (a new timeout), so the wait goes on there.
      await sleep(Math.min(wait, MAX_WAIT_MS), signal ?? undefined);
    }
  }

  async function afterwards(member: string | undefined, status: number | undefined, headers: Headers | undefined): Promise<void> {
    const calls: Promise<unknown>[] = [];
    if (member) calls.push(redis.eval(ANSWERED, 1, keys.slots, member, WINDOW_MS, IN_FLIGHT_MS));
    if (status === 429 && headers?.get('x-ratelimit-global')) {
      const seconds = Number(headers.get('retry-after') ?? '1');
      calls.push(redis.set(keys.block, '1', 'PX', Math.max(1, Math.ceil((Number.isFinite(seconds) ? seconds : 1) * 1000))));
    }
    const invalid = status === 401 || status === 403 || (status === 429 && headers?.get('x-ratelimit-scope') !== 'shared');
    if (invalid)
      calls.push(
        Promise.resolve(redis.eval(INVALID, 1, keys.invalid, invalidWindowMs)).then((n) => {
          const count = Number(n);
          if (count >= guard && Date.now() - warnedAt > invalidWindowMs) {
            warnedAt = Date.now();
            opts.onInvalidGuard?.(count);
          }
        }),
      );
    await Promise.allSettled(calls);
  }

  const makeRequest: MakeRequest = async (url, init) => {
    const counted = carriesBotToken(init);
    const member = counted ? randomUUID() : undefined;
    const signal = init.signal as AbortSignal | null | undefined;
    const held = await acquire(member ?? '', counted, signal);
    if (held && member && signal?.aborted) {
      // Timed out while waiting its turn: nothing goes out, the slot is given back at once.
      await Promise.resolve(redis.zrem(keys.slots, member)).catch(() => undefined);
      throw signal.reason;
    }
    let status: number | undefined;
    let headers: Headers | undefined;
    try {
      const res = await send(url, init);
      status = res.status;
      headers = res.headers;
      return res;
    } finally {
      // Not awaited: the caller has its response; the slot's release and the counts follow.
      void afterwards(held ? member : undefined, status, headers);
    }
  };
  return { makeRequest };
}

/**
 * The limit's own connection: fails at once while Redis is away (no offline queue) and gives up on
 * a command after COMMAND_TIMEOUT_MS (a Redis that hangs), so a request is never held up by Redis
 * for longer than that: it goes out under the process's own limit instead.
 */
export function limitConnection(url: string): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 3000,
    commandTimeout: COMMAND_TIMEOUT_MS,
  });
  // What an outage means is said by the transport's watch; here it only means "go unshared".
  redis.on('error', () => undefined);
  return redis;
}

/**
 * The REST options of every Discord client of a process (the gateway's, a worker's): the limit,
 * shared through Redis when REDIS_URL is set, this process's own otherwise.
 */
export function discordRestOptions(config: Config, log?: Logger): { options: Partial<RESTOptions>; close(): void } {
  const perSecond = config.discord.globalRequestsPerSecond;
  const base: Partial<RESTOptions> = {
    ...(config.discord.apiBase ? { api: config.discord.apiBase } : {}),
    globalRequestsPerSecond: perSecond,
  };
  if (!config.redis) return { options: base, close: () => undefined };
  const redis = limitConnection(config.redis.url);
  const limit = sharedRestLimit({
    redis,
    perSecond,
    onInvalidGuard: (count) =>
      log?.warn(
        `${count} requests refused by Discord (401/403/429) in 10 minutes, all processes together: every request now waits for the window to end, before Discord's ban at ${INVALID_REQUEST_LIMIT}`,
      ),
  });
  return { options: { ...base, makeRequest: limit.makeRequest }, close: () => redis.disconnect() };
}
