/**
 * Quotas and the daily budget over the fake Discord (issue 23, item 2), in one process: a server's
 * member_daily and cooldown (the limits /settings will send, passed in here), the fleet's
 * DAILY_STORIES, kept in SQLite across a restart; refusals private, with when they reset, in the
 * member's language; /usage for the server's admins.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snowflake } from '../fakes/discord/snowflakes.js';
import { PERMISSIONS } from '../fakes/discord/server.js';
import { startHarness, type Harness } from '../support/bot-harness.js';
import type { GuildLimits } from '../../src/jobs/quota-rules.js';

type Guild = { id: string; channel: string };
type User = { id: string; username: string };
type Callback = {
  type: number;
  data?: {
    content?: string;
    flags?: number;
    embeds?: { title?: string; description?: string; fields?: { name: string; value: string }[] }[];
  };
};

const NONE: GuildLimits = { memberDaily: 0, cooldownMinutes: 0, maxRunning: 0 };

function helpers(h: () => Harness) {
  const story = (g: Guild, user: User, text: string, extra?: Record<string, unknown>) =>
    h().discord.sendSlash({
      guildId: g.id,
      channelId: g.channel,
      user,
      name: 'story',
      options: [
        { name: 'story', type: 3, value: text },
        { name: 'scenes', type: 4, value: 1 },
      ],
      ...(extra ? { extra } : {}),
    });
  const callback = async (interactionId: string): Promise<Callback> => {
    await h().discord.waitFor(() => h().discord.callbacks(interactionId).length > 0, 30_000, 'an answer');
    return h().discord.callbacks(interactionId)[0] as Callback;
  };
  /** The video is delivered and the job has left the queue (the member is free again). */
  const done = async (g: Guild, token: string) => {
    await h().discord.waitFor(
      () =>
        h()
          .discord.messages(token)[0]
          ?.files.some((f) => f.name === 'story.mp4') ?? false,
      90_000,
      'a video',
    );
    const id = h()
      .bot.history.recent({ guildId: g.id, limit: 50 })
      .find((j) => j.messageIds.original === h().discord.messages(token)[0]!.id)?.id;
    await h().discord.waitFor(() => !!id && !h().bot.localQueue!.has(id), 30_000, 'the job to end');
  };
  /** Refused privately (an ephemeral reply, nothing deferred): its text. */
  const refusal = async (sent: { interactionId: string }): Promise<string> => {
    const answer = await callback(sent.interactionId);
    expect(answer.type).toBe(4);
    expect((answer.data?.flags ?? 0) & 64).toBe(64);
    return answer.data!.content!;
  };
  const rows = (g: Guild) => h().bot.history.recent({ guildId: g.id, limit: 50 }).length;
  /** The Unix seconds of the one relative timestamp in a text. */
  const resetOf = (text: string) => Number(/<t:(\d+):R>/.exec(text)?.[1]);
  return { story, callback, done, refusal, rows, resetOf };
}

const nextMidnightS = () => Math.floor(Date.now() / 86_400_000 + 1) * 86_400;

