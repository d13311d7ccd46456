/**
 * Bad days in worker mode, every part a real process: a render worker killed with SIGKILL in the
 * middle of a job (the other worker takes it up once its lock lapses, and the video is delivered
 * once, with one history row), and Redis stopped mid-run (new stories refused privately, nothing
 * crashes; once Redis is back, the waiting job goes on).
 */
import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { QUEUE_NAME } from '../../src/jobs/redis-jobs.js';
import { snowflake } from '../fakes/discord/snowflakes.js';
import { startFleet, slashStory, waitForOutput, type Fleet, type Proc } from '../support/fleet.js';

let fleet: Fleet | undefined;
afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
});

const uploads = (f: Fleet, token: string) => {
  const reply = f.discord.messages(token)[0];
  return f.discord.record.filter(
    (r) =>
      r.status === 200 &&
      r.files.some((x) => x.name === 'story.mp4') &&
      (r.token === token || (reply && r.path.endsWith(`/messages/${reply.id}`))),
  ).length;
};

/** A wait bounded only by the test's own timeout (vitest's), not by a budget sized for an idle machine. */
const UNTIL_TEST_TIMEOUT = 600_000;
const ended = (gateway: Proc) => gateway.output().match(/job \w+ ended: done/g)?.length ?? 0;

describe('worker mode on bad days', () => {
  it('a worker killed mid-render: the other worker finishes the job; one delivery, one history row', async () => {
    const f = (fleet = await startFleet({ guilds: 1, imageLatencyMs: 2500 }));
    const gateway = f.gateway();
    await waitForOutput(f.discord, gateway, /mode: redis/);
    // Both workers up before the story (a worker started mid-render may come up only after it ended
    // on a loaded machine): whichever takes the job is killed once images are being asked for.
    const workers = [f.worker(), f.worker()];
    for (const w of workers) await waitForOutput(f.discord, w, /render worker .* ready/);
    const g = f.guilds[0]!;
    const { token } = slashStory(f, g, { id: snowflake(), username: 'k' }, 'The fox ran. The moon rose. The snow fell.', 3);
    await f.discord.waitFor(
      () => workers.some((w) => /: rendering/.test(w.output())) && f.images.inFlight() > 0,
      60_000,
      'the render under way',
    );
    const a = workers.find((w) => /: rendering/.test(w.output()))!;
    const b = workers.find((w) => w !== a)!;
    a.child.kill('SIGKILL');
    await a.exited;
    f.images.options.latencyMs = 100;
    await f.discord.waitFor(() => uploads(f, token) > 0, 120_000, 'the video from the other worker');
    // The gateway says when it records an end: wait for that (bounded by the test's own timeout only).
    await waitForOutput(f.discord, gateway, /job \w+ ended: done/, UNTIL_TEST_TIMEOUT);
    expect(f.jobs()[0]?.status).toBe('done');
    expect(uploads(f, token)).toBe(1);
    expect(f.jobs()).toHaveLength(1);
    expect(b.output()).toMatch(/job \w+ done/);
    // A late duplicate could only come from another run of the job: wait until BullMQ has it
    // completed (it never runs a completed job again) and nothing of the queue is active, then count.
    const jobId = f.jobs()[0]!.id;
    const queue = new Queue(QUEUE_NAME, { connection: f.peek(), prefix: 'sr' });
    try {
      while ((await queue.getJobState(jobId)) !== 'completed' || (await queue.getActiveCount()) > 0)
        await new Promise((r) => setTimeout(r, 100));
    } finally {
      await queue.close();
    }
    expect(uploads(f, token)).toBe(1);
  }, 240_000);

  it('Redis stopped mid-run: a clear private refusal, no crash; back again, the waiting job goes on', async () => {
    const f = (fleet = await startFleet({ guilds: 1, imageLatencyMs: 1500 }));
    const gateway = f.gateway();
    await waitForOutput(f.discord, gateway, /mode: redis/);
    const worker = f.worker();
    await waitForOutput(f.discord, worker, /render worker .* ready/);
    const g = f.guilds[0]!;
    const first = slashStory(f, g, { id: snowflake(), username: 'a' }, 'A bell rang. The town woke.', 2);
    const second = slashStory(f, g, { id: snowflake(), username: 'b' }, 'A door opened. The cat came in.', 1);
    await f.discord.waitFor(
      () => f.jobs().length === 2 && f.jobs().some((j) => j.status === 'running'),
      60_000,
      'one running, one waiting',
    );

    await f.redis.kill();
    await waitForOutput(f.discord, gateway, /lost Redis/, 20_000);
    const refused = slashStory(f, g, { id: snowflake(), username: 'c' }, 'A ship sailed. The gulls cried.');
    await f.discord.waitFor(() => f.discord.callbacks(refused.interactionId).length > 0, 15_000, 'the refusal');
    const cb = f.discord.callbacks(refused.interactionId)[0] as { type: number; data: { content: string; flags: number } };
    expect(cb.type).toBe(4);
    expect(cb.data.flags & 64).toBe(64);
    expect(cb.data.content).toMatch(/story queue cannot be reached/);
    expect(gateway.child.exitCode).toBeNull();
    expect(worker.child.exitCode).toBeNull();

    await f.redis.restart();
    f.images.options.latencyMs = 100;
    await f.discord.waitFor(
      () => uploads(f, first.token) > 0 && uploads(f, second.token) > 0,
      180_000,
      'both videos after Redis came back',
    );
    expect(uploads(f, first.token)).toBe(1);
    expect(uploads(f, second.token)).toBe(1);
    await f.discord.waitFor(() => ended(gateway) === 2, UNTIL_TEST_TIMEOUT, 'the gateway to record both ends');
    expect(f.jobs().map((j) => j.status)).toEqual(['done', 'done']);
    expect(worker.output()).toMatch(/lost Redis: not taking jobs/);
  }, 300_000);
});
