/**
 * The real `npm start` entry point in its own process, against the fake Discord: killed with
 * SIGKILL in the middle of a job (nothing gets to clean up), or stopped with SIGTERM; the next
 * start resumes the job and finishes it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/server.js';
import { snowflake } from '../fakes/discord/snowflakes.js';
import { startFakePollinations } from '../fakes/providers.js';
import { startFakeInworld } from '../fakes/providers.js';
import type { FakeService } from '../fakes/providers.js';
import { TEST_KEYS } from '../support/provider-config.js';
import { JobHistory } from '../../src/store/job-history.js';

const ROOT = join(import.meta.dirname, '../..');
let discord: FakeDiscord;
let images: FakeService;
let voices: FakeService;
let dataDir: string;
const children: ChildProcess[] = [];
const guild = { id: snowflake(), channel: snowflake() };

afterEach(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  await Promise.all([discord?.close(), images?.close(), voices?.close()]);
  await rm(dataDir, { recursive: true, force: true });
});

async function setup() {
  discord = await startFakeDiscord({ guilds: [{ id: guild.id, name: 'G', channels: [guild.channel] }] });
  images = await startFakePollinations({ apiKey: TEST_KEYS.pollinations, latencyMs: 2500 });
  voices = await startFakeInworld({ apiKey: TEST_KEYS.inworld });
  dataDir = await mkdtemp(join(tmpdir(), 'sr-proc-'));
}

function startBotProcess(): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/bot/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DISCORD_TOKEN: discord.token,
      DISCORD_API_BASE: discord.apiBase,
      DATA_DIR: dataDir,
      POLLINATIONS_BASE_URL: images.url,
      POLLINATIONS_API_KEY: TEST_KEYS.pollinations,
      INWORLD_BASE_URL: voices.url,
      INWORLD_API_KEY: TEST_KEYS.inworld,
      SCENE_WRITER: 'local',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (c) => (output += c));
  child.stderr!.on('data', (c) => (output += c));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, output: () => output, exited };
}

const workEntries = (): string[] => {
  try {
    return readdirSync(join(dataDir, 'work'));
  } catch {
    return []; // not made yet by the starting process
  }
};

const lastJob = () => {
  const h = new JobHistory(join(dataDir, 'storyreel.sqlite'));
  try {
    return h.recent({ guildId: guild.id, limit: 1 })[0];
  } finally {
    h.close();
  }
};

async function runningJob(bot: ReturnType<typeof startBotProcess>) {
  await discord.waitFor(() => discord.gateway.connectedClients() > 0, 30_000);
  discord.sendSlash({
    guildId: guild.id,
    channelId: guild.channel,
    user: { id: snowflake(), username: 'k' },
    name: 'story',
    options: [
      { name: 'story', type: 3, value: 'The fox ran. The moon rose.' },
      { name: 'scenes', type: 4, value: 2 },
    ],
  });
  await discord.waitFor(() => lastJob()?.status === 'running', 30_000);
  return bot;
}

describe('the bot process across restarts', () => {
  it('SIGKILL mid-job: the next start resumes it from history and posts the video', async () => {
    await setup();
    const first = await runningJob(startBotProcess());
    // "running" is written before the render makes its scratch folder: kill only once the
    // render is under way (scratch on disk, images asked for), so the restart has real debris.
    await discord.waitFor(() => workEntries().length > 0 && images.inFlight() > 0, 30_000);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(lastJob()).toMatchObject({ status: 'running', attempts: 0 });
    expect(workEntries().length).toBeGreaterThan(0); // the killed render's scratch

    images.options.latencyMs = 100;
    const second = startBotProcess();
    await discord.waitFor(() => lastJob()?.status === 'done', 90_000);
    expect(lastJob()!.attempts).toBe(1);
    // Delivered in the original reply, edited with the bot token (no token survives a restart).
    expect(discord.message(lastJob()!.messageIds.original!)?.files[0]?.name).toBe('story.mp4');
    expect(second.output()).toMatch(/resumed 1 unfinished job/);
    expect(second.output()).not.toContain(discord.token);
    expect(workEntries()).toEqual([]); // cleared at start, and each render removed its own
  });

  it('SIGTERM mid-job: the process says the job will resume, exits 0, and leaves it to the next start', async () => {
    await setup();
    const bot = await runningJob(startBotProcess());
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    // Checkpointed: back in line for the next start, and not counted as a resume.
    expect(lastJob()).toMatchObject({ status: 'queued', attempts: 0 });
    const original = discord.record.filter((r) => r.route === 'edit').at(-1);
    expect(JSON.stringify(original?.json)).toMatch(/will resume/);
    expect(bot.output()).toMatch(/SIGTERM: no new jobs/);
  });
});
