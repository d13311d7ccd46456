/**
 * Quotas in worker mode: two gateway processes (real child processes, one real Redis) racing for
 * the last story a member or the fleet may make today. Each admits its jobs one after another and
 * releases every admitted one at once, so "one job per member" never stops the next attempt: only
 * the quota does. Exactly one job may get in.
 */
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { Admission } from '../../src/jobs/admission-rules.js';
import { RedisAdmission } from '../../src/jobs/redis-admission.js';
import { useRedis, type TestRedis } from '../support/redis-server.js';
import { quitAll, startBurstChild } from '../support/burst-child.js';

let server: TestRedis;
let redis: Redis;
useRedis(
  (s, c) => {
    server = s;
    redis = c;
  },
  { flush: true },
);

const limits = { perGuildRunning: 4, perGuildWaiting: 4, globalRunning: 8 };
const NONE = { memberDaily: 0, cooldownMinutes: 0, maxRunning: 0 };

async function race(prefix: string, options: { caps?: object; guildLimits?: object }, jobsFor: (p: string) => object[]) {
  const children = ['p', 'q'].map((p) => startBurstChild({ url: server.url, prefix, limits, churn: true, jobs: jobsFor(p), ...options }));
  try {
    await Promise.all(children.map((c) => c.next('ready')));
    children.forEach((c) => c.proc.stdin!.write('go\n'));
    return (await Promise.all(children.map((c) => c.next('admitted')))).flatMap(
      (line) => JSON.parse(line) as (Admission & { id: string })[],
    );
  } finally {
    await quitAll(children);
  }
}

describe('two gateway processes racing for a quota', () => {
  it('member_daily 1: one member, 20 attempts from each process: exactly one admitted', async () => {
    const results = await race('md', { guildLimits: { ...NONE, memberDaily: 1 } }, (p) =>
      Array.from({ length: 20 }, (_, i) => ({ id: `${p}-${i}`, guildId: 'G', userId: 'u1' })),
    );
    expect(results).toHaveLength(40);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    // Refused by the quota (or, for an attempt made while the admitted job still ran, as busy).
    const reasons = new Set(results.flatMap((r) => (r.ok ? [] : [r.reason])));
    expect(reasons.has('member-daily')).toBe(true);
    expect([...reasons].every((r) => r === 'member-daily' || r === 'user-busy')).toBe(true);
    const usage = await new RedisAdmission(redis, { limits, prefix: 'md' }).usage('G');
    expect(usage).toMatchObject({ stories: 1, top: [{ userId: 'u1', stories: 1 }], fleet: { stories: 1 } });
  }, 60_000);

  it('DAILY_STORIES=1: 20 members from each process: exactly one admitted', async () => {
    const results = await race('ds', { caps: { stories: 1, narrationCharacters: 0, images: 0 } }, (p) =>
      Array.from({ length: 20 }, (_, i) => ({ id: `${p}-${i}`, guildId: `G${i % 3}`, userId: `${p}${i}` })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).every((r) => r.reason === 'daily-stories')).toBe(true);
    const usage = await new RedisAdmission(redis, { limits, prefix: 'ds' }).usage('');
    expect(usage.fleet).toEqual({ stories: 1, narrationCharacters: 0, images: 0 });
  }, 60_000);
});
