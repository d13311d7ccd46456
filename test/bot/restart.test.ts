/**
 * Across restarts (a new discord.js Client on the same SQLite file and cache): a job that keeps
 * stopping the bot is given up after MAX_RESUMES resumes, visibly; the buttons on a message from
 * before the restart still work; a resumed job takes the assets it had finished from the cache.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { snowflake } from '../fakes/discord/snowflakes.js';
import type { StoredMessage } from '../fakes/discord/payloads.js';
import { JobHistory } from '../../src/store/job-history.js';
import type { JobRecord } from '../../src/store/job-record.js';
import { MAX_RESUMES } from '../../src/bot/recover-jobs.js';
import { cacheEntries, historyPath, startHarness, STORY, type Harness } from '../support/bot-harness.js';

let h: Harness;
afterEach(async () => h?.close());

type Embed = { description?: string; footer?: { text: string } };
const embedOf = (m: { embeds: unknown[] } | undefined) => (m?.embeds[0] ?? {}) as Embed;
const customIds = (m: { components: unknown[] } | undefined) => JSON.stringify(m?.components ?? []).match(/sr:[a-z]+:[a-z0-9]+/g) ?? [];
const jobs = () => h.bot.history.recent({ guildId: h.guilds[0]!.id, limit: 20 });
const hasVideo = (token: string) => h.discord.messages(token)[0]?.files.some((f) => f.name === 'story.mp4') ?? false;

/** A job as a process leaves it when it stops mid-render after `resumes` earlier resumes. */
function runningJob(
  history: JobHistory,
  g: { id: string; channel: string },
  user: string,
  story: string,
  resumes: number,
  channelMessage?: string,
): JobRecord {
  const job = history.create({
    kind: 'story',
    guildId: g.id,
    channelId: g.channel,
    userId: user,
    story,
    options: { aspect: '9:16', scenes: 1, maxBytes: 10 * 1024 * 1024, seed: 7 },
  });
  history.markRunning(job.id);
  for (let i = 0; i < resumes; i++) {
    history.requeue(job.id);
    history.markRunning(job.id);
  }
  if (channelMessage) history.setMessageIds(job.id, { channelMessage });
  return history.get(job.id)!;
}

/** Finished cache entries (a .bin is only visible once complete, its sidecar beside it). */

