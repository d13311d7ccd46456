/**
 * `npm run deploy-commands` as a process (issue 24, item 18): the application id read from the
 * token as `npm start` does, exit 2 with one line for configuration errors (a rejected token, no
 * token), exit 1 with one line when Discord cannot be reached; no raw ECONNREFUSED or 401 stack.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/server.js';

const ROOT = join(import.meta.dirname, '../..');
let discord: FakeDiscord;
beforeAll(async () => {
  discord = await startFakeDiscord();
});
afterAll(async () => discord?.close());

function deploy(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/bot/deploy-commands.ts'], {
    cwd: ROOT,
    env: { ...process.env, DISCORD_APPLICATION_ID: '', DISCORD_DEV_GUILD_ID: '', DISCORD_TOKEN: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c) => (output += c));
  child.stderr!.on('data', (c) => (output += c));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

const closedPort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

describe('npm run deploy-commands', () => {
  it('with only the token: the application id comes from it, the commands are registered, exit 0', async () => {
    const guild = discord.guilds[0]!.id;
    const { code, output } = await deploy({ DISCORD_TOKEN: discord.token, DISCORD_API_BASE: discord.apiBase, DISCORD_DEV_GUILD_ID: guild });
    expect(output).toMatch(/registered \/\w+(, \/\w+)+ in guild/);
    expect(code).toBe(0);
    expect(
      discord.record.some((c) => c.method === 'PUT' && c.path === `/applications/${discord.applicationId}/guilds/${guild}/commands`),
    ).toBe(true);
  }, 60_000);

  it('a token Discord rejects: one line, exit 2', async () => {
    const { code, output } = await deploy({ DISCORD_TOKEN: `${discord.token}x`, DISCORD_API_BASE: discord.apiBase });
    expect(code).toBe(2);
    expect(output).toMatch(/Discord rejected the bot token \(DISCORD_TOKEN\)/);
    expect(output).not.toMatch(/401: Unauthorized|\n\s+at /);
    expect(output).not.toContain(discord.token);
  }, 60_000);

  it('no token: exit 2, the variable named', async () => {
    const { code, output } = await deploy({ DISCORD_API_BASE: discord.apiBase });
    expect(code).toBe(2);
    expect(output).toMatch(/DISCORD_TOKEN is not set/);
  }, 60_000);

  it('Discord out of reach: one line saying so, exit 1', async () => {
    const { code, output } = await deploy({ DISCORD_TOKEN: discord.token, DISCORD_API_BASE: `http://127.0.0.1:${await closedPort()}/api` });
    expect(code).toBe(1);
    expect(output).toMatch(/Cannot reach Discord at http:\/\/127\.0\.0\.1:\d+\/api \(ECONNREFUSED\)/);
    expect(output).not.toMatch(/\n\s+at /);
    expect(output).not.toContain(discord.token);
  }, 60_000);
});
