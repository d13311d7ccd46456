/**
 * The one place that reads the environment: env -> typed, validated config.
 * A bad value stops the program with one line naming the variable and what is wrong.
 */
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import type { PollinationsOptions } from './providers/images/pollinations.js';
import type { InworldOptions } from './providers/voices/inworld.js';
import type { EdgeOptions } from './providers/voices/edge.js';
import type { OpenAiWriterOptions } from './providers/writers/openai.js';
import { DEFAULT_MUSIC, MUSIC_CHOICES } from './media/music-recipes.js';

const bool = z.enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off', '']).transform((v) => ['1', 'true', 'yes', 'on'].includes(v));
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const url = z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, ''));
const wsUrl = z.url({ protocol: /^wss?$/ }).transform((u) => u.replace(/\/+$/, ''));
const optionalText = z.string().optional();
// redis://[user:password@]host[:port][/db] or rediss:// (TLS); a host is required.
const redisUrl = z
  .url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL with a host' })
  .refine((u) => URL.canParse(u) && new URL(u).hostname !== '', 'must be a redis:// or rediss:// URL with a host');

const schema = z.object({
  // Discord
  DISCORD_TOKEN: optionalText,
  DISCORD_APPLICATION_ID: z
    .string()
    .regex(/^\d{17,20}$/, 'must be a Discord snowflake (17-20 digits)')
    .optional(),
  DISCORD_DEV_GUILD_ID: z
    .string()
    .regex(/^\d{17,20}$/, 'must be a Discord snowflake (17-20 digits)')
    .optional(),
  DISCORD_API_BASE: url.optional(),

  // Which providers: auto uses a service when its key or URL is set, offline otherwise.
  IMAGE_PROVIDER: z.enum(['auto', 'pollinations', 'local']).default('auto'),
  // auto without a key: how long the start-up check waits for Pollinations' anonymous endpoint.
  IMAGE_CHECK_TIMEOUT_MS: int(100, 30_000).default(2500),
  VOICE_PROVIDER: z.enum(['auto', 'inworld', 'edge', 'espeak']).default('auto'),
  // auto without an Inworld key: how long the start-up check waits for Edge's read-aloud service.
  VOICE_CHECK_TIMEOUT_MS: int(100, 30_000).default(2500),
  SCENE_WRITER: z.enum(['auto', 'openai', 'pollinations', 'local']).default('auto'),

  // Pollinations
  POLLINATIONS_MODE: z.enum(['legacy', 'gateway']).optional(),
  POLLINATIONS_BASE_URL: url.optional(),
  POLLINATIONS_API_KEY: optionalText,
  POLLINATIONS_MODEL: z.string().trim().min(1).default('flux'),
  // scenes showing the cast are drawn from its portraits: a model that takes reference images (klein: several; kontext: one)
  POLLINATIONS_REFERENCE_MODEL: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9.-]*$/, 'a model name such as klein or kontext')
    .refine((m) => !['flux', 'turbo'].includes(m), 'flux and turbo take text only: klein or kontext take reference images')
    .default('klein'),
  POLLINATIONS_CONCURRENCY: int(1, 64).optional(),
  POLLINATIONS_TIMEOUT_MS: int(1000, 600_000).default(120_000),
  POLLINATIONS_NOLOGO: bool.default(true),
  POLLINATIONS_ENHANCE: bool.default(false),
  POLLINATIONS_SAFE: bool.default(true),
  // The bot asks for safe images everywhere; in an age-restricted channel too unless this is true.
  ALLOW_NSFW_IN_AGE_RESTRICTED: bool.default(false),
  POLLINATIONS_PRIVATE: bool.default(true),
  POLLINATIONS_REFERRER: z.string().trim().default('storyreel'),
  // The scene writer on Pollinations' OpenAI-compatible gateway (same key): a model of its text models.
  POLLINATIONS_TEXT_MODEL: z.string().trim().min(1).default('openai'),

  // Inworld
  INWORLD_API_KEY: optionalText,
  INWORLD_BASE_URL: url.default('https://api.inworld.ai'),
  INWORLD_MODEL: z.string().trim().min(1).default('inworld-tts-1.5-mini'),
  INWORLD_VOICE: z.string().trim().min(1).default('Ashley'),
  INWORLD_CONCURRENCY: int(1, 64).default(4),
  INWORLD_TIMEOUT_MS: int(1000, 600_000).default(60_000),

  // Edge read-aloud (free neural voices, an unofficial endpoint): VOICE_PROVIDER=edge or auto
  EDGE_BASE_URL: wsUrl.default('wss://speech.platform.bing.com/consumer/speech/synthesize/readaloud'),
  EDGE_VOICE: z.string().trim().min(1).default('en-US-EmmaMultilingualNeural'),
  EDGE_CONCURRENCY: int(1, 16).default(4),
  EDGE_TIMEOUT_MS: int(1000, 600_000).default(30_000),

  // OpenAI-compatible scene writer
  LLM_BASE_URL: url.optional(),
  LLM_API_KEY: optionalText,
  LLM_MODEL: z.string().trim().min(1).default('gpt-4o-mini'),
  LLM_TIMEOUT_MS: int(1000, 600_000).default(60_000),

  // Offline stand-ins and binaries
  ESPEAK_PATH: optionalText,
  ESPEAK_VOICE: z.string().trim().min(1).default('en-us'),
  FFMPEG_PATH: optionalText,
  FFPROBE_PATH: optionalText,

  // Storage
  DATA_DIR: z.string().trim().min(1).default('./data'),
  CACHE_MAX_MB: int(10, 1_000_000).default(2048),

  // Limits
  DEFAULT_MAX_BYTES: int(1_000_000, 500 * 1024 * 1024).default(10 * 1024 * 1024),
  // The music bed when a request names none: a mood or none.
  DEFAULT_MUSIC: z.enum(MUSIC_CHOICES).default(DEFAULT_MUSIC),
  MAX_JOBS_PER_GUILD: int(1, 20).default(1),
  MAX_QUEUE_PER_GUILD: int(0, 100).default(5),
  MAX_RUNNING_JOBS: int(1, 16).default(2),
  // The bot owner's fleet-wide caps per UTC day (0 = none): stories, narration characters, images.
  DAILY_STORIES: int(0, 10_000_000).default(0),
  DAILY_NARRATION_CHARACTERS: int(0, 2_000_000_000).default(0),
  DAILY_IMAGES: int(0, 100_000_000).default(0),
  RENDER_CONCURRENCY: int(1, 8).default(2),
  // The longest a provider is paused for one rate limit, whatever its Retry-After says.
  PROVIDER_MAX_WAIT_MS: int(100, 3_600_000).default(60_000),
  // Every job's deadline for its services, after which stand-ins finish it (default: from the story's size).
  JOB_TIMEOUT_MS: int(1000, 86_400_000).optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),

  // Scale-out: set REDIS_URL to run the gateway and render workers as separate processes.
  REDIS_URL: redisUrl.optional(),
  // Discord's global limit on bot-token requests, shared by every process of the bot (through
  // Redis when REDIS_URL is set). Discord's is 50 per second per bot.
  DISCORD_GLOBAL_RPS: int(1, 1000).default(50),
  // The key that seals job tickets in Redis (default: derived from DISCORD_TOKEN).
  TICKET_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  // The gateway under discord.js's ShardingManager: auto (Discord's recommendation) or a count.
  SHARDS: z.union([z.literal('auto'), int(1, 1000)]).optional(),
  // Jobs one render worker runs at once.
  WORKER_CONCURRENCY: int(1, 16).default(1),
  // How long a worker's lock on a job lasts without renewal: a dead worker's job is taken up after
  // about 1.5x this (the lock lapses, then BullMQ's stalled check, every half of it, finds it).
  WORKER_LOCK_MS: int(2000, 120_000).default(20_000),
  // Days a finished job stays in the bot's history (its story, options and outcome); 0 = for ever.
  HISTORY_RETENTION_DAYS: int(0, 36_500).default(30),
  // /healthz and Prometheus /metrics; unset = off (0 = any free port, for tests).
  METRICS_PORT: int(0, 65535).optional(),
  // The address /healthz and /metrics listen on: loopback by default (they have no authentication).
  METRICS_HOST: z
    .string()
    .regex(/^[0-9a-fA-F.:]+$|^localhost$/, 'must be an IP address (or localhost)')
    .default('127.0.0.1'),
});

