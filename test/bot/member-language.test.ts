/**
 * Replies in the member's language (issue 23, item 4), over the fake Discord with real discord.js:
 * the same refusal reads German for a member whose Discord is in German, Japanese in Japanese; a
 * member's language the bot has no file for falls back to the server's, and with neither, English.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snowflake } from '../fakes/discord/snowflakes.js';
import { startHarness, type Harness } from '../support/bot-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

type Locales = { locale: string; guild_locale?: string };
type Callback = { type: number; data?: { content?: string; flags?: number; title?: string; components?: unknown[] } };

function story(user: { id: string; username: string }, text: string | undefined, locales: Locales, attachmentSizeLimit?: number) {
  const g = h.guilds[0]!;
  return h.discord.sendSlash({
    guildId: g.id,
    channelId: g.channel,
    user,
    name: 'story',
    extra: { guild_locale: 'en-US', ...locales },
    attachmentSizeLimit,
    options: [...(text === undefined ? [] : [{ name: 'story', type: 3, value: text }]), { name: 'scenes', type: 4, value: 1 }],
  });
}
const member = (name: string) => ({ id: snowflake(), username: name });

/** The first answer to an interaction, once it has come. */
async function answer(interactionId: string): Promise<Callback> {
  await h.discord.waitFor(() => h.discord.callbacks(interactionId).length > 0, 30_000, 'an answer');
  return h.discord.callbacks(interactionId)[0] as Callback;
}
/** A private reply's text. */
async function privately(interactionId: string): Promise<string> {
  const cb = await answer(interactionId);
  expect(cb.type).toBe(4);
  expect((cb.data?.flags ?? 0) & 64).toBe(64);
  return cb.data?.content ?? '';
}

describe("refusals in the member's language", () => {
  it('an empty story: German for de, Japanese for ja, French for sv-SE in a French server, English when neither is ours', async () => {
    expect(await privately(story(member('de'), '   ', { locale: 'de' }).interactionId)).toBe(
      'Die Geschichte ist leer: Schreibe mindestens einen Satz.',
    );
    expect(await privately(story(member('ja'), '   ', { locale: 'ja' }).interactionId)).toBe(
      'ストーリーが空です。少なくとも 1 文は書いてください。',
    );
    expect(await privately(story(member('sv'), '   ', { locale: 'sv-SE', guild_locale: 'fr' }).interactionId)).toBe(
      'L’histoire est vide : écrivez au moins une phrase.',
    );
    expect(await privately(story(member('fi'), '   ', { locale: 'sv-SE', guild_locale: 'fi' }).interactionId)).toBe(
      'The story is empty: write at least one sentence.',
    );
  });

  it('a second /story while the first is in progress: refused in German, in Japanese, in English', async () => {
    const cases: [Locales, string][] = [
      [{ locale: 'de' }, 'Du hast bereits eine Geschichte in Arbeit: Warte, bis sie fertig ist, oder brich sie ab.'],
      [{ locale: 'ja' }, 'すでに作成中のストーリーがあります。完了を待つか、キャンセルしてください。'],
      [{ locale: 'sv-SE', guild_locale: 'fi' }, 'You already have a story in progress: wait for it to finish, or cancel it.'],
    ];
    const firsts: string[] = [];
    for (const [locales, expected] of cases) {
      const who = member(locales.locale);
      const first = story(who, 'A bird sang. Then it slept.', locales);
      expect((await answer(first.interactionId)).type).toBe(5);
      firsts.push(first.token);
      expect(await privately(story(who, 'A bird sang again. Then it flew.', locales).interactionId)).toBe(expected);
    }
    // Each member's first story still makes its video.
    await h.discord.waitFor(
      () => firsts.every((t) => h.discord.messages(t)[0]?.files.some((f) => f.name === 'story.mp4')),
      120_000,
      'the first videos',
    );
    // A stranger pressing Delete on the German member's video is told whose it is, in Japanese.
    const g = h.guilds[0]!;
    const message = h.discord.messages(firsts[0]!)[0]!;
    const job = h.bot.history.recent({ guildId: g.id, limit: 20 }).find((j) => j.messageIds.original === message.id)!;
    const press = h.discord.sendButton({
      guildId: g.id,
      channelId: g.channel,
      user: member('stranger'),
      extra: { locale: 'ja' },
      customId: `sr:delete:${job.id}`,
      messageId: message.id,
    });
    expect(await privately(press.interactionId)).toBe(
      `あなたのものではありません。それを行うことができるのは <@${job.userId}> かモデレーターだけです。/物語 で自分のものを作ってください。`,
    );
  }, 180_000);

  it("a story no video of the member's size limit can hold: the lengths in the member's language", async () => {
    const text = await privately(story(member('de'), 'The sea rose. The town slept.', { locale: 'de' }, 30_000).interactionId);
    expect(text).toMatch(/^Die Geschichte ist zu lang für ein Video mit 29 KiB: Sie ergibt mindestens \d+ Min\. \d+ Sek\. Erzählung/);
    expect(text).toContain('höchstens 0 Min. 1 Sek.');
  });

  it('a story file that is no text file: refused in German, with its name', async () => {
    const g = h.guilds[0]!;
    const id = snowflake();
    const url = `${h.discord.apiBase}/attachments/${id}/cover.png`;
    const sent = h.discord.sendSlash({
      guildId: g.id,
      channelId: g.channel,
      user: member('de-file'),
      name: 'story',
      extra: { locale: 'de' },
      options: [{ name: 'file', type: 11, value: id }],
      resolved: { attachments: { [id]: { id, filename: 'cover.png', size: 2048, url, proxy_url: url, content_type: 'image/png' } } },
    });
    expect(await privately(sent.interactionId)).toBe('Hänge die Geschichte als .txt- oder .md-Datei an (erhalten: „cover.png“).');
  });

  it('an option out of range and the form for a long story, in Japanese', async () => {
    const g = h.guilds[0]!;
    const bad = h.discord.sendSlash({
      guildId: g.id,
      channelId: g.channel,
      user: member('ja2'),
      name: 'story',
      extra: { locale: 'ja' },
      options: [
        { name: 'story', type: 3, value: 'A bird sang.' },
        { name: 'scenes', type: 4, value: 25 },
      ],
    });
    expect(await privately(bad.interactionId)).toBe('シーン数は 1 から 20 の間で指定してください。');
    const form = await answer(story(member('ja3'), undefined, { locale: 'ja' }).interactionId);
    expect(form.type).toBe(9);
    expect(form.data?.title).toBe('ストーリーを動画に');
    expect(JSON.stringify(form.data?.components)).toContain('あなたのストーリー');
  });
});
