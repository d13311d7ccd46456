/**
 * Issue 23, item 5: a job of a member's own install (a DM) is shown through its interaction's
 * webhook only. Driven with a clock: while the token lives its reply is edited; when less than
 * TIME_UP_NOTICE_MS is left, the edit asked for is replaced by a notice in the member's language,
 * and nothing more is sent, least of all with the bot token (the fake would refuse it: 403/50001).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REST } from 'discord.js';
import { snowflake } from '../fakes/discord/snowflakes.js';
import { startHarness, type Harness } from '../support/bot-harness.js';
import { JobMessage, ReplyClosedError, TIME_UP_NOTICE_MS, TOKEN_LIFETIME_MS } from '../../src/discord/job-message.js';
import { untilReplyCloses, webhookOnlyFor } from '../../src/discord/time-up.js';
import { createLogger } from '../../src/core/log.js';
import { translator } from '../../src/i18n/translate.js';

let h: Harness;
const ines = { id: snowflake(), username: 'ines' };

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

/** An interaction in ines's DM with the bot whose reply exists (the bot answers an unknown command). */
async function dmReply() {
  const dm = snowflake();
  const sent = h.discord.sendSlash({ guildId: h.guilds[0]!.id, channelId: dm, context: 1, user: ines, name: 'not-a-command' });
  await h.discord.waitFor(() => h.discord.messages(sent.token).length > 0);
  return { dm, token: sent.token, createdAt: Date.now() };
}

describe("a webhook-only job's reply and the interaction token's 15 minutes", () => {
  it('is edited while the token lives, then tells the member (in German) before it dies, and sends nothing after', async () => {
    const { dm, token, createdAt } = await dmReply();
    let clock = createdAt + 60_000;
    const message = new JobMessage({
      rest: new REST({ api: h.discord.apiBase }).setToken(h.discord.token),
      applicationId: h.discord.applicationId,
      channelId: dm,
      jobId: 'job-dm',
      log: createLogger('test'),
      interaction: { token, createdAt },
      now: () => clock,
      webhookOnly: webhookOnlyFor({ id: 'job-dm', guildId: `user:${ines.id}`, options: { locale: 'de' } }),
    });
    expect(message.openUntil).toBe(createdAt + TOKEN_LIFETIME_MS - TIME_UP_NOTICE_MS);
    await message.edit({ embeds: [{ title: 'Working' }] });
    expect(h.discord.messages(token)[0]!.embeds).toEqual([{ title: 'Working' }]);

    // Less than a minute left: the member is told, in the reply, instead of the edit asked for.
    clock = createdAt + TOKEN_LIFETIME_MS - TIME_UP_NOTICE_MS + 5_000;
    await expect(message.edit({ embeds: [{ title: 'Still working' }] })).rejects.toBeInstanceOf(ReplyClosedError);
    const notice = h.discord.messages(token)[0]!.embeds[0] as { title: string; description: string };
    expect(notice.title).toBe(translator('de')('anywhere.timeUpTitle'));
    expect(notice.description).toMatch(/15 Minuten/);
    expect(h.discord.messages(token)[0]!.components).toEqual([]);
    expect(message.openUntil).toBe(0);

    // Then nothing at all: not the webhook, and never the bot token in the DM.
    const calls = h.discord.record.length;
    await expect(message.edit({ embeds: [{ title: 'Done' }], files: [] })).rejects.toBeInstanceOf(ReplyClosedError);
    expect(h.discord.record.length).toBe(calls);
    expect(h.discord.record.filter((c) => c.route === 'channelMessage')).toEqual([]);
  });

  it('a token already dead (expired early): no bot-token post either', async () => {
    const { dm, token, createdAt } = await dmReply();
    h.discord.expireToken(token);
    const message = new JobMessage({
      rest: new REST({ api: h.discord.apiBase }).setToken(h.discord.token),
      applicationId: h.discord.applicationId,
      channelId: dm,
      jobId: 'job-dead',
      log: createLogger('test'),
      interaction: { token, createdAt },
      webhookOnly: webhookOnlyFor({ id: 'job-dead', guildId: `user:${ines.id}`, options: {} }),
    });
    await expect(message.edit({ embeds: [{ title: 'Working' }] })).rejects.toBeInstanceOf(ReplyClosedError);
    expect(h.discord.record.filter((c) => c.route === 'channelMessage')).toEqual([]);
  });

  it('/story in a DM whose token is about to die: the reply says so, the job stops, the bot token posts nothing', async () => {
    const dm = snowflake();
    const { token } = h.discord.sendSlash({
      guildId: h.guilds[0]!.id,
      channelId: dm,
      context: 1,
      user: ines,
      name: 'story',
      options: [{ name: 'story', type: 3, value: 'The owl counted the stars until morning came. Then it slept.' }],
      // Sent (by Discord's clock) so long ago that its reply's time for edits is up now.
      sentAt: Date.now() - (TOKEN_LIFETIME_MS - TIME_UP_NOTICE_MS),
    });
    await h.discord.waitFor(
      () => ['failed', 'done'].includes(h.bot.history.recent({ guildId: `user:${ines.id}`, limit: 1 })[0]?.status ?? ''),
      60_000,
      'the job ended',
    );
    const job = h.bot.history.recent({ guildId: `user:${ines.id}`, limit: 1 })[0]!;
    expect(job.status).toBe('failed');
    const reply = h.discord.messages(token)[0]!;
    expect((reply.embeds[0] as { title: string }).title).toBe('Out of time');
    expect(reply.files.some((f) => f.name.endsWith('.mp4'))).toBe(false);
    expect(h.discord.record.filter((c) => c.route === 'channelMessage')).toEqual([]);
  });

  it("the render's signal is aborted when the reply closes (at once without a token)", async () => {
    const live = new AbortController();
    const soon = untilReplyCloses({ openUntil: Date.now() + 50 }, live.signal);
    await new Promise((resolve) => soon.signal.addEventListener('abort', resolve, { once: true }));
    expect(soon.signal.reason).toBeInstanceOf(ReplyClosedError);
    const none = untilReplyCloses({ openUntil: 0 }, live.signal);
    await new Promise((resolve) => none.signal.addEventListener('abort', resolve, { once: true }));
    const guildJob = untilReplyCloses({ openUntil: undefined }, live.signal);
    expect(guildJob.signal).toBe(live.signal);
    soon.clear();
    none.clear();
  });
});

