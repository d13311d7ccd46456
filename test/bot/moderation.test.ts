/**
 * Issue 23, item 3: every image of a bot job is asked for with Pollinations' safe=true, in an
 * age-restricted channel too unless ALLOW_NSFW_IN_AGE_RESTRICTED=true; /history shows a server's
 * admins every job of their server. POLLINATIONS_SAFE=false here, so the flag can only come from
 * the job. Real discord.js over the fake Discord, real SQLite and ffmpeg, the fake Pollinations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snowflake } from '../fakes/discord/snowflakes.js';
import { PERMISSIONS } from '../fakes/discord/server.js';
import type { RecordedRequest } from '../fakes/providers.js';
import { startHarness, STORY, type Harness } from '../support/bot-harness.js';

const gale = { id: snowflake(), username: 'gale' };
const hugo = { id: snowflake(), username: 'hugo' };

/** Runs one /story in `channelId` to its end; returns the image requests the fake Pollinations saw for it. */
async function imagesOfStory(h: Harness, channelId: string, user = gale, tale = 'A tale.'): Promise<RecordedRequest[]> {
  const before = h.images.record.length;
  const { token } = h.discord.sendSlash({
    guildId: h.guilds[0]!.id,
    channelId,
    user,
    name: 'story',
    options: [
      { name: 'story', type: 3, value: `${tale} ${STORY}` },
      { name: 'scenes', type: 4, value: 1 },
    ],
  });
  await h.discord.waitFor(() => h.discord.messages(token)[0]?.files.some((f) => f.name === 'story.mp4') ?? false, 90_000, 'the video');
  await h.discord.waitFor(
    () => h.bot.history.recent({ guildId: h.guilds[0]!.id, userId: user.id, limit: 1 })[0]?.status === 'done',
    30_000,
    'the job done',
  );
  return h.images.record.slice(before).filter((r) => /^\/(image|prompt)\//.test(r.path));
}

describe('safe images, by default', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ ageRestricted: true, env: { POLLINATIONS_SAFE: 'false' } });
  });
  afterAll(async () => h?.close());

  it('asks for safe=true in an ordinary channel', async () => {
    const images = await imagesOfStory(h, h.guilds[0]!.channel);
    expect(images.length).toBeGreaterThan(0);
    expect(images.map((r) => r.query.get('safe'))).toEqual(images.map(() => 'true'));
  });

  it('and in an age-restricted one', async () => {
    const images = await imagesOfStory(h, h.guilds[0]!.ageRestricted!);
    expect(images.length).toBeGreaterThan(0);
    expect(images.map((r) => r.query.get('safe'))).toEqual(images.map(() => 'true'));
    expect(h.bot.history.recent({ guildId: h.guilds[0]!.id, limit: 1 })[0]?.options.safeImages).toBe(true);
  });

  it("/history lists another member's job for an admin (Manage Server), not for a plain member", async () => {
    await imagesOfStory(h, h.guilds[0]!.channel, hugo, "Hugo's tale.");
    const ask = (memberPermissions?: string) => {
      const { interactionId } = h.discord.sendSlash({
        guildId: h.guilds[0]!.id,
        channelId: h.guilds[0]!.channel,
        user: gale,
        memberPermissions,
        name: 'history',
      });
      return h.discord
        .waitFor(() => h.discord.callbacks(interactionId).length > 0)
        .then(() => (h.discord.callbacks(interactionId)[0] as { data: { content: string } }).data.content);
    };
    const asAdmin = await ask(PERMISSIONS.manageGuild);
    expect(asAdmin).toMatch(/Hugo's tale/);
    expect(asAdmin).toMatch(/A tale/);
    const asMember = await ask();
    expect(asMember).not.toMatch(/Hugo's tale/);
    expect(asMember).toMatch(/A tale/);
  });
});

describe('ALLOW_NSFW_IN_AGE_RESTRICTED=true', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ ageRestricted: true, env: { POLLINATIONS_SAFE: 'false', ALLOW_NSFW_IN_AGE_RESTRICTED: 'true' } });
  });
  afterAll(async () => h?.close());

  it('leaves safe=true off in an age-restricted channel only', async () => {
    const restricted = await imagesOfStory(h, h.guilds[0]!.ageRestricted!);
    expect(restricted.length).toBeGreaterThan(0);
    expect(restricted.some((r) => r.query.get('safe') === 'true')).toBe(false);
    const ordinary = await imagesOfStory(h, h.guilds[0]!.channel);
    expect(ordinary.map((r) => r.query.get('safe'))).toEqual(ordinary.map(() => 'true'));
  });
});
