/**
 * Discord's global limit is the bot's, not a process's (issue 24, item 4): several processes
 * whose REST clients are made as the gateway's and the workers' are, bursting bot-token requests
 * at once against the fake Discord, never make it see more than DISCORD_GLOBAL_RPS in any second
 * (measured on the fake's own arrival times). Without Redis, each process keeps only its own limit
 * and the fake sees several times that. Invalid responses (401/403/429) are counted for all
 * processes together: past the guard, another process's request waits for the window to end.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REST, Routes } from 'discord.js';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/server.js';
import { snowflake } from '../fakes/discord/snowflakes.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';
import { startFleet, waitForOutput } from '../support/fleet.js';
import { limitConnection, sharedRestLimit } from '../../src/jobs/shared-rest-limit.js';

const ROOT = join(import.meta.dirname, '../..');
const LIMIT = 5;
const PROCESSES = 4;
const CHANNELS = Array.from({ length: 6 }, () => snowflake());

let discord: FakeDiscord;
let redis: TestRedis;
beforeAll(async () => {
  discord = await startFakeDiscord({ guilds: [{ id: snowflake(), name: 'G', channels: CHANNELS }] });
  redis = await startRedis();
});
afterAll(async () => {
  await discord?.close();
  await redis?.stop();
});

const botCalls = () => discord.record.filter((r) => !/^\/(interactions|webhooks)\//.test(r.path));

/** The most requests the fake received in any 1000 ms (a window starting at each arrival). */
function busiestSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[j]! <= sorted[i]! - 1000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

/** PROCESSES processes, each bursting every channel at once after all are ready. */
async function burst(env: Record<string, string>): Promise<number[]> {
  const before = botCalls().length;
  const children = Array.from({ length: PROCESSES }, () =>
    spawn(process.execPath, ['--import', 'tsx', 'test/jobs/rest-burst-child.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DISCORD_TOKEN: discord.token,
        DISCORD_API_BASE: discord.apiBase,
        DISCORD_GLOBAL_RPS: String(LIMIT),
        IMAGE_PROVIDER: 'local',
        CHANNELS: CHANNELS.join(','),
        ...env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    }),
  );
  const outputs = children.map((child) => {
    let out = '';
    child.stdout!.on('data', (c) => (out += c));
    child.stderr!.on('data', (c) => (out += c));
    return () => out;
  });
  const exited = children.map((child) => new Promise<number | null>((r) => child.on('exit', (code) => r(code))));
  await discord.waitFor(() => outputs.every((o, i) => /ready/.test(o()) || children[i]!.exitCode !== null), 90_000, 'every process ready');
  for (const child of children) child.stdin!.write('go\n');
  const codes = await Promise.all(exited);
  for (const [i, o] of outputs.entries()) {
    expect(codes[i], o()).toBe(0);
    expect(JSON.parse(o().trim().split('\n').at(-1)!), o()).toEqual({ ok: CHANNELS.length, failed: [] });
  }
  return botCalls()
    .slice(before)
    .map((r) => r.at);
}

describe('one global request limit for every process of the bot', () => {
  it(`${PROCESSES} processes on one Redis: never more than ${LIMIT} bot-token requests in any second at Discord`, async () => {
    const times = await burst({ REDIS_URL: redis.url });
    expect(times).toHaveLength(PROCESSES * (CHANNELS.length + 1));
    expect(busiestSecond(times)).toBeLessThanOrEqual(LIMIT);
  }, 180_000);

  it('without the shared limit (no Redis), each process keeps only its own: the fake sees more', async () => {
    const times = await burst({});
    expect(busiestSecond(times)).toBeGreaterThan(LIMIT);
  }, 180_000);

  it('invalid responses count for all processes: past the guard, another process waits for the window to end', async () => {
    const WINDOW_MS = 5000;
    const connections = [new Redis(redis.url), new Redis(redis.url)];
    try {
      const clients = connections.map((connection) => {
        const limit = sharedRestLimit({ redis: connection, perSecond: 50, prefix: 'inv', invalidGuard: 3, invalidWindowMs: WINDOW_MS });
        return new REST({ api: discord.apiBase, makeRequest: limit.makeRequest, retries: 0 }).setToken(discord.token);
      });
      const [a, b] = clients as [REST, REST];
      // Process A is refused three times (403: Missing Permissions on a channel it may not post in).
      const denied = CHANNELS[0]!;
      discord.denyChannel(denied);
      const start = botCalls().length;
      for (let i = 0; i < 3; i++) await expect(a.post(Routes.channelMessages(denied), { body: { content: 'x' } })).rejects.toThrow();
      const refusals = botCalls()
        .slice(start)
        .filter((r) => r.status === 403);
      expect(refusals).toHaveLength(3);
      // A counts each refusal as it gets it; a command after them on A's connection runs after them.
      await connections[0]!.eval('return 0', 0);
      // Process B's next request waits until the window that began with A's first refusal is over.
      await b.get(Routes.channel(CHANNELS[1]!));
      const sent = botCalls().at(-1)!;
      expect(sent.path).toBe(`/channels/${CHANNELS[1]}`);
      expect(sent.at - refusals[0]!.at).toBeGreaterThanOrEqual(WINDOW_MS);
    } finally {
      for (const c of connections) c.disconnect();
    }
  }, 60_000);

  it("the gateway's own client waits on it: its log-in request is counted in Redis", async () => {
    const fleet = await startFleet({ guilds: 1 });
    try {
      const peek = fleet.peek();
      expect(await peek.exists('sr:rest:global')).toBe(0);
      const gateway = fleet.gateway();
      await waitForOutput(fleet.discord, gateway, /mode: redis/);
      // GET /gateway/bot (bot token) at log-in held a slot; it is kept for a while after its answer.
      expect(await peek.exists('sr:rest:global')).toBe(1);
    } finally {
      await fleet.close();
    }
  }, 120_000);

  it("a Redis that hangs does not hold requests up: they go out under the process's own limit", async () => {
    const hung = await startRedis();
    const connection = limitConnection(hung.url);
    const admin = new Redis(hung.url);
    try {
      const limit = sharedRestLimit({ redis: connection, perSecond: LIMIT });
      const rest = new REST({ api: discord.apiBase, makeRequest: limit.makeRequest }).setToken(discord.token);
      await rest.get(Routes.channel(CHANNELS[2]!)); // connected, counted
      // Redis stops answering anyone's commands for 60 s, as a stuck or overloaded server would.
      await admin.call('CLIENT', 'PAUSE', '60000', 'ALL');
      const pausedAt = Date.now();
      await rest.get(Routes.channel(CHANNELS[3]!));
      const sent = botCalls().at(-1)!;
      expect(sent.path).toBe(`/channels/${CHANNELS[3]}`);
      expect(sent.at - pausedAt).toBeLessThan(60_000);
    } finally {
      connection.disconnect();
      admin.disconnect();
      await hung.stop();
    }
  }, 120_000);
});
