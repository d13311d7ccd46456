/**
 * The README's own path, as a new user follows it (issue 19, item 5): a fresh clone of this
 * checkout, `cp .env.example .env`, only the README's bot values filled in (DISCORD_TOKEN,
 * DISCORD_APPLICATION_ID, DISCORD_DEV_GUILD_ID), defaults for everything else (the relative
 * DATA_DIR=./data included), `npm run build`, `npm run deploy-commands`, `npm start`, /story over
 * the fake Discord and a video back; then the worker mode's README commands (`REDIS_URL=… npm
 * start` and `REDIS_URL=… npm run worker`) against a redis-server of the test's own.
 *
 * Two settings a user would not write: DISCORD_API_BASE (documented "testing only") points at the
 * fake Discord, and IMAGE_PROVIDER=local (the README's way to never go online) keeps the start-up
 * image check off the internet. No provider key is set, so every provider is the offline one.
 *
 * node_modules is not installed again (npm ci takes minutes): the clone gets a symlink to this
 * checkout's. The clone is of HEAD (committed code); README_PATH_REF=<commit> clones another.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/server.js';
import { snowflake } from '../fakes/discord/snowflakes.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';
import { CONFIG_VARIABLES } from '../../src/config.js';

const ROOT = join(import.meta.dirname, '../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

let dir: string;
let clone: string;
let discord: FakeDiscord;
let redis: TestRedis | undefined;
interface Started {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}
const started: Started[] = [];

/** The environment of a new user's shell: none of storyreel's variables (the .env file has them). */
function shellEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of [...CONFIG_VARIABLES, 'SHARD_COUNT', 'SHARDING_MANAGER', 'SHARDING_MANAGER_MODE']) delete env[name];
  return { ...env, ...extra };
}

/** Runs an npm script to its end, asynchronously: the fake Discord answers from this very process. */
async function run(args: string[], extra?: Record<string, string>): Promise<{ status: number | null; output: string }> {
  const p = start(args, extra);
  const status = await p.exited;
  return { status, output: p.output() };
}

function start(args: string[], extra?: Record<string, string>): Started {
  const child = spawn(npm, args, { cwd: clone, env: shellEnv(extra), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout!.on('data', (c) => (output += c));
  child.stderr!.on('data', (c) => (output += c));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const p = { child, output: () => output, exited };
  started.push(p);
  return p;
}

async function printed(p: Started, pattern: RegExp, what: string): Promise<void> {
  await discord.waitFor(() => pattern.test(p.output()) || p.child.exitCode !== null, 120_000, what);
  if (!pattern.test(p.output())) throw new Error(`${what}: it exited (${p.child.exitCode}) first:\n${p.output()}`);
}

/** npm starts node as its child: stop the whole group, as Ctrl-C in a terminal would, and wait until every process of it is gone. */
async function stop(p: Started, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  const group = p.child.pid;
  if (!group) return;
  if (p.child.exitCode === null) process.kill(-group, signal);
  await p.exited;
  for (;;) {
    try {
      process.kill(-group, 0);
    } catch {
      return; // ESRCH: the group is empty
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function storyComesBack(): Promise<void> {
  const guild = discord.guilds[0]!;
  const { token } = discord.sendSlash({
    guildId: guild.id,
    channelId: guild.channels[0]!,
    user: { id: snowflake(), username: 'newcomer' },
    name: 'story',
    options: [{ name: 'story', type: 3, value: 'A girl found a kite. The wind carried it over the hills.' }],
  });
  const reply = () => discord.messages(token)[0];
  await discord.waitFor(
    () => (reply()?.files.some((f) => f.name === 'story.mp4') ?? false) || /could not be made/.test(JSON.stringify(reply()?.embeds ?? [])),
    240_000,
    'the video (or a failure) in the reply',
  );
  expect(JSON.stringify(reply()?.embeds ?? [])).not.toMatch(/could not be made/);
  expect(reply()!.files.map((f) => f.name)).toContain('story.mp4');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sr-readme-'));
  clone = join(dir, 'storyreel');
  const cloned = spawnSync('git', ['clone', '--quiet', ROOT, clone], { encoding: 'utf8' });
  if (cloned.status !== 0) throw new Error(`git clone failed: ${cloned.stderr}`);
  const ref = process.env.README_PATH_REF;
  if (ref) spawnSync('git', ['-C', clone, 'checkout', '--quiet', ref], { encoding: 'utf8' });
  await symlink(join(ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir');
  discord = await startFakeDiscord({ guilds: [{ id: snowflake(), name: 'Newcomer Guild', channels: [snowflake()] }] });

  // README, "Put it in a server", step 2: copy .env.example to .env and fill in the bot values.
  await copyFile(join(clone, '.env.example'), join(clone, '.env'));
  const filled = (await readFile(join(clone, '.env'), 'utf8'))
    .replace(/^DISCORD_TOKEN=.*$/m, `DISCORD_TOKEN=${discord.token}`)
    .replace(/^DISCORD_APPLICATION_ID=.*$/m, `DISCORD_APPLICATION_ID=${discord.applicationId}`)
    .replace(/^DISCORD_DEV_GUILD_ID=.*$/m, `DISCORD_DEV_GUILD_ID=${discord.guilds[0]!.id}`)
    .replace(/^DISCORD_API_BASE=.*$/m, `DISCORD_API_BASE=${discord.apiBase}`)
    .replace(/^IMAGE_PROVIDER=.*$/m, 'IMAGE_PROVIDER=local');
  await writeFile(join(clone, '.env'), filled);
  // Step 4: build, then register the commands.
  const build = await run(['run', 'build']);
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.output}`);
}, 400_000);

afterAll(async () => {
  for (const p of started) await stop(p, 'SIGKILL').catch(() => undefined);
  await discord?.close();
  await redis?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the README, word for word', () => {
  it('npm run deploy-commands, npm start, /story: a video comes back (one process, DATA_DIR=./data)', async () => {
    const deploy = await run(['run', 'deploy-commands']);
    expect(deploy.status, deploy.output).toBe(0);
    expect(discord.commands.map((c) => c.scope)).toContain(discord.guilds[0]!.id);
    const bot = start(['start']);
    try {
      await printed(bot, /logged in as .*mode: in-process/, 'npm start to log in');
      await storyComesBack();
    } finally {
      await stop(bot);
    }
  }, 400_000);

  it('worker mode: REDIS_URL=… npm start and REDIS_URL=… npm run worker; a video comes back', async () => {
    redis = await startRedis();
    const gateway = start(['start'], { REDIS_URL: redis.url });
    const worker = start(['run', 'worker'], { REDIS_URL: redis.url });
    try {
      await printed(gateway, /mode: redis/, 'the gateway to log in');
      await printed(worker, /render worker .* ready/, 'the worker to be ready');
      await storyComesBack();
    } finally {
      await stop(gateway);
      await stop(worker);
    }
  }, 400_000);
});
