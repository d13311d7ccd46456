/** The bot on Discord's bad days, and across a restart. */
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { snowflake } from '../fakes/discord/snowflakes.js';
import { JobHistory } from '../../src/store/job-history.js';
import { startHarness, STORY, type Harness } from '../support/bot-harness.js';

let h: Harness;
afterEach(async () => h?.close());

const user = { id: snowflake(), username: 'carol' };
const start = (
  options: { name: string; type: number; value: unknown }[] = [
    { name: 'story', type: 3, value: STORY },
    { name: 'scenes', type: 4, value: 2 },
  ],
  attachmentSizeLimit?: number,
) => h.discord.sendSlash({ guildId: h.guilds[0]!.id, channelId: h.guilds[0]!.channel, user, name: 'story', options, attachmentSizeLimit });
const job = () => h.bot.history.recent({ guildId: h.guilds[0]!.id, limit: 1 })[0];
const embedText = (m: { embeds: unknown[] } | undefined) => JSON.stringify(m?.embeds ?? []);

describe('bot resilience', () => {
  it('a restart in the middle of a job: it is paused, resumed by the new process, and completes', async () => {
    h = await startHarness();
    h.images.options.latencyMs = 2500;
    const { token } = start();
    await h.discord.waitFor(() => job()?.status === 'running');
    await h.bot.stop();
    const between = new JobHistory(join(h.dataDir, 'storyreel.sqlite'));
    // A clean stop checkpoints it back in line, without counting a resume.
    expect(between.recent({ guildId: h.guilds[0]!.id, limit: 1 })[0]).toMatchObject({ status: 'queued', attempts: 0 });
    between.close();
    expect(embedText(h.discord.messages(token)[0])).toMatch(/will resume/);

    h.images.options.latencyMs = [50, 200];
    await h.startBot();
    await h.discord.waitFor(() => job()?.status === 'done', 60_000);
    const resumed = job()!;
    expect(resumed.attempts).toBe(0);
    // The new process edits the same reply with the bot token (issue 12.5): no second message.
    const reply = h.discord.messages(token)[0]!;
    expect(reply.id).toBe(resumed.messageIds.original);
    expect(reply.files[0]?.name).toBe('story.mp4');
    expect(embedText(reply)).toMatch(/Ready, for/);
    expect(h.discord.channelMessages(h.guilds[0]!.channel)).toHaveLength(0);
    expect(resumed.messageIds.channelMessage).toBeUndefined();
    expect(h.logs.join('\n')).toMatch(/resumed 1 unfinished job/);
  });

  it('a job that cannot be resumed (no access to its channel) is marked interrupted, with the reason', async () => {
    h = await startHarness();
    h.images.options.latencyMs = 2500;
    start();
    await h.discord.waitFor(() => job()?.status === 'running');
    await h.bot.stop();
    h.discord.denyChannel(h.guilds[0]!.channel);
    await h.startBot();
    expect(job()).toMatchObject({ status: 'interrupted' });
    expect(job()!.error).toMatch(/could not resume: The bot lacks permission/);
  });

  it('an expired interaction token: the reply is edited with the bot token, and the log says so', async () => {
    h = await startHarness();
    h.images.options.latencyMs = 800;
    const { token } = start();
    await h.discord.waitFor(() => job()?.status === 'running');
    h.discord.expireToken(token);
    await h.discord.waitFor(() => job()?.status === 'done', 60_000);
    const reply = h.discord.messages(token)[0]!;
    expect(reply.files[0]?.name).toBe('story.mp4');
    expect(
      h.discord.record.some((r) => r.route === 'channelMessage' && r.method === 'PATCH' && r.path.endsWith(reply.id) && r.files.length > 0),
    ).toBe(true);
    expect(h.discord.channelMessages(h.guilds[0]!.channel)).toHaveLength(0);
    expect(h.logs.join('\n')).toMatch(/interaction token expired; editing its message in the channel with the bot token/);
  });

  it('no permission in the channel after the token expired: reported once, clearly, and the job is failed', async () => {
    h = await startHarness();
    h.images.options.latencyMs = 800;
    const { token } = start();
    await h.discord.waitFor(() => job()?.status === 'running');
    h.discord.expireToken(token);
    h.discord.denyChannel(h.guilds[0]!.channel);
    await h.discord.waitFor(() => job()?.status === 'failed', 60_000);
    expect(job()!.error).toMatch(/lacks permission to post in this channel/);
    expect(h.logs.filter((l) => /cannot post in channel/.test(l))).toHaveLength(1);
  });

  it('429s on edits are waited out and the job still completes', async () => {
    h = await startHarness();
    h.discord.failNext({ route: 'edit', status: 429, retryAfter: 0.5, times: 3 });
    const { token } = start();
    await h.discord.waitFor(() => job()?.status === 'done', 60_000);
    const statuses = h.discord.record.filter((r) => r.route === 'edit' && r.token === token).map((r) => r.status);
    expect(statuses.filter((s) => s === 429)).toHaveLength(3);
    expect(h.discord.messages(token)[0]!.files[0]!.name).toBe('story.mp4');
  });

  it('an upload refused as too large (413/40005) becomes a clear message', async () => {
    h = await startHarness();
    h.discord.failNext({ route: 'upload', status: 413, code: 40005 });
    const { token } = start();
    await h.discord.waitFor(() => job()?.status === 'failed', 60_000);
    expect(job()!.error).toMatch(/over this server's upload limit/);
    expect(embedText(h.discord.messages(token)[0])).toMatch(/over this server's upload limit/);
  });

  it('a limit no video can fit: refused up front, privately, with what fits (nothing queued or recorded)', async () => {
    h = await startHarness();
    const { token, interactionId } = start(undefined, 30_000);
    await h.discord.waitFor(() => h.discord.callbacks(interactionId).length > 0);
    // 30,000 bytes cannot hold even a few seconds: refused before any image or voice is made.
    const cb = h.discord.callbacks(interactionId)[0] as { type: number; data: { content: string; flags: number } };
    expect(cb.type).toBe(4);
    expect(cb.data.flags & 64).toBe(64);
    expect(cb.data.content).toMatch(/The story is too long for a 29 KiB video: .* holds at most 0 min 1 s/);
    expect(job()).toBeUndefined();
    expect(h.discord.record.some((r) => r.token === token && r.files.length > 0)).toBe(false);
  });

  it('one active job per user: a second /story is refused ephemerally while the first runs', async () => {
    h = await startHarness();
    h.images.options.latencyMs = 1500;
    start();
    await h.discord.waitFor(() => job()?.status === 'running');
    const { interactionId } = start();
    await h.discord.waitFor(() => h.discord.callbacks(interactionId).length > 0);
    const cb = h.discord.callbacks(interactionId)[0] as { type: number; data: { content: string; flags: number } };
    expect(cb.type).toBe(4);
    expect(cb.data.content).toMatch(/already have a story in progress/);
  });
});
