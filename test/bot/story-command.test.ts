/** /story through the real discord.js client and a fake Discord, with real ffmpeg and SQLite. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snowflake } from '../fakes/discord/snowflakes.js';
import { startHarness, lastEmbed, STORY, type Harness } from '../support/bot-harness.js';
import { probeMedia } from '../../src/media/probe.js';
import { resolveFfmpeg } from '../../src/media/binaries.js';
import { TEST_KEYS } from '../support/provider-config.js';

let h: Harness;
afterEach(async () => h?.close());

const alice = { id: snowflake(), username: 'alice' };
const slash = (options: { name: string; type: number; value: unknown }[], extra: Record<string, unknown> = {}) =>
  h.discord.sendSlash({ guildId: h.guilds[0]!.id, channelId: h.guilds[0]!.channel, user: alice, name: 'story', options, ...extra });

describe('/story end to end', () => {
  it('defers, shows progress in one throttled embed, and uploads an MP4 within the limit', async () => {
    h = await startHarness();
    const limit = 3_000_000;
    const { token, interactionId } = slash(
      [
        { name: 'story', type: 3, value: STORY },
        { name: 'scenes', type: 4, value: 2 },
      ],
      { attachmentSizeLimit: limit },
    );
    await h.discord.waitFor(() => h.bot.history.recent({ guildId: h.guilds[0]!.id, limit: 1 })[0]?.status === 'done', 60_000);
    expect(h.discord.callbacks(interactionId)[0]).toMatchObject({ type: 5 });

    const [message] = h.discord.messages(token);
    const file = message!.files[0]!;
    expect(file.name).toBe('story.mp4');
    expect(file.bytes.length).toBeLessThanOrEqual(limit);
    const dir = await mkdtemp(join(tmpdir(), 'sr-upload-'));
    await writeFile(join(dir, 'u.mp4'), file.bytes);
    const info = await probeMedia(resolveFfmpeg().ffprobe, join(dir, 'u.mp4')).finally(() => rm(dir, { recursive: true, force: true }));
    expect(info.video?.codec).toBe('h264');
    expect(info.audio?.codec).toBe('aac');

    // The embed went from working to done, in one message; edits stayed within the throttle.
    const edits = h.discord.record.filter((r) => r.route === 'edit' && r.token === token);
    const descriptions = edits.map((e) => (e.json?.embeds as { description?: string }[] | undefined)?.[0]?.description ?? '');
    expect(descriptions.some((d) => /`01` 🖼️/.test(d))).toBe(true);
    expect(lastEmbed(h, token)?.description).toMatch(/Ready, for <@/);
    expect(lastEmbed(h, token)?.fields?.find((f) => f.name === 'Scenes')?.value).toBe('2');
    const spanSeconds = (edits.at(-1)!.at - edits[0]!.at) / 1000;
    expect(edits.length).toBeLessThanOrEqual(Math.ceil(spanSeconds / 1.5) + 3);
    const buttons = JSON.stringify(message!.components);
    expect(buttons).toMatch(/sr:rerun:/);
    expect(buttons).toMatch(/sr:images:/);
    expect(buttons).toMatch(/sr:delete:/);

    // History has the job, done, with its message id and seeds; no secret is stored or logged.
    const [job] = h.bot.history.recent({ guildId: h.guilds[0]!.id, limit: 5 });
    expect(job).toMatchObject({ status: 'done', userId: alice.id, messageIds: { original: message!.id } });
    expect(job!.seeds).toHaveLength(2);
    await h.bot.stop();
    // Closed: everything is checkpointed into the main file.
    const db = readFileSync(join(h.dataDir, 'storyreel.sqlite')).toString('latin1');
    for (const secret of [h.discord.token, ...Object.values(TEST_KEYS)]) {
      expect(db).not.toContain(secret);
      expect(h.logs.join('\n')).not.toContain(secret);
    }
  });

  it('without story text it opens a modal, and the modal starts the job', async () => {
    h = await startHarness();
    const { interactionId } = slash([{ name: 'aspect', type: 3, value: '1:1' }]);
    await h.discord.waitFor(() => h.discord.callbacks(interactionId).length > 0);
    const modal = h.discord.callbacks(interactionId)[0] as { type: number; data: { custom_id: string } };
    expect(modal.type).toBe(9);
    expect(modal.data.custom_id).toBe('sr:modal:1:1|||');
    const { token } = h.discord.sendModalSubmit({
      guildId: h.guilds[0]!.id,
      channelId: h.guilds[0]!.channel,
      user: alice,
      customId: modal.data.custom_id,
      fields: { story: STORY },
    });
    await h.discord.waitFor(() => h.bot.history.recent({ guildId: h.guilds[0]!.id, limit: 1 })[0]?.status === 'done', 60_000);
    expect(h.discord.messages(token)[0]?.files[0]?.name).toBe('story.mp4');
    const [job] = h.bot.history.recent({ guildId: h.guilds[0]!.id, limit: 1 });
    expect(job).toMatchObject({ status: 'done', options: { aspect: '1:1' } });
  });
});

describe('/story with invalid options', () => {
  let bot: Harness;
  beforeAll(async () => {
    bot = await startHarness();
  });
  afterAll(async () => bot.close());

  it.each([
    ['an empty story', [{ name: 'story', type: 3, value: '   ' }], /story is empty/],
    ['a story over 20,000 characters', [{ name: 'story', type: 3, value: 'x'.repeat(20_001) }], /too long/],
    [
      '0 scenes',
      [
        { name: 'story', type: 3, value: STORY },
        { name: 'scenes', type: 4, value: 0 },
      ],
      /Scenes must be from 1 to 20/,
    ],
    [
      '25 scenes',
      [
        { name: 'story', type: 3, value: STORY },
        { name: 'scenes', type: 4, value: 25 },
      ],
      /Scenes must be from 1 to 20/,
    ],
    [
      'aspect 4:3',
      [
        { name: 'story', type: 3, value: STORY },
        { name: 'aspect', type: 3, value: '4:3' },
      ],
      /Aspect must be one of 9:16, 16:9, 1:1/,
    ],
    [
      'an unknown style',
      [
        { name: 'story', type: 3, value: STORY },
        { name: 'style', type: 3, value: 'vaporwave' },
      ],
      /Style must be one of/,
    ],
    [
      'an unknown voice',
      [
        { name: 'story', type: 3, value: STORY },
        { name: 'voice', type: 3, value: 'robot' },
      ],
      /Voice must be one of/,
    ],
  ])('%s gets an ephemeral reply saying what to change', async (_name, options, message) => {
    const { interactionId } = bot.discord.sendSlash({
      guildId: bot.guilds[0]!.id,
      channelId: bot.guilds[0]!.channel,
      user: alice,
      name: 'story',
      options,
    });
    await bot.discord.waitFor(() => bot.discord.callbacks(interactionId).length > 0);
    const reply = bot.discord.callbacks(interactionId)[0] as { type: number; data: { content: string; flags: number } };
    expect(reply.type).toBe(4);
    expect(reply.data.flags & 64).toBe(64);
    expect(reply.data.content).toMatch(message);
    expect(bot.bot.history.recent({ guildId: bot.guilds[0]!.id, limit: 10 })).toHaveLength(0);
  });
});
