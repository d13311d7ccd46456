/**
 * The sweeper (src/jobs/sweep-running.ts) against a real Redis and BullMQ: a job Redis counts as
 * running for over a minute that BullMQ never got is queued when its ticket is there, or freed
 * (and reported lost) when it is not; a job that finished on the queue frees its place.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startRedis, type TestRedis } from '../support/redis-server.js';
import { QUEUE_NAME, RedisJobs } from '../../src/jobs/redis-jobs.js';
import { Worker } from 'bullmq';
import { sweepRunning } from '../../src/jobs/sweep-running.js';
import { createLogger } from '../../src/core/log.js';
import type { JobTicket } from '../../src/jobs/job-ticket.js';

let redis: TestRedis;
let jobs: RedisJobs;
beforeAll(async () => {
  redis = await startRedis();
  jobs = new RedisJobs(new Redis(redis.url, { maxRetriesPerRequest: null }), {
    url: redis.url,
    limits: { perGuildRunning: 1, perGuildWaiting: 5, globalRunning: 4 },
    secret: 'a-bot-token-for-sealing',
  });
  await jobs.queue.waitUntilReady();
});
afterAll(async () => {
  await jobs?.close();
  await redis?.stop();
});

const ticket = (id: string, guildId: string): JobTicket => ({
  id,
  kind: 'story',
  guildId,
  channelId: '2',
  userId: `${guildId}9`,
  story: 'A fox ran.',
  attempts: 0,
  options: { aspect: '9:16', maxBytes: 10_000_000, seed: 1 },
  message: { applicationId: '3' },
});
const log = createLogger('test');
const inAMinute = () => Date.now() + 61_000;

describe('sweepRunning', () => {
  it('queues a running job BullMQ never got, when its ticket is there', async () => {
    expect(await jobs.admission.admit({ id: 'sweepqueued1', guildId: '11', userId: '119' })).toEqual({ ok: true, position: 0 });
    await jobs.saveTicket(ticket('sweepqueued1', '11'));
    expect(await jobs.queue.getJob('sweepqueued1')).toBeUndefined();
    await sweepRunning(jobs, log, () => undefined, Date.now()); // too soon: left alone
    expect(await jobs.queue.getJob('sweepqueued1')).toBeUndefined();
    await sweepRunning(jobs, log, () => undefined, inAMinute());
    expect(await jobs.queue.getJob('sweepqueued1')).toBeDefined();
    expect((await jobs.admission.get('sweepqueued1'))?.state).toBe('running');
  });

  it('frees the place of a running job whose ticket is gone, and reports it lost', async () => {
    await jobs.admission.admit({ id: 'sweeplost01', guildId: '12', userId: '129' });
    const lost: string[] = [];
    await sweepRunning(jobs, log, (id) => lost.push(id), inAMinute());
    expect(lost).toEqual(['sweeplost01']);
    expect(await jobs.admission.get('sweeplost01')).toBeUndefined();
  });

  it('frees the place of a job that finished on the queue but kept its place (its release was lost)', async () => {
    await jobs.admission.admit({ id: 'sweepdone01', guildId: '13', userId: '139' });
    await jobs.saveTicket(ticket('sweepdone01', '13'));
    // A real BullMQ worker completes the job without releasing its place, as one cut off from Redis at that moment would.
    const worker = new Worker(QUEUE_NAME, async () => ({}), {
      connection: new Redis(redis.url, { maxRetriesPerRequest: null }),
      prefix: 'sr',
    });
    await jobs.enqueue('sweepdone01');
    // Until BullMQ has it completed (bounded by the test's own timeout, not a budget for an idle machine).
    while ((await (await jobs.queue.getJob('sweepdone01'))?.getState()) !== 'completed') await new Promise((r) => setTimeout(r, 50));
    await worker.close();
    expect(await (await jobs.queue.getJob('sweepdone01'))?.getState()).toBe('completed');
    expect((await jobs.admission.get('sweepdone01'))?.state).toBe('running');
    await sweepRunning(jobs, log, () => undefined, inAMinute());
    expect(await jobs.admission.get('sweepdone01')).toBeUndefined();
  });
});
