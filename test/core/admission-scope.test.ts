/**
 * A job's admission scope (issue 23, item 5): the server that installed the bot, else the member's
 * own `user:<id>`; history (real SQLite) and tickets keep it, and shard 0 owns a member's own jobs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { admissionScopeOf, botInstalledHere, isUserScope } from '../../src/core/admission-scope.js';
import { jobTicketSchema, ticketFromRecord } from '../../src/jobs/job-ticket.js';
import { JobHistory } from '../../src/store/job-history.js';
import { shardFor } from '../../src/bot/shard-of.js';

const guild = '1180000000000000001';
const user = { id: '1180000000000000002' };

describe('admissionScopeOf', () => {
  it("is the server when the server installed the bot, else the member's own scope", () => {
    expect(admissionScopeOf({ guildId: guild, user, authorizingIntegrationOwners: { guildId: guild } })).toBe(guild);
    // A server that has not added the bot: only the member's install authorizes it.
    const foreign = { guildId: guild, user, authorizingIntegrationOwners: { guildId: null } };
    expect(botInstalledHere(foreign)).toBe(false);
    expect(admissionScopeOf(foreign)).toBe(`user:${user.id}`);
    expect(admissionScopeOf({ guildId: null, user, authorizingIntegrationOwners: {} })).toBe(`user:${user.id}`);
    expect(isUserScope(`user:${user.id}`)).toBe(true);
    expect(isUserScope(guild)).toBe(false);
  });

  it('a member scope is shard 0 (where Discord sends DMs); a server keeps its own shard', () => {
    expect(shardFor(`user:${user.id}`, 4)).toBe(0);
    expect(shardFor(guild, 4)).toBe(Number((BigInt(guild) >> 22n) % 4n));
  });
});

describe('a job of a member scope', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is kept by history and travels as a valid ticket; anything else in guildId is refused', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sr-scope-'));
    const history = new JobHistory(join(dir, 'h.sqlite'));
    try {
      const job = {
        kind: 'story' as const,
        channelId: '1180000000000000003',
        userId: user.id,
        story: 'A tale.',
        options: { aspect: '9:16' as const, maxBytes: 10_000_000, seed: 1, safeImages: true, locale: 'de' as const },
      };
      const record = history.create({ ...job, guildId: `user:${user.id}` });
      expect(history.recent({ guildId: `user:${user.id}`, limit: 5 }).map((j) => j.id)).toEqual([record.id]);
      expect(history.get(record.id)?.options).toMatchObject({ safeImages: true, locale: 'de' as const });
      const ticket = jobTicketSchema.parse(JSON.parse(JSON.stringify(ticketFromRecord(record, '1180000000000000004'))));
      expect(ticket.guildId).toBe(`user:${user.id}`);
      expect(ticket.options.safeImages).toBe(true);
      for (const bad of ['user:', 'user:abc', 'guild:1', `dm:${user.id}`]) expect(() => history.create({ ...job, guildId: bad })).toThrow();
    } finally {
      history.close();
    }
  });
});
