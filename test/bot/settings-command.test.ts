/** /settings through real discord.js over the fake Discord, kept in real SQLite. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, historyPath, type Harness } from '../support/bot-harness.js';
import { GuildSettingsStore } from '../../src/store/guild-settings.js';
import { member, privateReply, sendSettings } from '../support/settings-slash.js';
import { snowflake } from '../fakes/discord/snowflakes.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const stored = () => {
  const store = new GuildSettingsStore(historyPath(h));
  try {
    return store.get(h.guilds[0]!.id);
  } finally {
    store.close();
  }
};

describe('/settings', () => {
  it('is registered for Manage Server, in servers only, with localized descriptions', async () => {
    const { data } = await import('../../commands/settings.js');
    const json = data.toJSON();
    expect(json.default_member_permissions).toBe(String(1n << 5n));
    expect(json.contexts).toEqual([0]);
    expect(json.description_localizations?.de).toMatch(/Server verwalten/);
    expect(json.options?.map((o) => o.name)).toEqual(['defaults', 'limits', 'channels', 'role', 'blocked-words', 'show']);
  });

  it('refuses a member without Manage Server, privately, in their language, and stores nothing', async () => {
    const plain = { user: member, memberPermissions: undefined };
    const en = await privateReply(h, sendSettings(h, 'limits', [{ name: 'max_scenes', type: 4, value: 2 }], plain).interactionId);
    expect(en).toBe("Changing or seeing this server's settings needs the Manage Server permission.");
    const de = await privateReply(
      h,
      sendSettings(h, 'blocked-words', [{ name: 'action', type: 3, value: 'list' }], { ...plain, extra: { locale: 'de' } }).interactionId,
    );
    expect(de).toBe('Um die Einstellungen dieses Servers zu sehen oder zu ändern, brauchst du die Berechtigung „Server verwalten“.');
    const ja = await privateReply(h, sendSettings(h, 'show', [], { ...plain, extra: { locale: 'ja' } }).interactionId);
    expect(ja).toMatch(/サーバー管理/);
    expect(stored()).toEqual({ defaults: {}, limits: {}, channels: [], blockedWords: [] });
  });

  it("confirms an admin's changes privately, shows them, refuses max_running over the bot's, and keeps them across a restart", async () => {
    const allowed = snowflake();
    const role = snowflake();
    const said = async (sub: string, options: Parameters<typeof sendSettings>[2]) =>
      privateReply(h, sendSettings(h, sub, options).interactionId);

    expect(
      await said('defaults', [
        { name: 'style', type: 3, value: 'noir' },
        { name: 'voice', type: 3, value: 'warm' },
      ]),
    ).toBe('Defaults saved.\n**Defaults**: style: `noir` · voice: `warm`');
    expect(
      await said('limits', [
        { name: 'member_daily', type: 4, value: 3 },
        { name: 'max_characters', type: 4, value: 2000 },
        { name: 'max_scenes', type: 4, value: 4 },
      ]),
    ).toBe('Limits saved.\n**Limits**: 3 stories per member per day · 2,000 characters per story · 4 scenes per video · 1 made at once');
    // MAX_JOBS_PER_GUILD is 1 here.
    expect(await said('limits', [{ name: 'max_running', type: 4, value: 2 }])).toBe(
      "max_running can be at most 1: the bot's own limit for a server (MAX_JOBS_PER_GUILD).",
    );
    expect(stored().limits.maxRunning).toBeUndefined();
    expect(await said('channels', [{ name: 'action', type: 3, value: 'allow' }])).toBe('Name a channel.');
    expect(
      await said('channels', [
        { name: 'action', type: 3, value: 'allow' },
        { name: 'channel', type: 7, value: allowed },
      ]),
    ).toBe(`/story may now be used in <#${allowed}>.\n**Channels**: <#${allowed}>`);
    expect(await said('role', [{ name: 'role', type: 8, value: role }])).toBe(
      `Members need the <@&${role}> role to use /story.\n**Role**: <@&${role}>`,
    );
    const add = (word: string) =>
      said('blocked-words', [
        { name: 'action', type: 3, value: 'add' },
        { name: 'word', type: 3, value: word },
      ]);
    expect(await add('Drágon')).toBe('“Drágon” is blocked.\n**Blocked words** (1): ||Drágon||');
    expect(await add('DRAGON')).toBe('“DRAGON” was already blocked.');
    expect(await add('!!')).toBe('A blocked word needs a letter or a digit, and at most 50 characters.');
    expect(await add('  bad   word ')).toBe('“bad word” is blocked.\n**Blocked words** (2): ||Drágon||, ||bad word||');

    const show = [
      '### /story settings in this server',
      '**Defaults**: style: `noir` · voice: `warm`',
      '**Limits**: 3 stories per member per day · 2,000 characters per story · 4 scenes per video · 1 made at once',
      `**Channels**: <#${allowed}>`,
      `**Role**: <@&${role}>`,
      '**Blocked words** (2): ||Drágon||, ||bad word||',
    ].join('\n');
    expect(await said('show', [])).toBe(show);
    expect(stored()).toEqual({
      defaults: { style: 'noir', voice: 'warm' },
      limits: { memberDaily: 3, maxCharacters: 2000, maxScenes: 4 },
      channels: [allowed],
      role,
      blockedWords: ['Drágon', 'bad word'],
    });

    await h.bot.stop();
    await h.startBot();
    expect(await said('show', [])).toBe(show);

    // Undone, one by one: 0 is no limit, no role is none, a reset clears the defaults.
    expect(await said('defaults', [{ name: 'reset', type: 5, value: true }])).toBe('Defaults saved.\n**Defaults**: none');
    expect(await said('limits', [{ name: 'member_daily', type: 4, value: 0 }])).toMatch(
      /^Limits saved\.\n\*\*Limits\*\*: 2,000 characters/,
    );
    expect(await said('role', [])).toBe('No role is needed to use /story.\n**Role**: none');
    expect(await said('channels', [{ name: 'action', type: 3, value: 'clear' }])).toBe(
      '/story may be used in every channel again.\n**Channels**: all channels',
    );
    expect(
      await said('blocked-words', [
        { name: 'action', type: 3, value: 'remove' },
        { name: 'word', type: 3, value: 'dragon' },
      ]),
    ).toBe('“dragon” is no longer blocked.\n**Blocked words** (1): ||bad word||');
    expect(stored()).toEqual({ defaults: {}, limits: { maxCharacters: 2000, maxScenes: 4 }, channels: [], blockedWords: ['bad word'] });
  });
});
