/**
 * A real bot (discord.js Client, SQLite file, ffmpeg, the provider clients) started against the
 * fake Discord and the provider fakes, all on loopback. Log lines are captured for secret scans.
 */
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { APIEmbed } from 'discord.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/server.js';
import { snowflake } from '../fakes/discord/snowflakes.js';
import { startFakePollinations } from '../fakes/providers.js';
import { startFakeInworld } from '../fakes/providers.js';
import type { FakeService } from '../fakes/providers.js';
import { fakeConfig, TEST_KEYS } from './provider-config.js';
import { engineFromConfig } from '../../src/engine-from-config.js';
import { resolveFfmpeg } from '../../src/media/binaries.js';
import { startBot, type RunningBot } from '../../src/bot/start-bot.js';
import { registerSecrets, setLogSink } from '../../src/core/log.js';
import { secretsOf } from '../../src/config.js';
import type { GuildLimits } from '../../src/jobs/quota-rules.js';

export interface Harness {
  discord: FakeDiscord;
  images: FakeService;
  voices: FakeService;
  dataDir: string;
  logs: string[];
  /** `ageRestricted`: a second channel marked age-restricted (with HarnessOptions.ageRestricted). */
  guilds: { id: string; channel: string; ageRestricted?: string }[];
  bot: RunningBot;
  startBot(): Promise<RunningBot>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  guilds?: number;
  env?: Record<string, string>;
  editIntervalMs?: number;
  /** A server's own limits sent with each admission (what /settings will supply). */
  guildLimits?: (guildId: string) => GuildLimits | undefined;
  /** Every guild gets an age-restricted channel too (channel.nsfw). */
  ageRestricted?: boolean;
  /** Runs before the first bot starts (fakes up, data folder made): e.g. to put jobs in its history. */
  prepare?: (h: Harness) => void | Promise<void>;
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const guilds = Array.from({ length: opts.guilds ?? 1 }, () => ({
    id: snowflake(),
    channel: snowflake(),
    ...(opts.ageRestricted ? { ageRestricted: snowflake() } : {}),
  }));
  const discord = await startFakeDiscord({
    guilds: guilds.map((g, i) => ({
      id: g.id,
      name: `Guild ${i + 1}`,
      channels: g.ageRestricted ? [g.channel, g.ageRestricted] : [g.channel],
      nsfwChannels: g.ageRestricted ? [g.ageRestricted] : [],
    })),
  });
  const images = await startFakePollinations({ apiKey: TEST_KEYS.pollinations, latencyMs: [50, 200] });
  const voices = await startFakeInworld({ apiKey: TEST_KEYS.inworld, latencyMs: [20, 80] });
  const dataDir = await mkdtemp(join(tmpdir(), 'sr-bot-'));
  const config = fakeConfig(
    { pollinations: images.url, inworld: voices.url },
    { DISCORD_TOKEN: discord.token, DISCORD_API_BASE: discord.apiBase, DATA_DIR: dataDir, ...opts.env },
  );
  registerSecrets(secretsOf(config));
  const logs: string[] = [];
  setLogSink((line) => logs.push(line));
  const ffmpeg = resolveFfmpeg();
  const harness: Harness = {
    discord,
    images,
    voices,
    dataDir,
    logs,
    guilds,
    bot: undefined as unknown as RunningBot,
    async startBot() {
      harness.bot = await startBot({
        config,
        engine: engineFromConfig(config, ffmpeg),
        editIntervalMs: opts.editIntervalMs,
        guildLimits: opts.guildLimits,
      });
      return harness.bot;
    },
    async close() {
      await harness.bot?.stop().catch(() => undefined);
      await Promise.all([discord.close(), images.close(), voices.close()]);
      setLogSink((line) => process.stderr.write(line + '\n'));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  try {
    await opts.prepare?.(harness);
    await harness.startBot();
  } catch (error) {
    await harness.close();
    throw error;
  }
  return harness;
}

/** The last embed the interaction's reply carries (the fake stores the API embeds the bot sent). */
/** How many entries the bot's asset cache holds (images, narration, clips, soundtracks). */
export function cacheEntries(dataDir: string): number {
  const dir = join(dataDir, 'cache');
  let n = 0;
  try {
    for (const sub of readdirSync(dir)) n += readdirSync(join(dir, sub)).filter((f) => /^[0-9a-f]{64}\.bin$/.test(f)).length;
  } catch {
    // not made yet
  }
  return n;
}

export function lastEmbed(h: Harness, token: string): APIEmbed | undefined {
  return h.discord.messages(token)[0]?.embeds.at(-1) as APIEmbed | undefined;
}

export const STORY = 'The fox found a lantern in the snow. It carried the light home.';

/** The harness's SQLite file, where the bot keeps job history. */
export const historyPath = (h: Harness): string => join(h.dataDir, 'storyreel.sqlite');
