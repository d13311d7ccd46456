/**
 * Issue 23, item 5: /story where only the member installed the app (a DM with the bot, a group DM,
 * a server that has not added the bot) delivers its video by editing the interaction's reply
 * through its webhook: the fake refuses the bot token in such a channel (403/50001), and the
 * record shows it was never tried. Real discord.js over the fake Discord, real SQLite and ffmpeg.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snowflake } from '../fakes/discord/snowflakes.js';
import type { InteractionBase } from '../fakes/discord/payloads.js';
import { startHarness, STORY, type Harness } from '../support/bot-harness.js';
import { deployCommands } from '../../src/bot/deploy-commands.js';
import { jobButtonId } from '../../src/discord/custom-ids.js';

let h: Harness;
const fern = { id: snowflake(), username: 'fern' };

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

/** Sends /story from `where` and waits until its reply carries the video (or the job ends without one). */
async function storyFrom(where: Omit<InteractionBase, 'user'>, tale: string) {
  const sent = h.discord.sendSlash({
    ...where,
    user: fern,
    name: 'story',
    options: [
      { name: 'story', type: 3, value: `${tale} ${STORY}` },
      { name: 'scenes', type: 4, value: 1 },
    ],
  });
  await h.discord.waitFor(
    () => h.discord.messages(sent.token)[0]?.files.some((f) => f.name === 'story.mp4') ?? false,
    90_000,
    'the video in the reply',
  );
  // One story at a time per member: the next test's waits for this one's end.
  await h.discord.waitFor(() => h.bot.history.recent({ guildId: `user:${fern.id}`, limit: 1 })[0]?.status === 'done');
  return sent;
}

/** Requests into this channel with the bot token (posts or edits of channel messages). */
const botTokenCallsIn = (channelId: string) => h.discord.record.filter((c) => c.route === 'channelMessage' && c.path.includes(channelId));

describe('/story where only the member installed the app', () => {
  it('in a DM with the bot (context 1): the video arrives in the original reply, the bot token never posts', async () => {
    const dm = snowflake();
    const { token } = await storyFrom({ guildId: h.guilds[0]!.id, channelId: dm, context: 1 }, 'A DM tale.');
    const reply = h.discord.messages(token)[0]!;
    expect(reply.webhook_id).toBe(h.discord.applicationId);
    expect(reply.files.find((f) => f.name === 'story.mp4')!.bytes.length).toBeGreaterThan(1000);
    expect(h.discord.messages(token)).toHaveLength(1);
    expect(botTokenCallsIn(dm)).toEqual([]);
    expect(h.bot.history.recent({ guildId: `user:${fern.id}`, limit: 1 })[0]).toMatchObject({ channelId: dm, userId: fern.id });
  });

  it("the DM video's buttons work there: Subtitles answers privately, Re-run delivers a new video in its own reply", async () => {
    const job = h.bot.history.recent({ guildId: `user:${fern.id}`, limit: 1 })[0]!;
    const where = {
      guildId: h.guilds[0]!.id,
      channelId: job.channelId,
      context: 1 as const,
      user: fern,
      messageId: job.messageIds.original!,
    };
    const subtitles = h.discord.sendButton({ ...where, customId: jobButtonId('subtitles', job.id) });
    await h.discord.waitFor(() => h.discord.messages(subtitles.token).length > 0);
    expect(h.discord.messages(subtitles.token)[0]!.files.map((f) => f.name)).toEqual([expect.stringMatching(/\.srt$/)]);
    const rerun = h.discord.sendButton({ ...where, customId: jobButtonId('rerun', job.id) });
    await h.discord.waitFor(
      () => h.discord.messages(rerun.token)[0]?.files.some((f) => f.name === 'story.mp4') ?? false,
      90_000,
      'the re-run',
    );
    await h.discord.waitFor(() => h.bot.history.recent({ guildId: `user:${fern.id}`, limit: 1 })[0]?.status === 'done');
    expect(h.bot.history.recent({ guildId: `user:${fern.id}`, limit: 1 })[0]).toMatchObject({ kind: 'rerun', parentJobId: job.id });
    expect(botTokenCallsIn(job.channelId)).toEqual([]);
  });

  it('in a group DM (context 2)', async () => {
    const group = snowflake();
    const { token } = await storyFrom({ guildId: h.guilds[0]!.id, channelId: group, context: 2 }, 'A group tale.');
    expect(h.discord.messages(token)[0]!.files.some((f) => f.name === 'story.mp4')).toBe(true);
    expect(botTokenCallsIn(group)).toEqual([]);
    expect(h.bot.history.recent({ guildId: `user:${fern.id}`, limit: 1 })[0]?.channelId).toBe(group);
  });

  it('in a server that has not added the bot (authorizing_integration_owners only {"1": user})', async () => {
    const elsewhere = { guildId: snowflake(), channelId: snowflake(), userInstall: true };
    const { token } = await storyFrom(elsewhere, 'A foreign tale.');
    expect(h.discord.messages(token)[0]!.files.some((f) => f.name === 'story.mp4')).toBe(true);
    expect(botTokenCallsIn(elsewhere.channelId)).toEqual([]);
    // The member's own line and history, not that server's.
    expect(h.bot.history.recent({ guildId: `user:${fern.id}`, limit: 1 })[0]?.channelId).toBe(elsewhere.channelId);
    expect(h.bot.history.recent({ guildId: elsewhere.guildId, limit: 5 })).toEqual([]);
  });

  it("/history in a DM lists the member's own stories", async () => {
    const { interactionId } = h.discord.sendSlash({
      guildId: h.guilds[0]!.id,
      channelId: snowflake(),
      context: 1,
      user: fern,
      name: 'history',
    });
    await h.discord.waitFor(() => h.discord.callbacks(interactionId).length > 0);
    const content = (h.discord.callbacks(interactionId)[0] as { data: { content: string } }).data.content;
    expect(content).toMatch(/A DM tale/);
    expect(content).toMatch(/A group tale/);
    expect(content).toMatch(/A foreign tale/);
    // A DM's message link has no server in it.
    expect(content).toMatch(/\(https:\/\/discord\.com\/channels\/@me\/\d+\/\d+\)/);
  });
});

describe('npm run deploy-commands', () => {
  it('registers /story and /history for server and user installs, in servers, the bot DM and group DMs', async () => {
    await deployCommands({ token: h.discord.token, applicationId: h.discord.applicationId, apiBase: h.discord.apiBase });
    const body = h.discord.commands.at(-1)!.body as { name: string; integration_types?: number[]; contexts?: number[] }[];
    for (const name of ['story', 'history']) {
      const command = body.find((c) => c.name === name)!;
      expect(command.integration_types).toEqual([0, 1]);
      expect(command.contexts).toEqual([0, 1, 2]);
    }
    // A dev server's commands (DISCORD_DEV_GUILD_ID) live there only: sent without them.
    await deployCommands({
      token: h.discord.token,
      applicationId: h.discord.applicationId,
      guildId: h.guilds[0]!.id,
      apiBase: h.discord.apiBase,
    });
    const inGuild = h.discord.commands.at(-1)!.body as { integration_types?: number[]; contexts?: number[] }[];
    expect(inGuild.every((c) => c.integration_types === undefined && c.contexts === undefined)).toBe(true);
  });
});
