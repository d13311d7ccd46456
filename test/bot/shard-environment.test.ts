/**
 * `cp .env.example .env` leaves `SHARDS=` empty; discord.js's Client JSON.parses SHARDS whenever it
 * exists. Empty variables are unset, and discord.js's shard variables reach its Client only when
 * its ShardingManager set them for this process.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../../src/bot/create-client.js';
import { dropEmptyVariables } from '../../src/environment.js';
import { loadConfig } from '../../src/config.js';

const NAMES = ['SHARDS', 'SHARD_COUNT', 'SHARDING_MANAGER', 'SHARDING_MANAGER_MODE'];
const saved = Object.fromEntries(NAMES.map((n) => [n, process.env[n]]));
afterEach(() => {
  for (const n of NAMES) {
    if (saved[n] === undefined) delete process.env[n];
    else process.env[n] = saved[n];
  }
});

describe('environment variables discord.js reads itself', () => {
  it('an empty SHARDS (as .env.example has it) does not crash the Client', async () => {
    process.env.SHARDS = '';
    process.env.SHARD_COUNT = '';
    const client = createClient('http://127.0.0.1:9/api');
    expect(client.options.shards).toEqual([0]);
    expect('SHARDS' in process.env).toBe(false);
    await client.destroy();
  });

  it('our own SHARDS=auto (a count for the manager) never reaches a Client made outside a shard', async () => {
    process.env.SHARDS = 'auto';
    const client = createClient('http://127.0.0.1:9/api');
    expect(client.options.shards).toEqual([0]);
    await client.destroy();
  });

  it('inside a shard spawned by the ShardingManager its values are kept: the Client is that shard', async () => {
    Object.assign(process.env, { SHARDING_MANAGER: 'true', SHARDING_MANAGER_MODE: 'process', SHARDS: '1', SHARD_COUNT: '2' });
    const client = createClient('http://127.0.0.1:9/api');
    expect(client.options.shards).toEqual([1]);
    expect(client.options.shardCount).toBe(2);
    await client.destroy();
  });

  it('empty variables are unset: the config sees defaults and nothing empty is left behind', () => {
    const env: NodeJS.ProcessEnv = { SHARDS: '', SHARD_COUNT: ' ', DATA_DIR: '', REDIS_URL: '', LOG_LEVEL: 'warn' };
    dropEmptyVariables(env);
    expect(env).toEqual({ LOG_LEVEL: 'warn' });
    expect(loadConfig(env).shards).toBeUndefined();
  });
});
