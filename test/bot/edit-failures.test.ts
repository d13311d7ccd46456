/**
 * A job whose message edits keep failing (Discord answering 500) says so in the log once per job
 * and kind of failure (issue 12, item 15), not once per edit; the failure never takes the bot down.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snowflake } from '../fakes/discord/snowflakes.js';
import { startHarness, type Harness } from '../support/bot-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ editIntervalMs: 100 });
});
afterAll(async () => h?.close());

describe('failed message edits', () => {
  it('are logged once per job and kind, however many edits fail', async () => {
    const g = h.guilds[0]!;
    h.discord.failNext({ route: 'edit', status: 500, times: 10_000 });
    h.discord.sendSlash({
      guildId: g.id,
      channelId: g.channel,
      user: { id: snowflake(), username: 'e' },
      name: 'story',
      options: [
        { name: 'story', type: 3, value: 'The bell rang. The town woke. The baker sang.' },
        { name: 'scenes', type: 4, value: 3 },
      ],
    });
    await h.discord.waitFor(
      () => ['failed', 'done'].includes(h.bot.history.recent({ guildId: g.id, limit: 1 })[0]?.status ?? ''),
      120_000,
      'the job to end',
    );
    const failedEdits = h.discord.record.filter((r) => r.route === 'edit' && r.status === 500).length;
    expect(failedEdits).toBeGreaterThan(3);
    const job = h.bot.history.recent({ guildId: g.id, limit: 1 })[0]!;
    const lines = h.logs.filter((l) => l.includes(`job ${job.id}: a message edit failed`));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/further failures of this kind are not logged/);
  }, 180_000);
});
