/**
 * A job's message in the member's language, end to end through the real bot and the fake Discord:
 * /story from a member whose Discord is in German ends with a German embed and German buttons
 * (and worked in German: the progress edits carry a German Cancel), Japanese likewise; a language
 * we have no messages for falls back to the server's, and with neither, to English. A Re-run keeps
 * the language its job was made in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIEmbed } from 'discord.js';
import { snowflake } from '../fakes/discord/snowflakes.js';
import { startHarness, lastEmbed, STORY, type Harness } from '../support/bot-harness.js';
import { translator } from '../../src/i18n/translate.js';
import type { ReplyLocale } from '../../src/i18n/locales.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

interface Case {
  name: string;
  extra: Record<string, unknown>;
  expected: ReplyLocale;
}

const CASES: Case[] = [
  { name: 'de', extra: { locale: 'de', guild_locale: 'en-US' }, expected: 'de' },
  { name: 'ja', extra: { locale: 'ja', guild_locale: 'en-US' }, expected: 'ja' },
  { name: 'sv-SE in a French server', extra: { locale: 'sv-SE', guild_locale: 'fr' }, expected: 'fr' },
  { name: 'sv-SE in a Finnish server', extra: { locale: 'sv-SE', guild_locale: 'fi' }, expected: 'en' },
];

type Row = { components: { label?: string; custom_id?: string; placeholder?: string }[] };
const labelsOf = (components: unknown[]) => (components as Row[]).flatMap((r) => r.components.map((c) => c.label ?? c.placeholder));

const jobOf = (userId: string) => h.bot.history.recent({ guildId: h.guilds[0]!.id, limit: 20 }).filter((j) => j.userId === userId);

/** The finished message says it all in `locale`: the embed's words, the buttons, the redo menu. */
function expectFinishedIn(token: string, userId: string, locale: ReplyLocale) {
  const t = translator(locale);
  const [message] = h.discord.messages(token);
  const embed = lastEmbed(h, token) as APIEmbed;
  expect(embed.description).toContain(t('result.ready', { user: `<@${userId}>` }));
  expect(embed.fields!.slice(0, 5).map((f) => f.name)).toEqual([
    t('result.scenes'),
    t('result.length'),
    t('result.madeIn'),
    t('result.size'),
    t('result.madeWith'),
  ]);
  expect(labelsOf(message!.components)).toEqual([
    t('result.rerun'),
    t('result.newImages'),
    t('result.subtitles'),
    t('result.delete'),
    t('result.redoPlaceholder'),
  ]);
  // While it worked, its Cancel button spoke the same language.
  const edits = h.discord.record.filter((r) => r.route === 'edit' && r.token === token);
  const working = edits.filter((e) => JSON.stringify(e.json?.components ?? []).includes('sr:cancel:'));
  expect(working.length).toBeGreaterThan(0);
  for (const e of working) expect(labelsOf(e.json!.components as unknown[])).toEqual([t('progress.cancel')]);
}

describe("a job's message in the member's language", () => {
  const runs = CASES.map((c) => ({ ...c, user: { id: snowflake(), username: `m-${c.expected}` }, token: '' }));

  it('de, ja, the server’s French, else English: the embed and the buttons', async () => {
    const g = h.guilds[0]!;
    for (const run of runs) {
      run.token = h.discord.sendSlash({
        guildId: g.id,
        channelId: g.channel,
        user: run.user,
        name: 'story',
        options: [
          { name: 'story', type: 3, value: STORY },
          { name: 'scenes', type: 4, value: 1 },
        ],
        extra: run.extra,
      }).token;
    }
    for (const run of runs) {
      await h.discord.waitFor(() => jobOf(run.user.id)[0]?.status === 'done', 120_000, `${run.name}'s video`);
    }
    for (const run of runs) {
      expect(jobOf(run.user.id)[0]!.options.locale, run.name).toBe(run.expected);
      expectFinishedIn(run.token, run.user.id, run.expected);
    }
    // Not English where it should not be, English where it should.
    expect(lastEmbed(h, runs[0]!.token)?.fields?.[0]?.name).toBe('Szenen');
    expect(lastEmbed(h, runs[1]!.token)?.fields?.[0]?.name).toBe('シーン数');
    expect(lastEmbed(h, runs[2]!.token)?.fields?.[0]?.name).toBe('Scènes');
    expect(lastEmbed(h, runs[3]!.token)?.fields?.[0]?.name).toBe('Scenes');
  }, 300_000);

  it('a Re-run keeps the language its job was made in', async () => {
    const g = h.guilds[0]!;
    const de = runs[0]!;
    const parent = jobOf(de.user.id)[0]!;
    const messageId = h.discord.messages(de.token)[0]!.id;
    // The button's interaction comes from an English client: the job's own language wins.
    const { token } = h.discord.sendButton({
      guildId: g.id,
      channelId: g.channel,
      user: de.user,
      customId: `sr:rerun:${parent.id}`,
      messageId,
    });
    await h.discord.waitFor(() => jobOf(de.user.id).some((j) => j.kind === 'rerun' && j.status === 'done'), 120_000, 'the re-run');
    expect(jobOf(de.user.id).find((j) => j.kind === 'rerun')!.options.locale).toBe('de');
    expectFinishedIn(token, de.user.id, 'de');
  }, 150_000);

  it('a reply to a button is in the language of whoever pressed it', async () => {
    const g = h.guilds[0]!;
    const de = runs[0]!;
    const job = jobOf(de.user.id).find((j) => j.kind === 'story')!;
    const messageId = h.discord.messages(de.token)[0]!.id;
    const press = (user: { id: string; username: string }, action: string, extra: Record<string, unknown>) =>
      h.discord.sendButton({ guildId: g.id, channelId: g.channel, user, customId: `sr:${action}:${job.id}`, messageId, extra });
    const replyOf = async (interactionId: string) => {
      await h.discord.waitFor(() => h.discord.callbacks(interactionId).length > 0);
      return (h.discord.callbacks(interactionId)[0] as { data?: { content?: string; flags?: number } }).data!;
    };
    // A Japanese stranger presses Re-run on a German member's video: refused privately, in Japanese.
    const stranger = { id: snowflake(), username: 'kenji' };
    const refused = await replyOf(press(stranger, 'rerun', { locale: 'ja' }).interactionId);
    const ja = translator('ja');
    expect(refused).toMatchObject({
      flags: 64,
      content: ja('jobs.notYours', { owner: `<@${de.user.id}>`, action: ja('jobs.actions.doThat') }),
    });
    // The subtitles come with a Korean line for a Korean client, a French one for a French client.
    expect((await replyOf(press(stranger, 'subtitles', { locale: 'ko' }).interactionId)).content).toBe(
      translator('ko')('jobs.subtitlesHere'),
    );
    expect((await replyOf(press(stranger, 'subtitles', { locale: 'fr' }).interactionId)).content).toBe(
      translator('fr')('jobs.subtitlesHere'),
    );
  }, 60_000);
});
