/**
 * `npm start` when it cannot work (issue 12, item 7): one clear line per problem, exit 2 for
 * configuration (a rejected token, no application id), exit 1 when Discord cannot be reached,
 * the providers line before logging in, and nothing written to disk before the configuration
 * proved valid.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/server.js';

const ROOT = join(import.meta.dirname, '../..');
let discord: FakeDiscord;
let root: string;
beforeAll(async () => {
  discord = await startFakeDiscord();
  root = await mkdtemp(join(tmpdir(), 'sr-start-'));
});
afterAll(async () => {
  await discord?.close();
  await rm(root, { recursive: true, force: true });
});

function start(env: Record<string, string>): Promise<{ code: number | null; output: string; dataDir: string }> {
  const dataDir = join(root, `data-${Math.random().toString(36).slice(2)}`);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/bot/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, DISCORD_APPLICATION_ID: '', IMAGE_PROVIDER: 'local', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c) => (output += c));
  child.stderr!.on('data', (c) => (output += c));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output, dataDir })));
}

const closedPort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

describe('npm start that cannot work', () => {
  it('Discord out of reach: one line saying so, exit 1, no data folder', async () => {
    const { code, output, dataDir } = await start({
      DISCORD_TOKEN: discord.token,
      DISCORD_API_BASE: `http://127.0.0.1:${await closedPort()}/api`,
    });
    expect(code).toBe(1);
    expect(output).toMatch(/jobs run in this process; images \w+ \(.*\), voice \w+ \(.*\), writer \w+/);
    expect(output).toMatch(/Cannot reach Discord at http:\/\/127\.0\.0\.1:\d+\/api \(ECONNREFUSED\)/);
    expect(output.indexOf('jobs run')).toBeLessThan(output.indexOf('Cannot reach'));
    expect(output).not.toContain(discord.token);
    expect(existsSync(dataDir)).toBe(false);
  }, 60_000);

  it('a token Discord rejects: exit 2, one line, no data folder', async () => {
    const { code, output, dataDir } = await start({ DISCORD_TOKEN: `${discord.token}x`, DISCORD_API_BASE: discord.apiBase });
    expect(code).toBe(2);
    expect(output).toMatch(/Discord rejected the bot token \(DISCORD_TOKEN\)/);
    expect(output).not.toContain(discord.token);
    expect(existsSync(dataDir)).toBe(false);
  }, 60_000);

  it('no application id (and a token that does not carry one): exit 2, the variable named', async () => {
    const { code, output, dataDir } = await start({ DISCORD_TOKEN: 'not-an-id.abc.def', DISCORD_API_BASE: discord.apiBase });
    expect(code).toBe(2);
    expect(output).toMatch(/DISCORD_APPLICATION_ID is not set/);
    expect(existsSync(dataDir)).toBe(false);
  }, 60_000);
});