type Raw = z.infer<typeof schema>;

/** Every variable the config reads. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);

export interface Config {
  discord: {
    token?: string;
    applicationId?: string;
    devGuildId?: string;
    apiBase?: string;
    /** Bot-token requests per second, all processes together (DISCORD_GLOBAL_RPS, 50). */
    globalRequestsPerSecond: number;
  };
  images: {
    /** Before the start-up check (`check` set) this is 'local', what an unchecked auto means. */
    provider: 'pollinations' | 'local';
    /** Why this provider, for the start-up line ("IMAGE_PROVIDER=local", "POLLINATIONS_API_KEY is set", the check's result). */
    why: string;
    /** IMAGE_PROVIDER=auto without a key: Pollinations' anonymous endpoint is used if it answers this check (settleImageProvider). */
    check?: { timeoutMs: number };
    pollinations: PollinationsOptions;
  };
  voices: {
    /** Before the start-up check (`check` set) this is 'espeak', what an unchecked auto means. */
    provider: 'inworld' | 'edge' | 'espeak';
    /** Why this provider, for the start-up line. */
    why: string;
    /** VOICE_PROVIDER=auto without an Inworld key: Edge is used if it answers this check (settleVoiceProvider). */
    check?: { timeoutMs: number };
    inworld: InworldOptions;
    edge: EdgeOptions;
    espeak: { path?: string; voice: string };
  };
  writer: {
    provider: 'openai' | 'pollinations' | 'local';
    openai: OpenAiWriterOptions;
    /** Pollinations' gateway (`{baseUrl}/v1/chat/completions`), through the same OpenAI-compatible client. */
    pollinations: OpenAiWriterOptions & { baseUrl: string };
  };
  ffmpeg: { ffmpegPath?: string; ffprobePath?: string };
  dataDir: string;
  /** The music bed when a request names none (DEFAULT_MUSIC). */
  defaultMusic: string;
  /** ALLOW_NSFW_IN_AGE_RESTRICTED: a bot job in an age-restricted channel asks Pollinations without safe=true. */
  allowNsfwInAgeRestricted: boolean;
  cacheMaxBytes: number;
  limits: {
    defaultMaxBytes: number;
    jobsPerGuild: number;
    queuePerGuild: number;
    runningJobs: number;
    /** DAILY_STORIES, DAILY_NARRATION_CHARACTERS, DAILY_IMAGES: the fleet's caps per UTC day (0 = none). */
    daily: { stories: number; narrationCharacters: number; images: number };
    renderConcurrency: number;
    /** PROVIDER_MAX_WAIT_MS: the longest one provider is paused for a rate limit. */
    providerMaxWaitMs: number;
    /** JOB_TIMEOUT_MS: every job's deadline for its services; undefined derives it from the story's size. */
    jobTimeoutMs?: number;
  };
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Set: render workers take jobs from Redis (npm run worker); unset: everything in one process.
   *  `ticketKey` seals the tickets there (TICKET_KEY; the bot token when unset): ticketSecret(). */
  redis?: { url: string; ticketKey?: string };
  /** The gateway under discord.js's ShardingManager: 'auto' (Discord's recommendation) or a count. */
  shards?: 'auto' | number;
  /** Jobs one render worker runs at once. */
  workerConcurrency: number;
  /** A worker's lock on a job, renewed at half of it; a dead worker's job is taken up after about 1.5x. */
  workerLockMs: number;
  /** Days a finished job is kept in history (HISTORY_RETENTION_DAYS); 0: for ever. */
  historyRetentionDays: number;
  /** GET /healthz and /metrics (Prometheus) on this port; unset: off. */
  metricsPort?: number;
  /** Where they listen (METRICS_HOST): 127.0.0.1 unless an operator opens them up. */
  metricsHost: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parse and validate; throws ConfigError whose message is one line naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    // An empty value (KEY= in .env) means "not set": the default applies.
    const value = env[key]?.trim();
    if (value) input[key] = value;
  }
  // Two SHARDS share one name: ours (SHARDS=auto|N, how many shards the ShardingManager should
  // run) and discord.js's (in each shard process the manager sets SHARDS to that shard's id, with
  // SHARDING_MANAGER=true). Inside a shard it is discord.js's: not read as ours.
  if (env.SHARDING_MANAGER === 'true') delete input.SHARDS;
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'config');
    throw new ConfigError(`Invalid ${name}: ${issue.message}${describeValue(name, env[name])}`);
  }
  return shape(parsed.data);
}

