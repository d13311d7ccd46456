/**
 * Command definitions in the member's language (issue 23, item 4): every command module's names and
 * descriptions, and their localizations, follow Discord's rules (a name is 1-32 letters, digits,
 * "-" or "_", lowercase where the letter has case, unique among its siblings in every language; a
 * description is 1-100 characters; localizations are keyed by Discord locales), and
 * deploy-commands registers /story with them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Locale } from 'discord.js';
import { loadCommands } from '../../src/bot/load-commands.js';
import { deployCommands } from '../../src/bot/deploy-commands.js';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/server.js';
import { translator } from '../../src/i18n/translate.js';

interface Named {
  name: string;
  name_localizations?: Record<string, string> | null;
  description?: string;
  description_localizations?: Record<string, string> | null;
  options?: Named[];
  choices?: Named[];
}

/** https://discord.com/developers/docs/interactions/application-commands#application-command-object-application-command-naming */
const NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const DISCORD_LOCALES = new Set<string>(Object.values(Locale));

/** Every problem with one command (its options and choices included), as readable lines. */
function problems(command: Named): string[] {
  const out: string[] = [];
  const checkName = (where: string, name: string) => {
    if (!NAME.test(name)) out.push(`${where}: name "${name}" is not 1-32 letters, digits, - or _`);
    if (name !== name.toLowerCase()) out.push(`${where}: name "${name}" is not lowercase`);
  };
  const checkDescription = (where: string, text: string) => {
    const length = [...text].length;
    if (length < 1 || length > 100) out.push(`${where}: description of ${length} characters: "${text}"`);
  };
  const checkLocales = (where: string, map: Record<string, string> | null | undefined) => {
    for (const locale of Object.keys(map ?? {})) if (!DISCORD_LOCALES.has(locale)) out.push(`${where}: "${locale}" is no Discord locale`);
  };
  /** Siblings' names must differ in the default language and in every localized one. */
  const checkSiblings = (where: string, siblings: Named[]) => {
    const locales = new Set(siblings.flatMap((s) => Object.keys(s.name_localizations ?? {})));
    for (const locale of ['default', ...locales]) {
      const names = siblings.map((s) => (locale === 'default' ? s.name : (s.name_localizations?.[locale] ?? s.name)));
      if (new Set(names).size !== names.length) out.push(`${where}: names repeat in ${locale}: ${names.join(', ')}`);
    }
  };
  const walk = (where: string, item: Named, isChoice = false) => {
    if (isChoice) {
      const length = [...item.name].length;
      if (length < 1 || length > 100) out.push(`${where}: choice name of ${length} characters`);
      for (const [locale, text] of Object.entries(item.name_localizations ?? {})) {
        if ([...text].length < 1 || [...text].length > 100) out.push(`${where} (${locale}): choice name "${text}"`);
      }
      checkLocales(where, item.name_localizations);
      return;
    }
    checkName(where, item.name);
    for (const [locale, name] of Object.entries(item.name_localizations ?? {})) checkName(`${where} (${locale})`, name);
    checkLocales(where, item.name_localizations);
    checkDescription(where, item.description ?? '');
    for (const [locale, text] of Object.entries(item.description_localizations ?? {})) checkDescription(`${where} (${locale})`, text);
    checkLocales(where, item.description_localizations);
    if (item.options?.length) {
      checkSiblings(where, item.options);
      for (const option of item.options) walk(`${where} ${option.name}`, option);
    }
    for (const choice of item.choices ?? []) walk(`${where} choice ${choice.name}`, choice, true);
  };
  walk(`/${command.name}`, command);
  return out;
}

describe('command localizations', () => {
  it("every command module's names and descriptions, in every language, follow Discord's rules", async () => {
    const commands = [...(await loadCommands()).values()].map((c) => c.data.toJSON() as unknown as Named);
    expect(commands.length).toBeGreaterThanOrEqual(2);
    const all = commands.flatMap(problems);
    // command names are siblings too: no two commands may share a name in any language
    const top = { name: 'all', description: 'all', options: commands };
    expect([...all, ...problems(top).filter((p) => p.includes('names repeat'))]).toEqual([]);
  });

  it('the checker itself refuses what Discord refuses', () => {
    const bad: Named = {
      name: 'story',
      name_localizations: { de: 'Geschichte', ja: 'two words', fr: 'x'.repeat(33) },
      description: 'ok',
      description_localizations: { de: 'y'.repeat(101), xx: 'z' },
      options: [
        { name: 'a', description: 'a', name_localizations: { de: 'b' } },
        { name: 'b', description: 'b' },
      ],
    };
    const found = problems(bad).join('\n');
    expect(found).toMatch(/\(de\): name "Geschichte" is not lowercase/);
    expect(found).toMatch(/\(ja\): name "two words"/);
    expect(found).toMatch(/\(fr\): name "x{33}"/);
    expect(found).toMatch(/\(de\): description of 101 characters/);
    expect(found).toMatch(/"xx" is no Discord locale/);
    expect(found).toMatch(/names repeat in de: b, b/);
  });
});

describe('deploy-commands registers the localizations', () => {
  let discord: FakeDiscord;
  beforeAll(async () => {
    discord = await startFakeDiscord();
  });
  afterAll(async () => discord?.close());

  it('/story and /history with localized names and descriptions (de, ja, ...), every option described in each', async () => {
    await deployCommands({ token: discord.token, applicationId: discord.applicationId, apiBase: discord.apiBase });
    const body = discord.commands.at(-1)!.body as Named[];
    const story = body.find((c) => c.name === 'story')!;
    expect(story.name_localizations).toMatchObject({ de: 'geschichte', ja: '物語' });
    expect(story.description).toBe('Turn a story into a narrated short video');
    expect(story.description_localizations?.de).toBe(translator('de')('commands.story.description'));
    expect(story.description_localizations?.ja).toBe(translator('ja')('commands.story.description'));
    expect(story.options!.length).toBeGreaterThanOrEqual(10);
    for (const option of story.options!) {
      for (const locale of ['de', 'ja', 'es-ES', 'es-419', 'fr', 'pt-BR', 'zh-CN', 'ko', 'ru']) {
        const text = option.description_localizations?.[locale];
        expect(text, `${option.name} in ${locale}`).toBeTruthy();
        expect(text).not.toBe(option.description);
      }
    }
    // language choices are named in the member's language too
    const english = story.options!.find((o) => o.name === 'language')!.choices!.find((c) => c.name === 'English (en)')!;
    expect(english.name_localizations).toMatchObject({ de: 'Englisch (en)', ja: '英語 (en)' });
    const history = body.find((c) => c.name === 'history')!;
    expect(history.name_localizations).toMatchObject({ de: 'verlauf', ja: '履歴' });
    expect(history.options![0]!.description_localizations?.ja).toBe(translator('ja')('commands.history.options.everyone'));
  });
});