describe('a webhook-only job still waiting in line when its time is up', () => {
  let q: Harness;
  beforeAll(async () => {
    q = await startHarness({ env: { MAX_RUNNING_JOBS: '1' } });
  });
  afterAll(async () => q?.close());

  it('is told so in its reply while it waits, then never runs to a video', async () => {
    const lou = { id: snowflake(), username: 'lou' };
    q.discord.sendSlash({
      guildId: q.guilds[0]!.id,
      channelId: q.guilds[0]!.channel,
      user: lou,
      name: 'story',
      options: [{ name: 'story', type: 3, value: 'The river ran past the mill. The miller waved.' }],
    });
    await q.discord.waitFor(() => q.bot.history.recent({ guildId: q.guilds[0]!.id, limit: 1 })[0]?.status === 'running');
    const { token } = q.discord.sendSlash({
      guildId: q.guilds[0]!.id,
      channelId: snowflake(),
      context: 1,
      user: ines,
      name: 'story',
      options: [{ name: 'story', type: 3, value: 'The cat waited by the door. Nobody came.' }],
      // Its reply takes edits for less than a second more: it is still behind lou's story then.
      sentAt: Date.now() - (TOKEN_LIFETIME_MS - TIME_UP_NOTICE_MS) + 800,
    });
    const title = () => (q.discord.messages(token)[0]?.embeds[0] as { title?: string } | undefined)?.title;
    await q.discord.waitFor(() => title() === 'Out of time', 30_000, 'the time-up notice');
    // Told while lou's story was still the one running.
    expect(q.bot.history.recent({ guildId: q.guilds[0]!.id, limit: 1 })[0]?.status).toBe('running');
    await q.discord.waitFor(() => q.bot.history.recent({ guildId: `user:${ines.id}`, limit: 1 })[0]?.status === 'failed', 60_000, 'failed');
    expect(q.discord.messages(token)[0]!.files.some((f) => f.name.endsWith('.mp4'))).toBe(false);
    expect(title()).toBe('Out of time');
    expect(q.discord.record.filter((c) => c.route === 'channelMessage')).toEqual([]);
  });
});
