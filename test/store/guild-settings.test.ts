/** Per-server settings in SQLite: defaults when unset, validated writes and reads, kept across connections. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { GuildSettingsError, GuildSettingsStore } from '../../src/store/guild-settings.js';
import { JobHistory } from '../../src/store/job-history.js';

let dir: string;
let path: string;
const opened: { close(): void }[] = [];
const track = <T extends { close(): void }>(x: T) => (opened.push(x), x);
const guild = '111111111111111111';

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sr-settings-'));
  path = join(dir, 'storyreel.sqlite');
});
afterEach(async () => {
  opened.splice(0).forEach((x) => x.close());
  await rm(dir, { recursive: true, force: true });
});

describe('GuildSettingsStore', () => {
  it('gives the defaults to a server that has none, and keeps a change for the next connection', () => {
    const store = track(new GuildSettingsStore(path));
    expect(store.get(guild)).toEqual({ defaults: {}, limits: {}, channels: [], blockedWords: [] });
    store.update(guild, (s) => ({ ...s, defaults: { style: 'noir' }, limits: { maxScenes: 4 }, role: '222', blockedWords: ['dragon'] }));
    store.close();
    const again = track(new GuildSettingsStore(path));
    expect(again.get(guild)).toEqual({
      defaults: { style: 'noir' },
      limits: { maxScenes: 4 },
      channels: [],
      role: '222',
      blockedWords: ['dragon'],
    });
    expect(again.get('333')).toEqual({ defaults: {}, limits: {}, channels: [], blockedWords: [] });
  });

  it('shares the file with the job history (one migration list)', () => {
    track(new JobHistory(path));
    const store = track(new GuildSettingsStore(path));
    store.update(guild, (s) => ({ ...s, channels: ['444'] }));
    expect(store.get(guild).channels).toEqual(['444']);
  });

  it('refuses to save what the schema refuses, and changes nothing', () => {
    const store = track(new GuildSettingsStore(path));
    store.update(guild, (s) => ({ ...s, defaults: { voice: 'warm' } }));
    expect(() => store.update(guild, (s) => ({ ...s, defaults: { style: 'vaporwave' } }))).toThrow(GuildSettingsError);
    expect(() => store.update(guild, (s) => ({ ...s, limits: { maxScenes: 21 } }))).toThrow(/limits.maxScenes/);
    expect(() => store.update(guild, (s) => ({ ...s, channels: ['not-a-channel'] }))).toThrow(/channels/);
    expect(store.get(guild).defaults).toEqual({ voice: 'warm' });
  });

  it('names the server when its row cannot be read; an update starts again from the defaults', () => {
    const store = track(new GuildSettingsStore(path));
    store.update(guild, (s) => s);
    const raw = track(new Database(path));
    raw.prepare('UPDATE guild_settings SET settings = ? WHERE guild_id = ?').run('{"limits":{"maxScenes":"lots"}}', guild);
    expect(() => store.get(guild)).toThrow(new RegExp(`server ${guild} limits.maxScenes`));
    raw.prepare('UPDATE guild_settings SET settings = ? WHERE guild_id = ?').run('{not json', guild);
    expect(() => store.get(guild)).toThrow(/not readable JSON/);
    expect(store.update(guild, (s) => ({ ...s, blockedWords: ['x'] })).blockedWords).toEqual(['x']);
  });
});