describe('a server’s member limits', () => {
  let h: Harness;
  const limits = new Map<string, GuildLimits>();
  beforeAll(async () => {
    h = await startHarness({ guilds: 2, guildLimits: (id) => limits.get(id) });
    limits.set(h.guilds[0]!.id, { ...NONE, memberDaily: 1 });
    limits.set(h.guilds[1]!.id, { ...NONE, cooldownMinutes: 30 });
  });
  afterAll(async () => h?.close());
  const { story, callback, done, refusal, rows, resetOf } = helpers(() => h);

  it("member_daily 1: a member's second story that day is refused privately with the reset time, and starts nothing", async () => {
    const g = h.guilds[0]!;
    const ana = { id: snowflake(), username: 'ana' };
    const first = story(g, ana, 'The fox found a lantern. It carried it home.');
    await done(g, first.token);
    const [jobs, imageRequests] = [rows(g), h.images.record.length];
    const text = await refusal(story(g, ana, 'The fox went out again. It found a star.'));
    expect(text).toMatch(/^You have made your stories for today in this server \(limit: 1 per member\); you can make another <t:\d+:R>\.$/);
    expect(resetOf(text)).toBe(nextMidnightS());
    expect(rows(g)).toBe(jobs);
    expect(h.images.record.length).toBe(imageRequests);
    // The same refusal for a member whose Discord is in German.
    const german = await refusal(story(g, ana, 'Der Fuchs ging wieder hinaus. Er fand einen Stern.', { locale: 'de' }));
    expect(german).toMatch(
      /^Du hast deine Geschichten für heute auf diesem Server gemacht \(Limit: 1 pro Mitglied\); du kannst <t:\d+:R> eine weitere machen\.$/,
    );
    // Another member of the server still has theirs.
    const ben = { id: snowflake(), username: 'ben' };
    const other = story(g, ben, 'The owl woke at noon. It went back to sleep.');
    expect((await callback(other.interactionId)).type).toBe(5);
    await done(g, other.token);
  }, 180_000);

  it('cooldown_minutes 30: the next story waits 30 minutes from the last one, said with when', async () => {
    const g = h.guilds[1]!;
    const cy = { id: snowflake(), username: 'cy' };
    const first = story(g, cy, 'A cat sat on the wall. Then it jumped down.');
    const before = Math.floor(Date.now() / 1000);
    await done(g, first.token);
    const jobs = rows(g);
    const text = await refusal(story(g, cy, 'The cat came back. It sat again.'));
    expect(text).toMatch(/^This server asks members to wait 30 minutes between stories; you can make another <t:\d+:R>\.$/);
    expect(resetOf(text)).toBeGreaterThanOrEqual(before + 30 * 60 - 1);
    expect(resetOf(text)).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 30 * 60);
    expect(rows(g)).toBe(jobs);
  }, 120_000);

  it("/usage: refused without Manage Server; for an admin, the server's day and its top members", async () => {
    const g = h.guilds[0]!;
    const usage = (memberPermissions: string) =>
      h.discord.sendSlash({
        guildId: g.id,
        channelId: g.channel,
        user: { id: snowflake(), username: 'mod' },
        name: 'usage',
        memberPermissions,
      });
    const denied = await callback(usage(PERMISSIONS.basic).interactionId);
    expect(denied.type).toBe(4);
    expect((denied.data?.flags ?? 0) & 64).toBe(64);
    expect(denied.data?.content).toBe('/usage needs the Manage Server permission.');

    const shown = await callback(usage(PERMISSIONS.manageGuild).interactionId);
    expect((shown.data?.flags ?? 0) & 64).toBe(64);
    const embed = shown.data!.embeds![0]!;
    const field = (name: string) => embed.fields!.find((f) => f.name === name)?.value;
    // Two stories today in this server (ana's and ben's), one scene each; the refused ones count nothing.
    const stories = h.bot.history.recent({ guildId: g.id, limit: 10 });
    expect(stories).toHaveLength(2);
    expect(field('Stories')).toBe('2');
    expect(field('Images')).toBe('2');
    expect(field('Narration characters')).toBe(String(stories.reduce((n, j) => n + [...j.story].length, 0)));
    const top = field('Top members')!.split('\n');
    expect(top).toHaveLength(2);
    expect(top.map((l) => /<@(\d+)>/.exec(l)?.[1]).sort()).toEqual(stories.map((j) => j.userId).sort());
    expect(embed.description).toMatch(/<t:\d+:R>/);
  }, 60_000);
});

describe('the fleet’s DAILY_STORIES, across a restart', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { DAILY_STORIES: '1', METRICS_PORT: '0' }, guildLimits: () => ({ ...NONE, memberDaily: 1 }) });
  });
  afterAll(async () => h?.close());
  const { story, done, refusal, rows, resetOf } = helpers(() => h);

  it('after a restart the member still has no story left, and a second member is refused by the cap', async () => {
    const g = h.guilds[0]!;
    const dee = { id: snowflake(), username: 'dee' };
    await done(g, story(g, dee, 'The boat left at dawn. It came back at dusk.').token);
    await h.bot.stop();
    await h.startBot();
    const jobs = rows(g);
    expect(await refusal(story(g, dee, 'The boat left again. It sailed far.'))).toMatch(/^You have made your stories for today/);
    const eve = { id: snowflake(), username: 'eve' };
    const text = await refusal(story(g, eve, 'A new sailor came. She waved.'));
    expect(text).toMatch(/^The bot has made all the stories it can today \(1\); it can make more <t:\d+:R>\.$/);
    expect(resetOf(text)).toBe(nextMidnightS());
    expect(rows(g)).toBe(jobs);

    // The owner sees the fleet's day and the refusals in the metrics.
    const port = Number(/on port (\d+)/.exec(h.logs.findLast((l) => /\/metrics on port \d+/.test(l)) ?? '')?.[1]);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const value = (series: string) => Number(new RegExp(`^${series} (\\S+)$`, 'm').exec(metrics)?.[1]);
    expect(value('storyreel_daily_stories\\{role="gateway"\\}')).toBe(1);
    expect(value('storyreel_daily_images\\{role="gateway"\\}')).toBe(1);
    expect(value('storyreel_daily_narration_characters\\{role="gateway"\\}')).toBe(
      [...'The boat left at dawn. It came back at dusk.'].length,
    );
    expect(value('storyreel_admission_refusals_total\\{reason="member-daily",role="gateway"\\}')).toBe(1);
    expect(value('storyreel_admission_refusals_total\\{reason="daily-stories",role="gateway"\\}')).toBe(1);
  }, 180_000);
});
