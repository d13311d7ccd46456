/** /history over the fake Discord, and command registration through the REST API. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snowflake } from '../fakes/discord/snowflakes.js';
import { PERMISSIONS } from '../fakes/discord/server.js';
import { startHarness, STORY, type Harness } from '../support/bot-harness.js';
import { deployCommands } from '../../src/bot/deploy-commands.js';

let h: Harness;
const dana = { id: snowflake(), username: 'dana' };
const erin = { id: snowflake(), username: 'erin' };
const base = (user: typeof dana, memberPermissions?: string) => ({
  guildId: h.guilds[0]!.id,
  channelId: h.guilds[0]!.channel,
  user,
  memberPermissions,
});

beforeAll(async () => {
  h = await startHarness();
  for (const user of [dana, erin]) {
    h.discord.sendSlash({
      ...base(user),
      name: 'story',
      options: [
        { name: 'story', type: 3, value: `${user.username}'s tale. ${STORY}` },
        { name: 'scenes', type: 4, value: 1 },
      ],
    });
  }
  await h.discord.waitFor(() => {
    const jobs = h.bot.history.recent({ guildId: h.guilds[0]!.id, limit: 5 });
    return jobs.length === 2 && jobs.every((j) => j.status === 'done');
  }, 60_000);
});
afterAll(async () => h?.close());

function reply(interactionId: string) {
  return h.discord.callbacks(interactionId)[0] as {
    type: number;
    data: { content: string; flags: number; components?: { components: { custom_id: string; options: { value: string }[] }[] }[] };
  };
}

describe('/history', () => {
  it("shows the caller's own jobs with status and a link, ephemerally, with a re-run menu", async () => {
    const { interactionId } = h.discord.sendSlash({ ...base(dana), name: 'history' });
    await h.discord.waitFor(() => h.discord.callbacks(interactionId).length > 0);
    const r = reply(interactionId);
    expect(r.data.flags & 64).toBe(64);
    expect(r.data.content).toMatch(/^✅ \[dana's tale/);
    expect(r.data.content).toMatch(/\(https:\/\/discord\.com\/channels\/\d+\/\d+\/\d+\)/);
    expect(r.data.content).not.toMatch(/erin/);
    expect(r.data.components?.[0]?.components[0]?.custom_id).toBe('sr:history');
  });

  it("everyone's jobs need Manage Server", async () => {
    const refused = h.discord.sendSlash({ ...base(dana), name: 'history', options: [{ name: 'everyone', type: 5, value: true }] });
    await h.discord.waitFor(() => h.discord.callbacks(refused.interactionId).length > 0);
    expect(reply(refused.interactionId).data.content).toMatch(/needs the Manage Server permission/);
    const allowed = h.discord.sendSlash({
      ...base(dana, PERMISSIONS.manageGuild),
      name: 'history',
      options: [{ name: 'everyone', type: 5, value: true }],
    });
    await h.discord.waitFor(() => h.discord.callbacks(allowed.interactionId).length > 0);
    const content = reply(allowed.interactionId).data.content;
    expect(content).toMatch(/dana's tale/);
    expect(content).toMatch(/erin's tale/);
  });

  it("picking a job in the menu re-runs it; picking someone else's is refused", async () => {
    const mine = h.bot.history.recent({ guildId: h.guilds[0]!.id, userId: dana.id, limit: 1 })[0]!;
    const theirs = h.bot.history.recent({ guildId: h.guilds[0]!.id, userId: erin.id, limit: 1 })[0]!;
    const refused = h.discord.sendSelect({ ...base(dana), customId: 'sr:history', values: [theirs.id], messageId: snowflake() });
    await h.discord.waitFor(() => h.discord.callbacks(refused.interactionId).length > 0);
    expect(reply(refused.interactionId).data.content).toMatch(/^Not yours/);
    const { token } = h.discord.sendSelect({ ...base(dana), customId: 'sr:history', values: [mine.id], messageId: snowflake() });
    await h.discord.waitFor(() => h.discord.messages(token)[0]?.files.some((f) => f.name === 'story.mp4') ?? false, 60_000);
    await h.discord.waitFor(() => h.bot.history.recent({ guildId: h.guilds[0]!.id, userId: dana.id, limit: 1 })[0]?.status === 'done');
    expect(h.bot.history.recent({ guildId: h.guilds[0]!.id, userId: dana.id, limit: 1 })[0]).toMatchObject({
      kind: 'rerun',
      parentJobId: mine.id,
    });
  });
});

describe('npm run deploy-commands', () => {
  it('registers every command in commands/ to one guild, or globally', async () => {
    const guildNames = await deployCommands({
      token: h.discord.token,
      applicationId: h.discord.applicationId,
      guildId: h.guilds[0]!.id,
      apiBase: h.discord.apiBase,
    });
    expect(guildNames.sort()).toEqual(['history', 'settings', 'story', 'usage']);
    await deployCommands({ token: h.discord.token, applicationId: h.discord.applicationId, apiBase: h.discord.apiBase });
    expect(h.discord.commands.map((c) => c.scope)).toEqual([h.guilds[0]!.id, 'global']);
    const story = (h.discord.commands[0]!.body as { name: string; options: { name: string; max_length?: number }[] }[]).find(
      (c) => c.name === 'story',
    )!;
    expect(story.options.find((o) => o.name === 'story')?.max_length).toBe(6000);
  });
});
