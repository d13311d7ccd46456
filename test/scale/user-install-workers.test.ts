/**
 * Worker mode (a gateway and a render worker, real processes, a Redis of the test's own): a /story
 * from a DM (a member's own install) travels to the worker as `user:<id>` with its safe-images
 * flag; the worker edits the reply through the interaction's webhook only and the video arrives
 * there; the bot token never touches the DM (the fake would answer 403/50001).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snowflake } from '../fakes/discord/snowflakes.js';
import { join } from 'node:path';
import { startFleet, waitForOutput, type Fleet } from '../support/fleet.js';
import { JobHistory } from '../../src/store/job-history.js';

let fleet: Fleet;
beforeAll(async () => {
  fleet = await startFleet({ guilds: 1, env: { POLLINATIONS_SAFE: 'false' } });
  const gateway = fleet.gateway();
  await waitForOutput(fleet.discord, gateway, /mode: redis/);
  await waitForOutput(fleet.discord, fleet.worker(), /render worker .* ready/);
}, 120_000);
afterAll(async () => fleet?.close());

/** The member's own jobs, as the gateway recorded them (fleet.jobs() reads the servers' only). */
function ownJobs(userId: string) {
  const history = new JobHistory(join(fleet.dataDir, 'storyreel.sqlite'));
  try {
    return history.recent({ guildId: `user:${userId}`, limit: 10 });
  } finally {
    history.close();
  }
}

describe('worker mode: /story in a DM', () => {
  it('is rendered by a worker and delivered in the original reply, with safe images, never with the bot token', async () => {
    const jo = { id: snowflake(), username: 'jo' };
    const dm = snowflake();
    const { token } = fleet.discord.sendSlash({
      guildId: fleet.guilds[0]!.id,
      channelId: dm,
      context: 1,
      user: jo,
      name: 'story',
      options: [
        { name: 'story', type: 3, value: 'A lamp lit the harbour. The boats came home.' },
        { name: 'scenes', type: 4, value: 1 },
      ],
    });
    await fleet.discord.waitFor(
      () => fleet.discord.messages(token)[0]?.files.some((f) => f.name === 'story.mp4') ?? false,
      180_000,
      'the video',
    );
    await fleet.discord.waitFor(() => ownJobs(jo.id).some((j) => j.status === 'done' && j.channelId === dm), 30_000, 'history done');
    expect(fleet.discord.record.filter((c) => c.route === 'channelMessage')).toEqual([]);
    const images = fleet.images.record.filter((r) => /^\/(image|prompt)\//.test(r.path));
    expect(images.length).toBeGreaterThan(0);
    expect(images.every((r) => r.query.get('safe') === 'true')).toBe(true);
    // The worker rendered it.
    // (Its log line comes through a pipe: it may land after the history row.)
    const worker = fleet.procs.find((p) => p.name.startsWith('worker'))!;
    await fleet.discord.waitFor(() => /job \w+ done/.test(worker.output()), 30_000, "the worker's done line");
  });
});
