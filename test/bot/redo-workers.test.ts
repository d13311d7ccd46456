/**
 * Redo a scene in worker mode: the gateway (`npm start` with REDIS_URL) admits the redo, a render
 * worker (`npm run worker`) runs it from its ticket (script and seeds travel in it), and the video
 * is replaced in the same message. Every part is a real process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snowflake } from '../fakes/discord/snowflakes.js';
import { startFleet, slashStory, waitForOutput, type Fleet } from '../support/fleet.js';

let fleet: Fleet;
beforeAll(async () => {
  fleet = await startFleet({ guilds: 1 });
  await waitForOutput(fleet.discord, fleet.gateway(), /mode: redis/);
  await waitForOutput(fleet.discord, fleet.worker(), /render worker .* ready/);
}, 120_000);
afterAll(async () => fleet?.close());

describe('Redo a scene… with render workers', () => {
  it('runs on a worker and replaces the video in the same message, with one new image', async () => {
    const guild = fleet.guilds[0]!;
    const alice = { id: snowflake(), username: 'alice' };
    const { token } = slashStory(fleet, guild, alice, 'The heron crossed the bay. The tide came in. The moon rose over the water.', 3);
    await fleet.discord.waitFor(() => fleet.jobs()[0]?.status === 'done', 120_000, 'the story done');
    const parent = fleet.jobs()[0]!;
    const message = fleet.discord.messages(token)[0]!;
    const before = Buffer.from(message.files[0]!.bytes);
    const imagesBefore = fleet.images.record.length;

    const pick = fleet.discord.sendSelect({
      guildId: guild.id,
      channelId: guild.channel,
      user: alice,
      customId: `sr:redo:${parent.id}`,
      values: ['2'],
      messageId: message.id,
    });
    await fleet.discord.waitFor(() => fleet.jobs().some((j) => j.kind === 'redo' && j.status === 'done'), 120_000, 'the redo done');
    expect(fleet.discord.callbacks(pick.interactionId)[0]).toMatchObject({ type: 6 });
    const redo = fleet.jobs().find((j) => j.kind === 'redo')!;
    expect(redo).toMatchObject({ parentJobId: parent.id, redoScene: 2 });
    expect(fleet.images.record.length - imagesBefore).toBe(1);
    const after = fleet.discord.message(message.id)!;
    expect(after.files.map((f) => f.name)).toEqual(['story.mp4']);
    // A new upload through the menu's interaction (the image fake paints the same picture for every
    // seed, so the bytes may even match: the engine test compares frames with seed-dependent cards).
    expect(
      fleet.discord.record.filter((r) => r.token === pick.token && r.status === 200 && r.files.some((f) => f.name === 'story.mp4')),
    ).toHaveLength(1);
    expect(after.files[0]!.bytes.length).toBeGreaterThan(0);
    expect(before.length).toBeGreaterThan(0);
    expect(JSON.stringify(after.components)).toContain(`sr:redo:${redo.id}`);
  }, 300_000);
});
