/**
 * A user-installed app may send 5 follow-ups to one interaction: followUpWithin counts them and,
 * past that, edits the reply instead. Real discord.js over the fake Discord, in a DM.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Events, type Interaction } from 'discord.js';
import { snowflake } from '../fakes/discord/snowflakes.js';
import { startHarness, type Harness } from '../support/bot-harness.js';
import { followUpsSent, followUpWithin, MAX_FOLLOW_UPS } from '../../src/bot/follow-ups.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

describe('followUpWithin', () => {
  it('sends 5 follow-ups to one interaction, then edits its reply', async () => {
    const outcomes: string[] = [];
    const done = new Promise<void>((resolve, reject) => {
      // A menu the bot's router leaves alone: this test answers it.
      const listener = async (interaction: Interaction) => {
        if (!interaction.isStringSelectMenu() || interaction.customId !== 'test:probe') return;
        h.bot.client.off(Events.InteractionCreate, listener);
        try {
          await interaction.deferReply();
          for (let i = 1; i <= MAX_FOLLOW_UPS + 2; i++) outcomes.push(await followUpWithin(interaction, { content: `note ${i}` }));
          expect(followUpsSent(interaction)).toBe(MAX_FOLLOW_UPS);
          resolve();
        } catch (error) {
          reject(error);
        }
      };
      h.bot.client.on(Events.InteractionCreate, listener);
    });
    const { token } = h.discord.sendSelect({
      guildId: h.guilds[0]!.id,
      channelId: snowflake(),
      context: 1,
      user: { id: snowflake(), username: 'kit' },
      customId: 'test:probe',
      values: ['x'],
      messageId: snowflake(),
    });
    await done;
    expect(outcomes).toEqual([...Array(MAX_FOLLOW_UPS).fill('follow-up'), 'edited', 'edited']);
    expect(h.discord.record.filter((c) => c.token === token && c.route === 'followup')).toHaveLength(MAX_FOLLOW_UPS);
    expect(h.discord.messages(token)[0]!.content).toBe(`note ${MAX_FOLLOW_UPS + 2}`);
  });
});
