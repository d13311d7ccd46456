/**
 * Worker mode for real: a Redis of its own, the fake Discord and provider fakes on loopback, and the
 * real `npm start` (gateway, optionally sharded) and `npm run worker` entry points as separate
 * processes, started and killed like an operator would. Output of each process is kept for
 * assertions (and secret scans).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/server.js';
import { snowflake } from '../fakes/discord/snowflakes.js';
import { startFakePollinations } from '../fakes/providers.js';
import { startFakeInworld } from '../fakes/providers.js';
import type { FakeService } from '../fakes/providers.js';
import { TEST_KEYS } from './provider-config.js';
import { startRedis, type TestRedis } from './redis-server.js';
import { JobHistory } from '../../src/store/job-history.js';
import type { JobRecord } from '../../src/store/job-record.js';

const ROOT = join(import.meta.dirname, '../..');

export interface Proc {
  name: string;
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

export interface Fleet {
  discord: FakeDiscord;
  images: FakeService;
  voices: FakeService;
  /** Absent when the fleet runs without Redis. */
  redis: TestRedis;
  dataDir: string;
  guilds: { id: string; channel: string }[];
  env: Record<string, string>;
  procs: Proc[];
  gateway(extra?: Record<string, string>): Proc;
  worker(extra?: Record<string, string>): Proc;
  /** A fresh read of history (the gateway process writes it). */
  jobs(): JobRecord[];
  /** A plain Redis connection for the test's own looks. */
  peek(): Redis;
  close(): Promise<void>;
}

export interface FleetOptions {
  guilds?: number;
  shards?: number;
  imageLatencyMs?: number | [number, number];
  voiceLatencyMs?: number | [number, number];
  env?: Record<string, string>;
  /** false: no Redis, the gateway renders in its own process (the default mode). */
  redis?: boolean;
  /** More redis-server arguments (e.g. another maxmemory-policy). */
  redisArgs?: string[];
}

export async function startFleet(opts: FleetOptions = {}): Promise<Fleet> {
  // Guild ids a millisecond apart: (id >> 22) differs, so they spread over shards as Discord's would.
  const base = Date.now();
  const guilds = Array.from({ length: opts.guilds ?? 3 }, (_, i) => ({ id: snowflake(base - i), channel: snowflake() }));
  const discord = await startFakeDiscord({
    guilds: guilds.map((g, i) => ({ id: g.id, name: `Guild ${i + 1}`, channels: [g.channel] })),
    shards: opts.shards,
  });
  const images = await startFakePollinations({ apiKey: TEST_KEYS.pollinations, latencyMs: opts.imageLatencyMs ?? [50, 200] });
  const voices = await startFakeInworld({ apiKey: TEST_KEYS.inworld, latencyMs: opts.voiceLatencyMs ?? [20, 80] });
  const redis = opts.redis === false ? undefined : await startRedis({ persist: true, args: opts.redisArgs });
  const dataDir = await mkdtemp(join(tmpdir(), 'sr-fleet-'));
  const env: Record<string, string> = {
    DISCORD_TOKEN: discord.token,
    DISCORD_API_BASE: discord.apiBase,
    DATA_DIR: dataDir,
    ...(redis ? { REDIS_URL: redis.url } : {}),
    POLLINATIONS_BASE_URL: images.url,
    POLLINATIONS_API_KEY: TEST_KEYS.pollinations,
    INWORLD_BASE_URL: voices.url,
    INWORLD_API_KEY: TEST_KEYS.inworld,
    RENDER_CONCURRENCY: '1',
    // The image fake has no chat route: scenes are cut offline (images and voices go to the fakes).
    SCENE_WRITER: 'local',
    ...opts.env,
  };
  const procs: Proc[] = [];
  const peeks: Redis[] = [];
  const launch = (name: string, entry: string, extra: Record<string, string> = {}): Proc => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry], {
      cwd: ROOT,
      env: { ...process.env, ...env, ...extra },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (c) => (output += c));
    child.stderr!.on('data', (c) => (output += c));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const proc = { name, child, output: () => output, exited };
    procs.push(proc);
    return proc;
  };
  return {
    discord,
    images,
    voices,
    redis: redis as TestRedis,
    dataDir,
    guilds,
    env,
    procs,
    gateway: (extra) => launch('gateway', 'src/bot/main.ts', extra),
    worker: (extra) => launch(`worker-${procs.length}`, 'src/worker/main.ts', extra),
    jobs() {
      const h = new JobHistory(join(dataDir, 'storyreel.sqlite'));
      try {
        return guilds.flatMap((g) => h.recent({ guildId: g.id, limit: 50 }));
      } finally {
        h.close();
      }
    },
    peek() {
      const r = new Redis(redis!.url, { maxRetriesPerRequest: 1 });
      peeks.push(r);
      return r;
    },
    async close() {
      for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
      await Promise.all(procs.map((p) => p.exited));
      for (const r of peeks) r.disconnect();
      await Promise.all([discord.close(), images.close(), voices.close()]);
      await redis?.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Waits until every process's output matches (e.g. a ready line). */
export async function waitForOutput(discord: FakeDiscord, proc: Proc, pattern: RegExp, timeoutMs = 60_000): Promise<void> {
  await discord.waitFor(() => pattern.test(proc.output()) || proc.child.exitCode !== null, timeoutMs, `${proc.name} to print ${pattern}`);
  if (!pattern.test(proc.output()))
    throw new Error(`${proc.name} exited (${proc.child.exitCode}) before printing ${pattern}:\n${proc.output()}`);
}

export const slashStory = (
  fleet: Fleet,
  guild: { id: string; channel: string },
  user: { id: string; username: string },
  story: string,
  scenes = 1,
) =>
  fleet.discord.sendSlash({
    guildId: guild.id,
    channelId: guild.channel,
    user,
    name: 'story',
    options: [
      { name: 'story', type: 3, value: story },
      { name: 'scenes', type: 4, value: scenes },
    ],
  });
