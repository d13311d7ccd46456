/**
 * Cancel on a job still waiting in its server's queue: it leaves the line without ever
 * rendering, history and its message say it was cancelled, and the job ahead of it finishes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snowflake } from '../fakes/discord/snowflakes.js';
import { startHarness, type Harness } from '../support/bot-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { MAX_JOBS_PER_GUILD: '1' }, editIntervalMs: 300 });
});
afterAll(async () => h?.close());

const first = { id: snowflake(), username: 'first' };
const second = { id: snowflake(), username: 'second' };
const embedOf = (token: string) => (h.discord.messages(token)[0]?.embeds[0] ?? {}) as { description?: string };
const jobOf = (userId: string) => h.bot.history.recent({ guildId: h.guilds[0]!.id, userId, limit: 5 })[0];

describe('cancel while waiting in the queue', () => {
  it('the waiting job never renders and says it was cancelled; the running one still finishes', async () => {
    const g = h.guilds[0]!;
    const started: string[] = [];
    h.bot.localQueue!.on('start', (job) => started.push(job.id));
    // The first job's images take a while, so the second is sure to be waiting when it is cancelled.
    h.images.options.latencyMs = 15_000;
    const a = h.discord.sendSlash({
      guildId: g.id,
      channelId: g.channel,
      user: first,
      name: 'story',
      options: [
        { name: 'story', type: 3, value: 'A lantern glowed in the snow. The fox carried it home.' },
        { name: 'scenes', type: 4, value: 2 },
      ],
    });
    await h.discord.waitFor(() => jobOf(first.id)?.status === 'running', 30_000, 'the first job running');
    const b = h.discord.sendSlash({
      guildId: g.id,
      channelId: g.channel,
      user: second,
      name: 'story',
      options: [
        { name: 'story', type: 3, value: 'A zeppelin drifted over the bay. Gulls followed it out to sea.' },
        { name: 'scenes', type: 4, value: 1 },
      ],
    });
    await h.discord.waitFor(
      () => /^⏳ Waiting: you are next/.test(embedOf(b.token).description ?? ''),
      30_000,
      "the second job's message showing its place in line",
    );
    const waiting = jobOf(second.id)!;
    expect(waiting.status).toBe('queued');
    expect(h.bot.localQueue!.position(waiting.id)).toBe(1);

    const messageId = h.discord.messages(b.token)[0]!.id;
    const press = h.discord.sendButton({
      guildId: g.id,
      channelId: g.channel,
      user: second,
      customId: `sr:cancel:${waiting.id}`,
      messageId,
    });
    await h.discord.waitFor(() => jobOf(second.id)?.status === 'cancelled', 30_000, 'the second job cancelled');
    await h.discord.waitFor(
      () => /Cancelled by/.test(embedOf(b.token).description ?? ''),
      30_000,
      "the second job's message saying 'Cancelled by'",
    );
    expect(h.discord.callbacks(press.interactionId)[0]).toMatchObject({ type: 6 });
    // The cancel happened while the first job was still at work.
    expect(jobOf(first.id)!.status).toBe('running');

    h.images.options.latencyMs = [50, 200];
    await h.discord.waitFor(
      () => h.discord.messages(a.token)[0]?.files.some((f) => f.name === 'story.mp4') ?? false,
      90_000,
      "the first job's video",
    );
    await h.discord.waitFor(() => jobOf(first.id)?.status === 'done', 30_000, 'the first job done');
    await h.discord.waitFor(() => h.bot.localQueue!.runningCount === 0, 30_000, 'the queue idle');

    const cancelled = jobOf(second.id)!;
    expect(cancelled).toMatchObject({ status: 'cancelled', error: 'cancelled by user' });
    expect(cancelled.timings.startedAt).toBeUndefined();
    expect(started).toEqual([jobOf(first.id)!.id]);
    expect(h.bot.localQueue!.has(cancelled.id)).toBe(false);
    // Nothing was made for it: no narration of its words was asked for, no video was uploaded.
    expect(h.voices.record.some((r) => r.body.includes('lantern'))).toBe(true);
    expect(h.voices.record.some((r) => r.body.includes('zeppelin'))).toBe(false);
    const shown = h.discord.messages(b.token)[0]!;
    expect(shown.files).toEqual([]);
    expect(shown.components).toEqual([]);
    expect(embedOf(b.token).description).toContain(`Cancelled by <@${second.id}>`);
    expect(h.discord.messages(a.token)[0]!.files[0]!.name).toBe('story.mp4');
  }, 180_000);
});
