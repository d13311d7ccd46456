/**
 * Every shard hears every queue event; only the shard that owns a job's guild pays for it (issue 24,
 * item 10): another shard's job costs no SQLite read, another shard's line moving no Redis call.
 * A real Redis, a real BullMQ worker reporting, a real SQLite history.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'bullmq';
import { Client } from 'discord.js';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snowflake } from '../fakes/discord/snowflakes.js';
import { useRedis, type TestRedis } from '../support/redis-server.js';
import { JobHistory } from '../../src/store/job-history.js';
import { JobBoard } from '../../src/bot/job-board.js';
import { followWorkers } from '../../src/bot/follow-workers.js';
import { shardFor } from '../../src/bot/shard-of.js';
import { BullmqTransport } from '../../src/jobs/bullmq-transport.js';
import { QUEUE_NAME } from '../../src/jobs/redis-jobs.js';
import { createLogger } from '../../src/core/log.js';

let redis: TestRedis;
let peek: Redis;
useRedis((server, client) => {
  redis = server;
  peek = client;
});

let dir: string;
let history: JobHistory;
let transport: BullmqTransport;
let client: Client;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sr-shard-events-'));
  history = new JobHistory(join(dir, 'storyreel.sqlite'));
  client = new Client({ intents: [] });
});
afterAll(async () => {
  await transport?.close();
  await client.destroy();
  history.close();
  await rm(dir, { recursive: true, force: true });
});

/** A guild id Discord puts on `shard` of 2. */
function guildOn(shard: number): string {
  for (;;) {
    const id = snowflake();
    if (shardFor(id, 2) === shard) return id;
  }
}

describe('a shard and the queue events of other shards', () => {
  it('reads history only for its own guilds’ jobs, and asks Redis for the places of its own guilds only', async () => {
    const log = createLogger('test');
    const owns = (guildId: string) => shardFor(guildId, 2) === 0;
    const [mine, theirs] = [guildOn(0), guildOn(1)];
    const job = (guildId: string) =>
      history.create({
        kind: 'story',
        guildId,
        channelId: snowflake(),
        userId: snowflake(),
        story: 'A lamp glowed. The moth came.',
        options: { aspect: '9:16', scenes: 1, maxBytes: 10 * 1024 * 1024, seed: 1 },
      });
    const [ours, other] = [job(mine), job(theirs)];

    transport = await BullmqTransport.connect({
      url: redis.url,
      limits: { perGuildRunning: 1, perGuildWaiting: 5, globalRunning: 5 },
      ticketSecret: 'a test secret',
      log,
      owns,
    });
    const reads: string[] = [];
    const get = history.get.bind(history);
    history.get = (id: string) => {
      reads.push(id);
      return get(id);
    };
    const asked: string[] = [];
    const positionsIn = transport.jobs.admission.positionsIn.bind(transport.jobs.admission);
    transport.jobs.admission.positionsIn = (guildId: string) => {
      asked.push(guildId);
      return positionsIn(guildId);
    };
    followWorkers(transport, { history, board: new JobBoard({ client, applicationId: snowflake(), history, log }), log, owns });

    // A render worker reports both jobs running.
    const reported = new Set<string>();
    transport.on('report', (id) => reported.add(id));
    const worker = new Worker(
      QUEUE_NAME,
      async (j) => {
        await j.updateProgress({ type: 'running', startedAt: Date.now() });
        return {};
      },
      { connection: { host: '127.0.0.1', port: redis.port, maxRetriesPerRequest: null }, prefix: 'sr' },
    );
    try {
      for (const id of [other.id, ours.id]) await transport.jobs.queue.add('story', { ticket: 'x' }, { jobId: id });
      while (reported.size < 2) await new Promise((r) => setTimeout(r, 50));
    } finally {
      await worker.close();
    }
    expect(history.get(ours.id)?.status).toBe('running');
    expect(reads).not.toContain(other.id);
    expect(get(other.id)?.status).toBe('queued');

    // Both guilds' lines move: only this shard's guild is asked about.
    const moved: string[] = [];
    transport.on('positions', (guildId) => moved.push(guildId));
    await peek.publish('sr:positions', theirs);
    await peek.publish('sr:positions', mine);
    while (!moved.includes(mine)) await new Promise((r) => setTimeout(r, 20));
    expect(asked).toEqual([mine]);
    expect(moved).toEqual([mine]);
  }, 60_000);
});