describe('across restarts', () => {
  it(`a job found running after ${MAX_RESUMES} resumes is not resumed again: interrupted, its message says so and offers Re-run`, async () => {
    expect(MAX_RESUMES).toBe(2);
    const owner = { id: snowflake(), username: 'unlucky' };
    const other = { id: snowflake(), username: 'lucky' };
    let capped!: JobRecord;
    let below!: JobRecord;
    let earlier!: StoredMessage;
    h = await startHarness({
      prepare: (hh) => {
        const g = hh.guilds[0]!;
        // The channel message the last process showed the job in ("will resume").
        earlier = hh.discord.seedChannelMessage(g.channel, {
          embeds: [
            {
              title: 'The fox',
              description: '⚠️ Interrupted by a restart.\nThe bot is restarting; this story will resume when it is back.',
            },
          ],
        });
        const history = new JobHistory(historyPath(hh));
        try {
          capped = runningJob(history, g, owner.id, STORY, MAX_RESUMES, earlier.id);
          below = runningJob(history, g, other.id, 'The owl woke at dusk. It flew over the barn.', MAX_RESUMES - 1);
        } finally {
          history.close();
        }
        expect(capped).toMatchObject({ status: 'running', attempts: 2 });
      },
    });
    const channel = h.guilds[0]!.channel;
    await h.discord.waitFor(
      () => /will not be resumed again/.test(embedOf(h.discord.message(earlier.id)).description ?? ''),
      30_000,
      'the earlier message saying the job is given up',
    );

    expect(h.bot.history.get(capped.id)).toMatchObject({
      status: 'interrupted',
      attempts: 2,
      error: 'not resumed again: the bot stopped 3 times while making it',
    });
    expect(h.bot.localQueue!.has(capped.id)).toBe(false);
    const shown = h.discord.message(earlier.id)!;
    expect(embedOf(shown).description).toMatch(
      /^⚠️ Interrupted by a restart\.\nThe bot stopped 3 times while making this story, so it will not be resumed again\. Press Re-run/,
    );
    expect(embedOf(shown).footer?.text).toBe(`job ${capped.id}`);
    expect(customIds(shown)).toEqual([`sr:rerun:${capped.id}`, `sr:delete:${capped.id}`]);
    // Edited in place: no second message for it in the channel.
    expect(h.discord.channelMessages(channel).filter((m) => embedOf(m).footer?.text === `job ${capped.id}`)).toHaveLength(1);
    expect(h.logs.join('\n')).toMatch(new RegExp(`job ${capped.id}: marked interrupted, not resumed again`));

    // One resume short of the cap: resumed, and it finishes.
    await h.discord.waitFor(() => h.bot.history.get(below.id)?.status === 'done', 90_000, 'the job below the cap done');
    expect(h.bot.history.get(below.id)!.attempts).toBe(MAX_RESUMES);
    expect(h.bot.history.get(capped.id)!.status).toBe('interrupted');

    // Re-run on the given-up job's message starts it afresh.
    const { token } = h.discord.sendButton({
      guildId: h.guilds[0]!.id,
      channelId: channel,
      user: owner,
      customId: `sr:rerun:${capped.id}`,
      messageId: earlier.id,
    });
    await h.discord.waitFor(() => hasVideo(token), 90_000, "the re-run's video");
    await h.discord.waitFor(() => jobs()[0]?.status === 'done', 30_000, 'the re-run done');
    expect(jobs()[0]).toMatchObject({ kind: 'rerun', parentJobId: capped.id, userId: owner.id, story: STORY });
  }, 240_000);

  it('the buttons on a video from before a restart work with the new process', async () => {
    h = await startHarness();
    const g = h.guilds[0]!;
    const owner = { id: snowflake(), username: 'owner' };
    const stranger = { id: snowflake(), username: 'stranger' };
    const first = h.discord.sendSlash({
      guildId: g.id,
      channelId: g.channel,
      user: owner,
      name: 'story',
      options: [
        { name: 'story', type: 3, value: STORY },
        { name: 'scenes', type: 4, value: 2 },
      ],
    });
    await h.discord.waitFor(() => hasVideo(first.token), 90_000, 'the first video');
    await h.discord.waitFor(() => jobs()[0]?.status === 'done', 30_000, 'the first job done');
    const original = jobs()[0]!;
    const messageId = h.discord.messages(first.token)[0]!.id;
    expect(customIds(h.discord.messages(first.token)[0])).toContain(`sr:rerun:${original.id}`);

    const oldClient = h.bot.client;
    await h.bot.stop();
    await h.startBot();
    expect(h.bot.client).not.toBe(oldClient);
    await h.discord.waitFor(() => h.discord.gateway.connectedClients() === 1, 30_000, 'only the new client connected');

    const refused = h.discord.sendButton({
      guildId: g.id,
      channelId: g.channel,
      user: stranger,
      customId: `sr:rerun:${original.id}`,
      messageId,
    });
    await h.discord.waitFor(() => h.discord.callbacks(refused.interactionId).length > 0, 30_000, "the stranger's answer");
    expect(h.discord.callbacks(refused.interactionId)[0]).toMatchObject({
      type: 4,
      data: { flags: 64, content: expect.stringMatching(/^Not yours/) },
    });

    const rerun = h.discord.sendButton({
      guildId: g.id,
      channelId: g.channel,
      user: owner,
      customId: `sr:rerun:${original.id}`,
      messageId,
    });
    await h.discord.waitFor(() => hasVideo(rerun.token), 90_000, "the re-run's video");
    await h.discord.waitFor(() => jobs()[0]?.status === 'done', 30_000, 'the re-run done');
    expect(jobs()[0]).toMatchObject({ kind: 'rerun', parentJobId: original.id, story: original.story, userId: owner.id });
    expect(h.discord.messages(rerun.token)[0]!.files[0]!.name).toBe('story.mp4');

    const del = h.discord.sendButton({ guildId: g.id, channelId: g.channel, user: owner, customId: `sr:delete:${original.id}`, messageId });
    await h.discord.waitFor(() => h.discord.message(messageId)?.deleted === true, 30_000, 'the old message deleted');
    expect(h.discord.callbacks(del.interactionId)[0]).toMatchObject({ type: 6 });
    expect(h.discord.message(h.discord.messages(rerun.token)[0]!.id)?.deleted).toBeFalsy();
  }, 240_000);

  it('a resumed job takes the assets it had finished from the cache: no new narration requests', async () => {
    h = await startHarness();
    const g = h.guilds[0]!;
    // Images take long enough that the bot stops with both narrations made and no image yet.
    h.images.options.latencyMs = 60_000;
    h.discord.sendSlash({
      guildId: g.id,
      channelId: g.channel,
      user: { id: snowflake(), username: 'resumer' },
      name: 'story',
      options: [
        { name: 'story', type: 3, value: STORY },
        { name: 'scenes', type: 4, value: 2 },
      ],
    });
    await h.discord.waitFor(() => jobs()[0]?.status === 'running', 30_000, 'the job running');
    await h.discord.waitFor(
      // two entries: both narrations (the soundtrack, kept once every narration is in, may follow;
      // nothing else can be kept before an image)
      () => cacheEntries(h.dataDir) >= 2 && h.images.inFlight() > 0,
      60_000,
      'both narrations in the cache, images still in the making',
    );
    const cold = { voices: h.voices.record.length, images: h.images.record.length };
    expect(cold.voices).toBeGreaterThanOrEqual(2);
    expect(h.images.record.every((r) => r.endedAt === undefined)).toBe(true);
    await h.bot.stop();

    h.images.options.latencyMs = [50, 200];
    await h.startBot();
    await h.discord.waitFor(() => jobs()[0]?.status === 'done', 90_000, 'the resumed job done');
    const resumed = jobs()[0]!;
    expect(resumed.attempts).toBe(0); // a clean stop: checkpointed, not counted
    // The narrations came from the cache, the images (never finished) were asked for again.
    expect(h.voices.record.length - cold.voices).toBe(0);
    expect(h.images.record.length - cold.images).toBe(2);
    expect(resumed.sceneResults?.map((s) => [s.voice.cached, s.image.cached])).toEqual([
      [true, false],
      [true, false],
    ]);
    // 2 images + 2 narrations, and what a "Redo a scene…" reuses: the 2 scene clips (issue 13)
    // and the soundtrack (one entry, whether or not it was kept before the stop too).
    expect(cacheEntries(h.dataDir)).toBe(7);
  }, 240_000);
});
