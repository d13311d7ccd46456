/**
 * A server's settings at admission, for /story and its form: where, who, how long, how many
 * scenes, blocked words. Every refusal is private and comes before anything is admitted or any
 * provider is asked (the Pollinations and Inworld fakes see nothing).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, historyPath, STORY, type Harness } from '../support/bot-harness.js';
import { GuildSettingsStore, type GuildSettings } from '../../src/store/guild-settings.js';
import { firstAnswer, member, privateReply, sendStory } from '../support/settings-slash.js';
import { snowflake } from '../fakes/discord/snowflakes.js';

let h: Harness;
let store: GuildSettingsStore;
beforeAll(async () => {
  h = await startHarness();
  // A second connection to the bot's file, as another process would have.
  store = new GuildSettingsStore(historyPath(h));
});
afterAll(async () => {
  store?.close();
  await h?.close();
});

const guildId = () => h.guilds[0]!.id;
const set = (settings: Partial<GuildSettings>) =>
  store.update(guildId(), () => ({ defaults: {}, limits: {}, channels: [], blockedWords: [], ...settings }));
const jobs = () => h.bot.history.recent({ guildId: guildId(), limit: 50 });
const providerCalls = () => h.images.record.length + h.voices.record.length;
const story = (text: string, more: { name: string; type: number; value: unknown }[] = []) => [
  { name: 'story', type: 3, value: text },
  ...more,
];

/** The refusal a member gets, checking that nothing was admitted or asked of a provider meanwhile. */
async function refused(send: () => { interactionId: string }): Promise<string> {
  const before = { jobs: jobs().length, calls: providerCalls() };
  const text = await privateReply(h, send().interactionId);
  expect(jobs().length).toBe(before.jobs);
  expect(providerCalls()).toBe(before.calls);
  return text;
}

async function admitted(send: () => { interactionId: string }) {
  const before = jobs().length;
  const answer = await firstAnswer(h, send().interactionId);
  expect(answer.type).toBe(5); // deferred: the job was admitted
  await h.discord.waitFor(() => jobs().length === before + 1 && ['done', 'failed'].includes(jobs()[0]!.status), 90_000, 'the job to end');
  const job = jobs()[0]!;
  expect(job.status).toBe('done');
  return job;
}

beforeEach(() => {
  set({});
});

describe('settings at admission', () => {
  it('/story outside the allowed channels is refused privately, naming them', async () => {
    const [a, b] = [snowflake(), snowflake()];
    set({ channels: [a, b] });
    expect(await refused(() => sendStory(h, story(STORY)))).toBe(`In this server, /story can be used in <#${a}>, <#${b}>.`);
    // With no story text: refused at once, not after filling in the form.
    expect(await refused(() => sendStory(h, []))).toBe(`In this server, /story can be used in <#${a}>, <#${b}>.`);
    // In an allowed channel, the form opens.
    const { interactionId } = sendStory(h, [], { channelId: a });
    expect((await firstAnswer(h, interactionId)).type).toBe(9);
  });

  it('a required role: a member without it is refused, naming it; with it, admitted', async () => {
    const role = snowflake();
    // Discord tells the gateway about the server's roles (GUILD_CREATE, GUILD_ROLE_CREATE).
    h.discord.gateway.dispatch('GUILD_ROLE_CREATE', {
      guild_id: guildId(),
      role: {
        id: role,
        name: 'storytellers',
        permissions: '0',
        position: 1,
        color: 0,
        hoist: false,
        managed: false,
        mentionable: true,
        flags: 0,
      },
    });
    set({ role, channels: [h.guilds[0]!.channel] });
    expect(await refused(() => sendStory(h, story(STORY)))).toBe(`In this server, /story needs the <@&${role}> role.`);
    expect(await refused(() => sendStory(h, story(STORY), { memberRoles: [snowflake()] }))).toMatch(/needs the/);
    const job = await admitted(() => sendStory(h, story(STORY, [{ name: 'scenes', type: 4, value: 1 }]), { memberRoles: [role] }));
    expect(job.userId).toBe(member.id);
  });

  it('a story longer than max_characters, or more scenes than max_scenes, is refused with the numbers', async () => {
    set({ limits: { maxCharacters: 40, maxScenes: 2 } });
    expect(await refused(() => sendStory(h, story(STORY)))).toBe(
      `This story is ${STORY.length} characters long; this server allows up to 40.`,
    );
    set({ limits: { maxScenes: 2 } });
    expect(await refused(() => sendStory(h, story(STORY, [{ name: 'scenes', type: 4, value: 3 }])))).toBe(
      'You asked for 3 scenes; this server allows up to 2.',
    );
  });

  it('a blocked word (other case, accents) is refused before any provider call, also from the form and in German; a longer word is not blocked', async () => {
    set({ blockedWords: ['dragon'] });
    expect(await refused(() => sendStory(h, story('The Drágon slept under the hill. The village was quiet.')))).toBe(
      'Your story contains “dragon”, a word this server does not allow.',
    );
    expect(await refused(() => sendStory(h, story('Der DRACHE? Nein: the DRAGON!'), { extra: { locale: 'de' } }))).toBe(
      'Deine Geschichte enthält „dragon“, ein Wort, das dieser Server nicht erlaubt.',
    );
    expect(
      await refused(() =>
        h.discord.sendModalSubmit({
          guildId: guildId(),
          channelId: h.guilds[0]!.channel,
          user: member,
          customId: 'sr:modal:9:16|||',
          fields: { story: 'A dragon, again.' },
        }),
      ),
    ).toMatch(/contains “dragon”/);

    // max_scenes with no count asked for: the job is given one, at most the maximum.
    set({ blockedWords: ['dragon'], limits: { maxScenes: 1 } });
    const job = await admitted(() => sendStory(h, story('A dragonfly slept under the hill. The village was quiet. Night came.')));
    expect(job.options.scenes).toBe(1);
    expect(job.seeds).toHaveLength(1);
  });
});
