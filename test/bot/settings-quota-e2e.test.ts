/**
 * Issue 23's first "done when", end to end in one bot: an admin's `/settings limits member_daily:1`
 * reaches admission, so a member's second /story that day is refused privately with when it resets,
 * and starts nothing (no job row, no image asked for). A member without Manage Server cannot change it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/bot-harness.js';
import { member, privateReply, sendSettings, sendStory } from '../support/settings-slash.js';

const STORY = [
  { name: 'story', type: 3, value: 'A heron waited by the river. At dusk it flew home.' },
  { name: 'scenes', type: 4, value: 1 },
];

describe('/settings limits member_daily:1 over the fake Discord', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("refuses a member's second story of the day, privately, with the reset time", async () => {
    const guildId = h.guilds[0]!.id;
    const byMember = await privateReply(
      h,
      sendSettings(h, 'limits', [{ name: 'member_daily', type: 4, value: 1 }], { user: member }).interactionId,
    );
    expect(byMember).toMatch(/Manage Server/);
    expect(h.bot.history.recent({ guildId, limit: 5 })).toHaveLength(0);
    await privateReply(h, sendSettings(h, 'limits', [{ name: 'member_daily', type: 4, value: 1 }]).interactionId);

    const first = sendStory(h, STORY);
    await h.discord.waitFor(
      () => h.discord.messages(first.token)[0]?.files.some((f) => f.name === 'story.mp4') ?? false,
      120_000,
      'the first video',
    );
    const rows = h.bot.history.recent({ guildId, limit: 5 }).length;
    const imagesBefore = h.images.record.length;
    await h.discord.waitFor(
      () => h.bot.localQueue!.runningCount + h.bot.localQueue!.waitingCount === 0,
      30_000,
      'the first job to leave the queue',
    );

    const second = await privateReply(h, sendStory(h, STORY).interactionId);
    const nextMidnight = Math.floor(Date.now() / 86_400_000 + 1) * 86_400;
    expect(second).toContain(`<t:${nextMidnight}:R>`);
    expect(h.bot.history.recent({ guildId, limit: 5 })).toHaveLength(rows);
    expect(h.images.record.length).toBe(imagesBefore);
  }, 240_000);
});
