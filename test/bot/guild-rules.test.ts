/** The settings' rules as pure functions: defaults under a member's options, limits for admission, threads, the ticket. */
import { describe, expect, it } from 'vitest';
import { guildLimits, refusalByGuildRules, withinSceneLimit, withServerDefaults } from '../../src/bot/guild-rules.js';
import { DEFAULT_GUILD_SETTINGS, type GuildSettings } from '../../src/store/guild-settings.js';
import { translator } from '../../src/i18n/translate.js';
import { jobTicketSchema, ticketFromRecord } from '../../src/jobs/job-ticket.js';
import type { JobRecord } from '../../src/store/job-record.js';

const t = translator('en');
const settings = (s: Partial<GuildSettings>): GuildSettings => ({ ...DEFAULT_GUILD_SETTINGS, ...s });

describe('guild rules', () => {
  it('guildLimits: what admission counts, 0 when unset', () => {
    expect(guildLimits(DEFAULT_GUILD_SETTINGS)).toEqual({ memberDaily: 0, cooldownMinutes: 0, maxRunning: 0 });
    expect(guildLimits(settings({ limits: { memberDaily: 2, cooldownMinutes: 5, maxRunning: 1, maxScenes: 3 } }))).toEqual({
      memberDaily: 2,
      cooldownMinutes: 5,
      maxRunning: 1,
    });
  });

  it("withServerDefaults: the server's default only where the member chose nothing", () => {
    const input = { aspect: null, style: 'anime', voice: undefined, scenes: 3, languageHint: 'de' };
    expect(withServerDefaults(input, { style: 'noir', voice: 'warm', aspect: '1:1' })).toEqual({
      aspect: '1:1',
      style: 'anime',
      voice: 'warm',
      scenes: 3,
      languageHint: 'de',
    });
  });

  it('allows a thread of an allowed channel; a story at the limit passes', () => {
    const s = settings({ channels: ['10'], limits: { maxCharacters: 5, maxScenes: 2 } });
    const request = { story: 'héllo', aspect: '9:16' as const, scenes: 2 };
    expect(refusalByGuildRules(s, { channelId: '99', parentId: '10' }, request, t)).toBeUndefined();
    expect(refusalByGuildRules(s, { channelId: '99', parentId: '11' }, request, t)).toMatch(/<#10>/);
  });

  it('withinSceneLimit: a count is fixed only when the server has a maximum and the member asked for none', () => {
    const long = Array.from({ length: 30 }, (_, i) => `Sentence number ${i} has a few more words in it to say.`).join(' ');
    expect(withinSceneLimit(DEFAULT_GUILD_SETTINGS, { story: long, aspect: '9:16' }).scenes).toBeUndefined();
    expect(withinSceneLimit(settings({ limits: { maxScenes: 4 } }), { story: long, aspect: '9:16' }).scenes).toBe(4);
    expect(withinSceneLimit(settings({ limits: { maxScenes: 4 } }), { story: 'One. Two.', aspect: '9:16' }).scenes).toBe(2);
  });

  it('blocked words travel in the job ticket, through its schema', () => {
    const record = {
      id: 'abc123def',
      kind: 'story',
      guildId: '1',
      channelId: '2',
      userId: '3',
      story: 'x',
      options: { aspect: '9:16', maxBytes: 1000, seed: 7 },
      attempts: 0,
      messageIds: {},
    } as unknown as JobRecord;
    const ticket = ticketFromRecord(record, '4', undefined, { blockedWords: ['dragon'] });
    expect(ticket.blockedWords).toEqual(['dragon']);
    const parsed = jobTicketSchema.safeParse(JSON.parse(JSON.stringify(ticket)));
    if (!parsed.success) throw parsed.error;
    expect(parsed.data.blockedWords).toEqual(['dragon']);
    expect('blockedWords' in ticketFromRecord(record, '4')).toBe(false);
  });
});