function describeValue(name: string, value: string | undefined): string {
  // REDIS_URL may carry a password: never echo it.
  if (value === undefined || /TOKEN|KEY|SECRET|REDIS_URL/.test(name)) return '';
  return ` (got "${value.length > 40 ? value.slice(0, 40) + '…' : value}")`;
}

function shape(raw: Raw): Config {
  const mode = raw.POLLINATIONS_MODE ?? (raw.POLLINATIONS_API_KEY ? 'gateway' : 'legacy');
  // auto: a key means Pollinations; without one, the anonymous (legacy) endpoint is used when it
  // answers the start-up check, at POLLINATIONS_BASE_URL when set. (The gateway needs a key: a
  // gateway URL without one is taken as asked, as before.)
  const pollinationsWanted =
    raw.IMAGE_PROVIDER === 'pollinations' ||
    (raw.IMAGE_PROVIDER === 'auto' &&
      (raw.POLLINATIONS_API_KEY !== undefined || (mode === 'gateway' && raw.POLLINATIONS_BASE_URL !== undefined)));
  const imagesChecked = raw.IMAGE_PROVIDER === 'auto' && !pollinationsWanted && mode === 'legacy';
  const imagesWhy =
    raw.IMAGE_PROVIDER !== 'auto'
      ? `IMAGE_PROVIDER=${raw.IMAGE_PROVIDER}`
      : raw.POLLINATIONS_API_KEY !== undefined
        ? 'POLLINATIONS_API_KEY is set'
        : pollinationsWanted
          ? 'POLLINATIONS_BASE_URL is set'
          : imagesChecked
            ? 'the start-up check has not run'
            : 'no POLLINATIONS_API_KEY for the gateway';
  const inworldWanted = raw.VOICE_PROVIDER === 'inworld' || (raw.VOICE_PROVIDER === 'auto' && raw.INWORLD_API_KEY !== undefined);
  const openaiWanted =
    raw.SCENE_WRITER === 'openai' || (raw.SCENE_WRITER === 'auto' && raw.LLM_BASE_URL !== undefined && raw.LLM_API_KEY !== undefined);
  // One Pollinations key writes the scenes too, unless an LLM endpoint of the user's own is set.
  const pollinationsWriterWanted =
    raw.SCENE_WRITER === 'pollinations' ||
    (raw.SCENE_WRITER === 'auto' && raw.POLLINATIONS_API_KEY !== undefined && raw.LLM_BASE_URL === undefined);

  if (raw.VOICE_PROVIDER === 'inworld' && !raw.INWORLD_API_KEY) {
    throw new ConfigError('Invalid INWORLD_API_KEY: required when VOICE_PROVIDER=inworld');
  }
  if (raw.SCENE_WRITER === 'openai' && !raw.LLM_BASE_URL) {
    throw new ConfigError('Invalid LLM_BASE_URL: required when SCENE_WRITER=openai');
  }
  if (raw.SCENE_WRITER === 'pollinations' && !raw.POLLINATIONS_API_KEY) {
    throw new ConfigError('Invalid POLLINATIONS_API_KEY: required when SCENE_WRITER=pollinations');
  }

  return {
    discord: {
      token: raw.DISCORD_TOKEN,
      applicationId: raw.DISCORD_APPLICATION_ID,
      devGuildId: raw.DISCORD_DEV_GUILD_ID,
      apiBase: raw.DISCORD_API_BASE,
      globalRequestsPerSecond: raw.DISCORD_GLOBAL_RPS,
    },
    images: {
      provider: pollinationsWanted ? 'pollinations' : 'local',
      why: imagesWhy,
      check: imagesChecked ? { timeoutMs: raw.IMAGE_CHECK_TIMEOUT_MS } : undefined,
      pollinations: {
        mode,
        baseUrl: raw.POLLINATIONS_BASE_URL ?? (mode === 'gateway' ? 'https://gen.pollinations.ai' : 'https://image.pollinations.ai'),
        apiKey: raw.POLLINATIONS_API_KEY,
        model: raw.POLLINATIONS_MODEL,
        referenceModel: raw.POLLINATIONS_REFERENCE_MODEL,
        // Anonymous use is one request at a time; a key allows more.
        concurrency: raw.POLLINATIONS_CONCURRENCY ?? (raw.POLLINATIONS_API_KEY ? 10 : 1),
        timeoutMs: raw.POLLINATIONS_TIMEOUT_MS,
        nologo: raw.POLLINATIONS_NOLOGO,
        enhance: raw.POLLINATIONS_ENHANCE,
        safe: raw.POLLINATIONS_SAFE,
        private: raw.POLLINATIONS_PRIVATE,
        referrer: raw.POLLINATIONS_REFERRER,
      },
    },
    voices: {
      provider: inworldWanted ? 'inworld' : raw.VOICE_PROVIDER === 'edge' ? 'edge' : 'espeak',
      why: inworldWanted
        ? raw.VOICE_PROVIDER === 'inworld'
          ? 'VOICE_PROVIDER=inworld'
          : 'INWORLD_API_KEY is set'
        : raw.VOICE_PROVIDER === 'edge'
          ? 'VOICE_PROVIDER=edge'
          : raw.VOICE_PROVIDER === 'espeak'
            ? 'VOICE_PROVIDER=espeak'
            : 'the start-up check has not run',
      ...(raw.VOICE_PROVIDER === 'auto' && !inworldWanted ? { check: { timeoutMs: raw.VOICE_CHECK_TIMEOUT_MS } } : {}),
      edge: { baseUrl: raw.EDGE_BASE_URL, voice: raw.EDGE_VOICE, concurrency: raw.EDGE_CONCURRENCY, timeoutMs: raw.EDGE_TIMEOUT_MS },
      inworld: {
        apiKey: raw.INWORLD_API_KEY,
        baseUrl: raw.INWORLD_BASE_URL,
        model: raw.INWORLD_MODEL,
        voice: raw.INWORLD_VOICE,
        concurrency: raw.INWORLD_CONCURRENCY,
        timeoutMs: raw.INWORLD_TIMEOUT_MS,
      },
      espeak: { path: programPath(raw.ESPEAK_PATH), voice: raw.ESPEAK_VOICE },
    },
    writer: {
      provider: openaiWanted ? 'openai' : pollinationsWriterWanted ? 'pollinations' : 'local',
      openai: { baseUrl: raw.LLM_BASE_URL, apiKey: raw.LLM_API_KEY, model: raw.LLM_MODEL, timeoutMs: raw.LLM_TIMEOUT_MS },
      pollinations: {
        // The gateway serves images and text on one host; the legacy image host has no chat endpoint.
        baseUrl: (mode === 'gateway' ? raw.POLLINATIONS_BASE_URL : undefined) ?? 'https://gen.pollinations.ai',
        apiKey: raw.POLLINATIONS_API_KEY,
        model: raw.POLLINATIONS_TEXT_MODEL,
        timeoutMs: raw.LLM_TIMEOUT_MS,
      },
    },
    // Paths are made absolute here, once, against the working directory at start-up: nothing
    // later (ffmpeg reading a list from another folder, a changed cwd) can read them differently.
    ffmpeg: { ffmpegPath: absolute(raw.FFMPEG_PATH), ffprobePath: absolute(raw.FFPROBE_PATH) },
    dataDir: resolve(raw.DATA_DIR),
    defaultMusic: raw.DEFAULT_MUSIC,
    allowNsfwInAgeRestricted: raw.ALLOW_NSFW_IN_AGE_RESTRICTED,
    cacheMaxBytes: raw.CACHE_MAX_MB * 1024 * 1024,
    limits: {
      defaultMaxBytes: raw.DEFAULT_MAX_BYTES,
      jobsPerGuild: raw.MAX_JOBS_PER_GUILD,
      queuePerGuild: raw.MAX_QUEUE_PER_GUILD,
      runningJobs: raw.MAX_RUNNING_JOBS,
      daily: { stories: raw.DAILY_STORIES, narrationCharacters: raw.DAILY_NARRATION_CHARACTERS, images: raw.DAILY_IMAGES },
      renderConcurrency: raw.RENDER_CONCURRENCY,
      providerMaxWaitMs: raw.PROVIDER_MAX_WAIT_MS,
      ...(raw.JOB_TIMEOUT_MS !== undefined ? { jobTimeoutMs: raw.JOB_TIMEOUT_MS } : {}),
    },
    logLevel: raw.LOG_LEVEL,
    ...(raw.REDIS_URL ? { redis: { url: raw.REDIS_URL, ...(raw.TICKET_KEY ? { ticketKey: raw.TICKET_KEY } : {}) } } : {}),
    ...(raw.METRICS_PORT !== undefined ? { metricsPort: raw.METRICS_PORT } : {}),
    shards: raw.SHARDS,
    workerConcurrency: raw.WORKER_CONCURRENCY,
    workerLockMs: raw.WORKER_LOCK_MS,
    historyRetentionDays: raw.HISTORY_RETENTION_DAYS,
    metricsHost: raw.METRICS_HOST,
  };
}

