/**
 * Delete keeps nothing (issue 24, item 7): the message goes, the job's history row goes, a running
 * job is stopped first and leaves no file behind; finished jobs older than HISTORY_RETENTION_DAYS
 * (30 by default) leave history when the bot starts (and daily), unfinished ones stay.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snowflake } from '../fakes/discord/snowflakes.js';
import { historyPath, startHarness, STORY, type Harness } from '../support/bot-harness.js';
import { JobHistory } from '../../src/store/job-history.js';
import { loadConfig } from '../../src/config.js';

const DAY = 24 * 3600 * 1000;
let h: Harness;
const owner = { id: snowflake(), username: 'owner' };
const old: { finished?: string; recent?: string } = {};

beforeAll(async () => {
  h = await startHarness({
    prepare: (harness) => {
      const g = harness.guilds[0]!;
      const job = (daysAgo: number) => {
        const history = new JobHistory(historyPath(harness), () => Date.now() - daysAgo * DAY);
        const { id } = history.create({
          kind: 'story',
          guildId: g.id,
          channelId: g.channel,
          userId: owner.id,
          story: 'An old story. It was told long ago.',
          options: { aspect: '9:16', scenes: 1, maxBytes: 10 * 1024 * 1024, seed: 3 },
        });
        history.finish(id, { status: 'cancelled', error: 'cancelled by user' });
        history.close();
        return id;
      };
      old.finished = job(40);
      old.recent = job(5);
    },
  });
});
afterAll(async () => h?.close());

const base = () => ({ guildId: h.guilds[0]!.id, channelId: h.guilds[0]!.channel, user: owner });
const story = (text: string, scenes: number) =>
  h.discord.sendSlash({
    ...base(),
    name: 'story',
    options: [
      { name: 'story', type: 3, value: text },
      { name: 'scenes', type: 4, value: scenes },
    ],
  });
const jobOf = (token: string) => {
  const messageId = h.discord.messages(token)[0]?.id;
  return h.bot.history.recent({ guildId: h.guilds[0]!.id, limit: 20 }).find((j) => j.messageIds.original === messageId);
};
const workFiles = async (id: string) =>
  (await readdir(join(h.dataDir, 'videos', 'main')).catch(() => [] as string[])).filter((n) => n.startsWith(id));

describe('what the bot keeps', () => {
  it('finished jobs past the retention leave history at start; newer ones stay', () => {
    expect(h.bot.history.get(old.finished!)).toBeUndefined();
    expect(h.bot.history.get(old.recent!)).toBeDefined();
    expect(h.logs.join('\n')).toMatch(/history: removed 1 finished job\(s\) older than 30 day/);
  });

  it('Delete on a finished video: the message and its history row go', async () => {
    const { token } = story(STORY, 1);
    await h.discord.waitFor(() => jobOf(token)?.status === 'done', 90_000, 'the video');
    const job = jobOf(token)!;
    const messageId = h.discord.messages(token)[0]!.id;
    h.discord.sendButton({ ...base(), customId: `sr:delete:${job.id}`, messageId });
    await h.discord.waitFor(() => h.discord.message(messageId)?.deleted === true && !h.bot.history.get(job.id), 30_000, 'deleted');
    expect(h.bot.history.recent({ guildId: h.guilds[0]!.id, userId: owner.id, limit: 20 }).map((j) => j.id)).not.toContain(job.id);
  }, 120_000);

  it('Delete on a running job: it stops, then its message, row and files go; no video comes later', async () => {
    h.images.options.latencyMs = 3000;
    const { token } = story('A slow story. It takes its time. The end comes late.', 2);
    await h.discord.waitFor(() => jobOf(token)?.status === 'running', 30_000, 'the job running');
    const job = jobOf(token)!;
    const messageId = h.discord.messages(token)[0]!.id;
    const press = h.discord.sendButton({ ...base(), customId: `sr:delete:${job.id}`, messageId });
    await h.discord.waitFor(() => h.discord.message(messageId)?.deleted === true && !h.bot.history.get(job.id), 60_000, 'deleted');
    h.images.options.latencyMs = [50, 200];
    expect(h.discord.callbacks(press.interactionId)[0]).toMatchObject({ type: 6 });
    expect(h.bot.localQueue!.position(job.id)).toBeUndefined();
    expect(await workFiles(job.id)).toEqual([]);
    // Its render had ended before the row went (Delete waits for that): no video, no new message in the channel.
    expect(h.discord.record.some((c) => c.files.some((f) => f.name === 'story.mp4') && c.token === token)).toBe(false);
    expect(h.discord.channelMessages(h.guilds[0]!.channel)).toEqual([]);
    expect(h.bot.history.get(job.id)).toBeUndefined();
  }, 120_000);

  it('HISTORY_RETENTION_DAYS is checked: a whole number of days, 0 for ever', () => {
    expect(loadConfig({ IMAGE_PROVIDER: 'local' }).historyRetentionDays).toBe(30);
    expect(loadConfig({ IMAGE_PROVIDER: 'local', HISTORY_RETENTION_DAYS: '0' }).historyRetentionDays).toBe(0);
    expect(() => loadConfig({ IMAGE_PROVIDER: 'local', HISTORY_RETENTION_DAYS: '-1' })).toThrow(/HISTORY_RETENTION_DAYS/);
    expect(() => loadConfig({ IMAGE_PROVIDER: 'local', HISTORY_RETENTION_DAYS: 'a month' })).toThrow(/HISTORY_RETENTION_DAYS/);
  });
});
