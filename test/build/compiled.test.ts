/**
 * Production runs compiled JavaScript (`npm run build`, then `npm start`): the build of src/ and
 * commands/ is compiled once into a temp folder (beside a copy of package.json and a link to
 * node_modules, as a deployed checkout has them) and its entry points run with plain node, no tsx:
 * the CLI (help, and a one-scene render with the offline providers), the bot (which must find its commands in the compiled commands/ folder), and the bot
 * under the ShardingManager (which must start the compiled main.js for each shard).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFile, mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/server.js';
import { snowflake } from '../fakes/discord/snowflakes.js';

const ROOT = join(import.meta.dirname, '../..');
const guild = { id: snowflake(), channel: snowflake() };
let root: string;
let discord: FakeDiscord;
const children: ChildProcess[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sr-build-'));
  const tsc = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', join(root, 'dist')],
    { encoding: 'utf8' },
  );
  if (tsc.status !== 0) throw new Error(`the build failed: ${tsc.stdout}${tsc.stderr}`);
  await copyFile(join(ROOT, 'package.json'), join(root, 'package.json'));
  await symlink(join(ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  discord = await startFakeDiscord({ guilds: [{ id: guild.id, name: 'G', channels: [guild.channel] }] });
}, 120_000);
afterAll(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  await discord?.close();
  await rm(root, { recursive: true, force: true });
});

/** A compiled entry point under plain node, in the deployed folder, with only the environment given. */
function run(entry: string, args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [join(root, 'dist', entry), ...args], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: root,
      DATA_DIR: join(root, 'data'),
      IMAGE_PROVIDER: 'local',
      VOICE_PROVIDER: 'espeak',
      SCENE_WRITER: 'local',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (c) => (output += c));
  child.stderr!.on('data', (c) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

const botEnv = () => ({ DISCORD_TOKEN: discord.token, DISCORD_API_BASE: discord.apiBase });

/** Sends /history and returns what the bot answered (the caller has no stories yet). */
async function askHistory(): Promise<string> {
  const { interactionId } = discord.sendSlash({
    guildId: guild.id,
    channelId: guild.channel,
    user: { id: snowflake(), username: 'newcomer' },
    name: 'history',
  });
  await discord.waitFor(() => discord.callbacks(interactionId).length > 0, 30_000, 'the /history reply');
  return (discord.callbacks(interactionId)[0] as { data: { content: string } }).data.content;
}

describe('the compiled build', () => {
  it('holds JavaScript only, src/ and commands/ (no tests)', async () => {
    expect((await readdir(join(root, 'dist'))).sort()).toEqual(['commands', 'src']);
    expect((await readdir(join(root, 'dist/commands'))).sort()).toEqual(['history.js', 'settings.js', 'story.js', 'usage.js']);
    // The message files the compiled bot imports (JSON modules) are copied beside it.
    expect((await readdir(join(root, 'dist/src/i18n/locales'))).filter((f) => f.endsWith('.json'))).toHaveLength(13);
  });

  it('the CLI runs with plain node: --help exits 0 with the usage', async () => {
    const cli = run('src/cli/story.js', ['--help']);
    expect(await cli.exited).toBe(0);
    expect(cli.output()).toMatch(/^usage: npm run story/);
  });

  it('the CLI renders a one-scene video with plain node (the paint workers run as compiled .js)', async () => {
    await writeFile(join(root, 'story.txt'), 'The fox found a lantern in the snow. It carried the light home.');
    const cli = run('src/cli/story.js', ['--in', 'story.txt', '--out', 'out.mp4', '--scenes', '1', '--aspect', '1:1', '--json']);
    expect(await cli.exited, cli.output()).toBe(0);
    const result = JSON.parse(cli.output().trim().split('\n').at(-1)!) as { scenes: number; fallbackScenes: number[] };
    expect(result).toMatchObject({ scenes: 1, fallbackScenes: [] });
    // Without a compiled paint-worker.js the cards would still come, painted on the main thread, with this warning.
    expect(cli.output()).not.toMatch(/paint worker could not start/);
    expect((await stat(join(root, 'out.mp4'))).size).toBeGreaterThan(10_000);
  }, 120_000);

  it('the bot runs with plain node, loads its commands from dist/commands, answers one, and stops on SIGTERM', async () => {
    const bot = run('src/bot/main.js', [], botEnv());
    await discord.waitFor(() => discord.gateway.connectedClients() > 0, 60_000, 'the compiled bot on the gateway');
    expect(await askHistory()).toBe('No stories yet: make one with /story.');
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(bot.output()).not.toContain(discord.token);
  }, 90_000);

  it('SHARDS=2: the sharding manager starts the compiled main.js for each shard', async () => {
    const before = discord.gateway.connectedClients();
    const bot = run('src/bot/main.js', [], { ...botEnv(), SHARDS: '2' });
    await discord.waitFor(() => /gateway running as 2 shard/.test(bot.output()), 90_000, 'two compiled shards');
    expect(discord.gateway.connectedClients()).toBe(before + 2);
    expect(await askHistory()).toBe('No stories yet: make one with /story.');
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
  }, 120_000);
});
