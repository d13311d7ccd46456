/**
 * The daily budget in worker mode, every part a real process (`npm start` with REDIS_URL and
 * DAILY_STORIES=1, one `npm run worker`): the first story is delivered, a second member's is
 * refused privately with when the day resets, /usage reads the day from Redis, and the gateway
 * kept no quota count in SQLite.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snowflake } from '../fakes/discord/snowflakes.js';
import { PERMISSIONS } from '../fakes/discord/server.js';
import { startFleet, slashStory, waitForOutput, type Fleet } from '../support/fleet.js';

let fleet: Fleet;
beforeAll(async () => {
  fleet = await startFleet({ guilds: 1, env: { DAILY_STORIES: '1' } });
  const gateway = fleet.gateway();
  await waitForOutput(fleet.discord, gateway, /mode: redis/);
  await waitForOutput(fleet.discord, fleet.worker(), /render worker .* ready/);
}, 120_000);
afterAll(async () => fleet?.close());

type Callback = { type: number; data?: { content?: string; flags?: number; embeds?: { fields?: { name: string; value: string }[] }[] } };
const answer = async (interactionId: string): Promise<Callback> => {
  await fleet.discord.waitFor(() => fleet.discord.callbacks(interactionId).length > 0, 30_000, 'an answer');
  return fleet.discord.callbacks(interactionId)[0] as Callback;
};

describe('worker mode: DAILY_STORIES=1', () => {
  it('one story a day for the whole fleet; /usage from Redis', async () => {
    const g = fleet.guilds[0]!;
    const ann = { id: snowflake(), username: 'ann' };
    const first = slashStory(fleet, g, ann, 'A heron crossed the bay. The tide came in.');
    await fleet.discord.waitFor(() => fleet.jobs()[0]?.status === 'done', 120_000, 'the first story done');

    const refused = await answer(slashStory(fleet, g, { id: snowflake(), username: 'bo' }, 'A gull landed. It ate a fish.').interactionId);
    expect(refused.type).toBe(4);
    expect((refused.data?.flags ?? 0) & 64).toBe(64);
    expect(refused.data?.content).toMatch(/^The bot has made all the stories it can today \(1\); it can make more <t:\d+:R>\.$/);
    expect(fleet.jobs()).toHaveLength(1);

    const usage = await answer(
      fleet.discord.sendSlash({
        guildId: g.id,
        channelId: g.channel,
        user: { id: snowflake(), username: 'mod' },
        name: 'usage',
        memberPermissions: PERMISSIONS.manageGuild,
      }).interactionId,
    );
    const fields = usage.data!.embeds![0]!.fields!;
    expect(fields.find((f) => f.name === 'Stories')?.value).toBe('1');
    expect(fields.find((f) => f.name === 'Top members')?.value).toBe(`1. <@${ann.id}> · 1`);
    expect(fleet.discord.messages(first.token)[0]?.files.some((f) => f.name === 'story.mp4')).toBe(true);

    // The gateways counted in Redis only.
    const db = new Database(join(fleet.dataDir, 'storyreel.sqlite'), { readonly: true });
    try {
      expect(db.prepare('SELECT COUNT(*) AS n FROM quota_ledger').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  }, 180_000);
});
