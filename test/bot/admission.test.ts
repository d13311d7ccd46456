/**
 * Admission is decided before any round trip to Discord (issue 12, items 1-3): a double /story is
 * refused privately and leaves no row; jobs of one server start in the order their commands came,
 * however slow one's reply is; and a button acts only on the job of the message it is on, in the
 * server it was pressed in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snowflake } from '../fakes/discord/snowflakes.js';
import { PERMISSIONS } from '../fakes/discord/server.js';
import { startHarness, type Harness } from '../support/bot-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ guilds: 2 });
});
afterAll(async () => h?.close());

const story = (g: { id: string; channel: string }, user: { id: string; username: string }, text: string) =>
  h.discord.sendSlash({
    guildId: g.id,
    channelId: g.channel,
    user,
    name: 'story',
    options: [
      { name: 'story', type: 3, value: text },
      { name: 'scenes', type: 4, value: 1 },
    ],
  });
const callback = (interactionId: string) =>
  h.discord.callbacks(interactionId)[0] as { type: number; data?: { content?: string; flags?: number } };
const done = (token: string) =>
  h.discord.waitFor(() => h.discord.messages(token)[0]?.files.some((f) => f.name === 'story.mp4') ?? false, 90_000, 'a video');

describe('admission before any round trip', () => {
  it('the same person twice within milliseconds: the second is refused privately, and leaves no row', async () => {
    const g = h.guilds[0]!;
    const user = { id: snowflake(), username: 'quick' };
    const first = story(g, user, 'A bird sang. Then it slept.');
    const second = story(g, user, 'A bird sang again. Then it flew.');
    await h.discord.waitFor(() => !!callback(first.interactionId) && !!callback(second.interactionId));
    expect(callback(first.interactionId).type).toBe(5);
    expect(callback(second.interactionId).type).toBe(4);
    expect((callback(second.interactionId).data?.flags ?? 0) & 64).toBe(64);
    expect(callback(second.interactionId).data?.content).toMatch(/already have a story in progress/);
    await done(first.token);
    expect(h.bot.history.recent({ guildId: g.id, userId: user.id, limit: 10 })).toHaveLength(1);
  }, 120_000);

  it('in one server, jobs start in the order their commands arrived, even when the first reply is slow', async () => {
    const g = h.guilds[0]!;
    h.images.options.latencyMs = 1500;
    const started: string[] = [];
    h.bot.localQueue!.on('start', (job) => started.push(job.id));
    const a = story(g, { id: snowflake(), username: 'a' }, 'The first one runs. It takes a while.');
    await h.discord.waitFor(() => callback(a.interactionId)?.type === 5);
    // B1's deferral takes 400 ms to reach Discord; B2 is sent once the bot is answering B1 (its
    // deferral has reached the fake and is being held), and is answered at once.
    h.discord.delayNext('callback', 400);
    const b1 = story(g, { id: snowflake(), username: 'b1' }, 'B one waits. Then it runs.');
    await h.discord.waitFor(
      () => h.discord.record.some((r) => r.route === 'callback' && r.path.includes(`/${b1.interactionId}/`)),
      30_000,
      "B1's deferral reaching Discord",
    );
    const b2 = story(g, { id: snowflake(), username: 'b2' }, 'B two waits. Then it runs.');
    await Promise.all([done(a.token), done(b1.token), done(b2.token)]);
    const idOf = (token: string) =>
      h.bot.history.recent({ guildId: g.id, limit: 20 }).find((j) => j.messageIds.original === h.discord.messages(token)[0]!.id)!.id;
    expect(started.indexOf(idOf(b1.token))).toBeLessThan(started.indexOf(idOf(b2.token)));
    h.images.options.latencyMs = [50, 200];
  }, 180_000);

  it('a button naming another job, or pressed in another server, acts on nothing', async () => {
    const [g1, g2] = [h.guilds[0]!, h.guilds[1]!];
    const alice = { id: snowflake(), username: 'alice' };
    const bob = { id: snowflake(), username: 'bob' };
    const a = story(g1, alice, 'Alice wrote this. It is hers.');
    await done(a.token);
    const b = story(g1, bob, 'Bob wrote this. It is his.');
    await done(b.token);
    await h.discord.waitFor(() =>
      h.bot.history
        .recent({ guildId: g1.id, limit: 20 })
        .filter((j) => [alice.id, bob.id].includes(j.userId))
        .every((j) => j.status === 'done'),
    );
    const jobOf = (user: { id: string }) => h.bot.history.recent({ guildId: g1.id, userId: user.id, limit: 1 })[0]!;
    const aliceMessage = h.discord.messages(a.token)[0]!.id;

    // Alice's message, carrying "delete Bob's job" (a forged custom_id): refused, nothing deleted.
    const forged = h.discord.sendButton({
      guildId: g1.id,
      channelId: g1.channel,
      user: alice,
      customId: `sr:delete:${jobOf(bob).id}`,
      messageId: aliceMessage,
    });
    await h.discord.waitFor(() => !!callback(forged.interactionId));
    expect(callback(forged.interactionId).data?.content).toMatch(/does not belong to this message/);
    expect(h.discord.message(aliceMessage)?.deleted).toBeFalsy();
    expect(h.discord.messages(b.token)[0]?.deleted).toBeFalsy();

    // A moderator of server 2 pressing Delete on server 1's job: refused.
    const mod = { id: snowflake(), username: 'mod' };
    const far = h.discord.sendButton({
      guildId: g2.id,
      channelId: g2.channel,
      user: mod,
      memberPermissions: PERMISSIONS.manageMessages,
      customId: `sr:delete:${jobOf(alice).id}`,
      messageId: aliceMessage,
    });
    await h.discord.waitFor(() => !!callback(far.interactionId));
    expect(callback(far.interactionId).data?.content).toMatch(/does not belong to this message/);
    expect(h.discord.message(aliceMessage)?.deleted).toBeFalsy();
  }, 180_000);
});
