/**
 * The in-process quota ledger on a real SQLite file: counts survive reopening (a restart), a job
 * admitted again (resumed after a restart) is neither charged twice nor refused, a refund gives
 * back exactly one job's reservation, the day turns at midnight UTC, and /usage's view of a day.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QuotaLedger } from '../../src/jobs/quota-ledger.js';
import { DAY_MS, type DailyCaps, type GuildLimits } from '../../src/jobs/quota-rules.js';

let dir: string;
const open: QuotaLedger[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sr-ledger-'));
});
afterEach(() => {
  for (const l of open.splice(0)) l.close();
  rmSync(dir, { recursive: true, force: true });
});

let clock = 100 * DAY_MS + 12 * 3_600_000;
const ledger = () => {
  const l = new QuotaLedger(join(dir, 'storyreel.sqlite'), () => clock);
  open.push(l);
  return l;
};
const daily1: GuildLimits = { memberDaily: 1, cooldownMinutes: 0, maxRunning: 0 };
const caps: DailyCaps = { stories: 3, narrationCharacters: 0, images: 0 };
const job = (id: string, userId: string, guildId = 'G') => ({
  id,
  guildId,
  userId,
  cost: { stories: 1, narrationCharacters: 40, images: 2 },
});

describe('QuotaLedger', () => {
  it('keeps the day across a reopen, charges a re-admitted job once, refunds one job, and turns at midnight', () => {
    clock = 100 * DAY_MS + 12 * 3_600_000;
    const a = ledger();
    expect(a.admit(job('j1', 'u1'), daily1, caps)).toBeUndefined();
    a.close();

    const b = ledger();
    // A resumed job: admitted again with the same id, not refused by the member's limit, not charged.
    expect(b.admit(job('j1', 'u1'), daily1, caps)).toBeUndefined();
    expect(b.fleet()).toEqual({ stories: 1, narrationCharacters: 40, images: 2 });
    expect(b.admit(job('j2', 'u1'), daily1, caps)).toMatchObject({ reason: 'member-daily', limit: 1, resetsAt: 101 * DAY_MS });
    expect(b.admit(job('j3', 'u2'), daily1, caps)).toBeUndefined();
    expect(b.admit(job('j4', 'u3', 'H'), daily1, caps)).toBeUndefined();
    expect(b.admit(job('j5', 'u4', 'H'), daily1, caps)).toMatchObject({ reason: 'daily-stories', limit: 3 });
    b.refund('j3');
    b.refund('j3');
    expect(b.fleet()).toEqual({ stories: 2, narrationCharacters: 80, images: 4 });
    expect(b.usage('G')).toEqual({
      day: 100,
      resetsAt: 101 * DAY_MS,
      stories: 1,
      narrationCharacters: 40,
      images: 2,
      top: [{ userId: 'u1', stories: 1 }],
    });

    clock = 101 * DAY_MS;
    expect(b.fleet()).toEqual({ stories: 0, narrationCharacters: 0, images: 0 });
    expect(b.admit(job('j6', 'u1'), daily1, caps)).toBeUndefined();
    expect(b.usage('G').top).toEqual([{ userId: 'u1', stories: 1 }]);
  });
});
