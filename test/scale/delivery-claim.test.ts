/**
 * A slow upload is delivered once (issue 24, item 9): the run that claimed delivery keeps its claim
 * alive while it uploads, so a second run of the same job (BullMQ delivers at least once) waits
 * for it and finds the video delivered, however long the upload takes past the claim's life.
 * A real Redis, the real discord.js REST client, the fake Discord answering the upload slowly.
 */
import { REST, Routes } from 'discord.js';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/server.js';
import { useRedis, type TestRedis } from '../support/redis-server.js';
import { RedisJobs } from '../../src/jobs/redis-jobs.js';
import { newJobId } from '../../src/core/job-id.js';

/** The claim lasts 1 s here (60 s in production); the upload takes 4 s. */
const CLAIM_MS = 1000;
const UPLOAD_MS = 4000;

let server: TestRedis;
let peek: Redis;
useRedis((s, client) => {
  server = s;
  peek = client;
});
let discord: FakeDiscord;
let jobs: RedisJobs;
beforeAll(async () => {
  discord = await startFakeDiscord();
  jobs = new RedisJobs(new Redis(server.url), {
    url: server.url,
    limits: { perGuildRunning: 1, perGuildWaiting: 1, globalRunning: 1 },
    secret: 'a test secret',
    deliveryClaimMs: CLAIM_MS,
  });
});
afterAll(async () => {
  await jobs?.close();
  await discord?.close();
});

describe('the delivery claim during a slow upload', () => {
  it('is kept by the uploading run: the second run finds the video delivered, one upload in all', async () => {
    const id = newJobId();
    const channel = discord.guilds[0]!.channels[0]!;
    const rest = new REST({ api: discord.apiBase }).setToken(discord.token);
    const video = Buffer.alloc(64 * 1024, 7);
    const run = async (runToken: string) => {
      const claim = await jobs.claimDelivery(id, { runToken });
      if (!claim.ok) return claim;
      await rest.post(Routes.channelMessages(channel), { files: [{ name: 'story.mp4', data: video }], body: { content: '' } });
      await jobs.markDelivered(id, { status: 'done' });
      return claim;
    };

    discord.delayNext('channelMessage', UPLOAD_MS);
    const first = run('first');
    while ((await peek.get(`sr:delivering:${id}`)) !== 'first') await new Promise((r) => setTimeout(r, 20));
    // A second copy of the job, rendered again, wants to deliver while the first still uploads.
    const second = run('second');
    expect(await first).toEqual({ ok: true });
    expect(await second).toEqual({ ok: false, previous: { status: 'done' } });
    const uploads = discord.record.filter((r) => r.route === 'channelMessage' && r.files.some((f) => f.name === 'story.mp4'));
    expect(uploads).toHaveLength(1);
    expect(await peek.exists(`sr:delivering:${id}`)).toBe(0);
  }, 60_000);

  it('lapses when its run stops renewing (let go, or died): another run may deliver', async () => {
    const id = newJobId();
    expect(await jobs.claimDelivery(id, { runToken: 'a' })).toEqual({ ok: true });
    await jobs.dropClaim(id, 'a');
    expect(await jobs.claimDelivery(id, { runToken: 'b' })).toEqual({ ok: true });
    await jobs.markDelivered(id, { status: 'done' });
  }, 30_000);
});
