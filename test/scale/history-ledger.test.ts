/**
 * The gateway learns how a job ended from the delivery ledger, not only from queue events: a job
 * whose worker wrote its end to the ledger but whose BullMQ completion never came (a copy finishing
 * after a Redis outage finds its lock gone) is recorded done, and /history says so.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { snowflake } from '../fakes/discord/snowflakes.js';
import { startFleet, slashStory, waitForOutput, type Fleet } from '../support/fleet.js';

let fleet: Fleet | undefined;
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && process.env.DEBUG_FLEET)
    for (const p of fleet?.procs ?? []) console.log(`--- ${p.name}\n${p.output()}`);
  await fleet?.close();
  fleet = undefined;
});

describe('history in worker mode', () => {
  it('a job delivered without a queue event (only in the delivery ledger) is recorded done; /history shows it', async () => {
    const f = (fleet = await startFleet({ guilds: 1 }));
    await waitForOutput(f.discord, f.gateway(), /mode: redis/);
    const g = f.guilds[0]!;
    const user = { id: snowflake(), username: 'l' };
    // No worker runs: the job waits on the queue, and no queue event will ever say it ended.
    slashStory(f, g, user, 'A lamp glowed. The moth came.');
    await f.discord.waitFor(() => f.jobs()[0]?.status === 'queued', 30_000, 'the job queued');
    const id = f.jobs()[0]!.id;
    // What a worker writes once the video is in the message (redis-jobs.ts markDelivered).
    const end = {
      status: 'done',
      result: {
        durationSeconds: 4.2,
        width: 720,
        height: 1280,
        sizeBytes: 1_000_000,
        scenes: 1,
        fallbackScenes: [],
        providers: { image: 'pollinations', voice: 'inworld', writer: 'local' },
      },
    };
    await f.peek().set(`sr:delivered:${id}`, JSON.stringify(end), 'EX', 3600);
    await f.discord.waitFor(() => f.jobs()[0]?.status === 'done', 30_000, 'history to say done');

    const { interactionId } = f.discord.sendSlash({ guildId: g.id, channelId: g.channel, user, name: 'history' });
    await f.discord.waitFor(() => f.discord.callbacks(interactionId).length > 0, 15_000, 'the /history reply');
    const reply = f.discord.callbacks(interactionId)[0] as { data: { content: string } };
    expect(reply.data.content).toMatch(/^✅ /);
  }, 120_000);
});