function absolute(path: string | undefined): string | undefined {
  return path === undefined ? undefined : resolve(path);
}

/** A program: a bare name (`espeak-ng`) is looked up on PATH when run; a path is made absolute. */
function programPath(path: string | undefined): string | undefined {
  return path === undefined || isAbsolute(path) || !/[\\/]/.test(path) ? path : resolve(path);
}

/** Every secret value in a config, for scrubbing logs and for tests that scan output. */
/** What seals job tickets in Redis: TICKET_KEY, else the bot token (every process has the same .env). */
export function ticketSecret(config: Config): string | undefined {
  return config.redis?.ticketKey ?? config.discord.token;
}

export function secretsOf(config: Config): string[] {
  return [
    config.discord.token,
    config.images.pollinations.apiKey,
    config.voices.inworld.apiKey,
    config.writer.openai.apiKey,
    config.redis?.ticketKey,
    ...redisPasswords(config),
  ].filter((s): s is string => typeof s === 'string' && s.length >= 4);
}

/** The password inside REDIS_URL, as written (percent-encoded) and decoded: either may reach a log. */
function redisPasswords(config: Config): string[] {
  if (!config.redis) return [];
  const password = new URL(config.redis.url).password;
  if (!password) return [];
  let decoded = password;
  try {
    decoded = decodeURIComponent(password);
  } catch {
    // A stray % (not an escape): the written form is the only form.
  }
  return decoded === password ? [password] : [password, decoded];
}
