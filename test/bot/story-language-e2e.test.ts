/**
 * /story in another language, end to end through the real bot: `language:` chosen (or detected,
 * with the Discord locale as a hint), a voice of that language asked of Inworld (its fake records
 * the voiceId), the result embed naming language and voice, and history keeping both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snowflake } from '../fakes/discord/snowflakes.js';
import { startHarness, type Harness } from '../support/bot-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

describe('/story in the story’s own language', () => {
  it('a Spanish story: a Spanish voice, the language in the result and in history', async () => {
    const g = h.guilds[0]!;
    const before = h.voices.record.length;
    const { token } = h.discord.sendSlash({
      guildId: g.id,
      channelId: g.channel,
      user: { id: snowflake(), username: 'ana' },
      name: 'story',
      options: [
        { name: 'story', type: 3, value: 'La niña encontró una linterna en la nieve. La llevó a casa y la encendió junto a la ventana.' },
        { name: 'scenes', type: 4, value: 1 },
        { name: 'captions', type: 3, value: 'plain' },
      ],
    });
    await h.discord.waitFor(() => h.discord.messages(token)[0]?.files.some((f) => f.name === 'story.mp4') ?? false, 90_000, 'the video');
    const voiceIds = h.voices.record.slice(before).map((r) => JSON.parse(r.body).voiceId as string);
    expect(voiceIds.length).toBeGreaterThan(0);
    expect(voiceIds.every((v) => ['Diego', 'Lupita', 'Miguel', 'Rafael'].includes(v))).toBe(true);
    expect(JSON.stringify(h.discord.messages(token)[0]!.embeds)).toMatch(/Spanish \(es\)/);
    await h.discord.waitFor(() => h.bot.history.recent({ guildId: g.id, limit: 1 })[0]?.status === 'done');
    const job = h.bot.history.recent({ guildId: g.id, limit: 1 })[0]!;
    expect(job.options.captions).toBe('plain');
    expect(job.result?.language).toBe('es');
    expect(job.result?.voices?.[0]).toBe(voiceIds[0]);
  }, 120_000);
});
