/**
 * In worker mode the job's message is made by a render worker (another process, which never reads
 * SQLite): the member's language travels in the ticket, and the worker's embed and buttons speak it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIEmbed } from 'discord.js';
import { snowflake } from '../fakes/discord/snowflakes.js';
import { startFleet, waitForOutput, type Fleet } from '../support/fleet.js';
import { STORY } from '../support/bot-harness.js';
import { translator } from '../../src/i18n/translate.js';

let fleet: Fleet;
beforeAll(async () => {
  fleet = await startFleet({ guilds: 1 });
  await waitForOutput(fleet.discord, fleet.gateway(), /mode: redis/);
  await waitForOutput(fleet.discord, fleet.worker(), /render worker .* ready/);
}, 120_000);
afterAll(async () => fleet?.close());

type Row = { components: { label?: string; placeholder?: string }[] };
const labelsOf = (components: unknown[]) => (components as Row[]).flatMap((r) => r.components.map((c) => c.label ?? c.placeholder));

describe('the language travels with the job to a render worker', () => {
  it('/story from a Japanese client: the worker shows Japanese progress, embed and buttons', async () => {
    const guild = fleet.guilds[0]!;
    const user = { id: snowflake(), username: 'hana' };
    const { token } = fleet.discord.sendSlash({
      guildId: guild.id,
      channelId: guild.channel,
      user,
      name: 'story',
      options: [
        { name: 'story', type: 3, value: STORY },
        { name: 'scenes', type: 4, value: 1 },
      ],
      extra: { locale: 'ja', guild_locale: 'en-US' },
    });
    await fleet.discord.waitFor(() => fleet.jobs()[0]?.status === 'done', 120_000, 'the story done');
    expect(fleet.jobs()[0]!.options.locale).toBe('ja');
    const t = translator('ja');
    const message = fleet.discord.messages(token)[0]!;
    const embed = message.embeds.at(-1) as APIEmbed;
    expect(embed.description).toContain(t('result.ready', { user: `<@${user.id}>` }));
    expect(embed.fields?.[0]?.name).toBe('シーン数');
    expect(labelsOf(message.components)).toEqual([
      t('result.rerun'),
      t('result.newImages'),
      t('result.subtitles'),
      t('result.delete'),
      t('result.redoPlaceholder'),
    ]);
    const working = fleet.discord.record.filter(
      (r) => r.route === 'edit' && r.token === token && JSON.stringify(r.json?.components ?? []).includes('sr:cancel:'),
    );
    expect(working.length).toBeGreaterThan(0);
    for (const e of working) expect(labelsOf(e.json!.components as unknown[])).toEqual([t('progress.cancel')]);
  }, 200_000);
});
