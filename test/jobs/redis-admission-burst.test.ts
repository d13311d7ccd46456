/** Two gateway processes admitting and releasing at the same moment, against one real Redis. */
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { RedisAdmission } from '../../src/jobs/redis-admission.js';
import type { Admission } from '../../src/jobs/admission-rules.js';
import { useRedis, type TestRedis } from '../support/redis-server.js';
import { quitAll, startBurstChild as startChild } from '../support/burst-child.js';

let server: TestRedis;
let redis: Redis;
useRedis((s, c) => {
  server = s;
  redis = c;
});

/** Ground truth from the job hashes themselves (not the counters), in one atomic read. */
const snapshotScript = `
local out = { running = {}, waiting = {}, users = {}, total = 0, runningSet = redis.call('SCARD', ARGV[1] .. ':running') }
for _, key in ipairs(redis.call('KEYS', ARGV[1] .. ':job:*')) do
  local f = redis.call('HMGET', key, 'guildId', 'userId', 'state')
  local bucket = out[f[3]]
  bucket[f[1]] = (bucket[f[1]] or 0) + 1
  out.users[f[2]] = (out.users[f[2]] or 0) + 1
  if f[3] == 'running' then out.total = out.total + 1 end
end
return cjson.encode(out)`;

interface Snapshot {
  running: Record<string, number>;
  waiting: Record<string, number>;
  users: Record<string, number>;
  total: number;
  runningSet: number;
}

describe('two gateway processes', () => {
  it('admitting a burst of 50 each at the same moment, then releasing, never exceed any limit', async () => {
    const limits = { perGuildRunning: 2, perGuildWaiting: 3, globalRunning: 6 };
    const guilds = ['g0', 'g1', 'g2', 'g3', 'g4'];
    // Users u25..u49 send from both processes (same user, same guild): at most one may get in.
    const jobsFor = (p: string, from: number) =>
      Array.from({ length: 50 }, (_, i) => ({ id: `${p}-${i}`, guildId: guilds[(from + i) % 5]!, userId: `u${from + i}` }));
    const jobGuild = (id: string) => guilds[((id.startsWith('p') ? 0 : 25) + Number(id.slice(2))) % 5]!;
    const children = [
      startChild({ url: server.url, prefix: 'burst', limits, jobs: jobsFor('p', 0) }),
      startChild({ url: server.url, prefix: 'burst', limits, jobs: jobsFor('q', 25) }),
    ];
    const violations: string[] = [];
    let snapshots = 0;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const s = JSON.parse(String(await redis.eval(snapshotScript, 0, 'burst:admission'))) as Snapshot;
        snapshots++;
        if (s.total > limits.globalRunning) violations.push(`fleet runs ${s.total}`);
        if (s.runningSet !== s.total) violations.push(`running set ${s.runningSet} != ${s.total}`);
        for (const [g, n] of Object.entries(s.running)) if (n > limits.perGuildRunning) violations.push(`${g} runs ${n}`);
        for (const [g, n] of Object.entries(s.waiting)) if (n > limits.perGuildWaiting) violations.push(`${g} has ${n} waiting`);
        for (const [u, n] of Object.entries(s.users)) if (n > 1) violations.push(`${u} has ${n} jobs`);
      }
    })();
    try {
      await Promise.all(children.map((c) => c.next('ready')));
      children.forEach((c) => c.proc.stdin!.write('go\n'));
      const results = (await Promise.all(children.map((c) => c.next('admitted')))).flatMap(
        (line) => JSON.parse(line) as (Admission & { id: string })[],
      );
      const accepted = results.filter((r) => r.ok);
      const startedAtOnce = accepted.filter((r) => r.position === 0);
      // 6 fleet slots and 5 guilds x 3 places in line, all filled by a burst of 100.
      expect(startedAtOnce.length).toBe(limits.globalRunning);
      expect(accepted.length).toBe(limits.globalRunning + guilds.length * limits.perGuildWaiting);
      expect(results.filter((r) => !r.ok && r.reason === 'queue-full').length).toBeGreaterThan(0);
      const byUser = new Map<string, number>();
      for (const r of accepted) {
        const user = `u${r.id.startsWith('p') ? Number(r.id.slice(2)) : 25 + Number(r.id.slice(2))}`;
        byUser.set(user, (byUser.get(user) ?? 0) + 1);
      }
      expect(Math.max(...byUser.values())).toBe(1);
      // Within a guild, each process's jobs were placed in the order it sent them: places rise
      // (0s first), and once one was refused as queue-full none after it got in.
      for (const p of ['p', 'q']) {
        for (const g of guilds) {
          const mine = results.filter((r) => r.id.startsWith(`${p}-`) && jobGuild(r.id) === g);
          const places = mine.flatMap((r) => (r.ok ? [r.position] : []));
          expect(places).toEqual([...places].sort((x, y) => x - y));
          const firstFull = mine.findIndex((r) => !r.ok && r.reason === 'queue-full');
          if (firstFull >= 0) expect(mine.slice(firstFull).filter((r) => r.ok)).toEqual([]);
        }
      }
      const a = new RedisAdmission(redis, { limits, prefix: 'burst' });
      for (const g of guilds) expect([...(await a.positionsIn(g)).values()]).toEqual([1, 2, 3]);

      children.forEach((c) => c.proc.stdin!.write('release\n'));
      const promoted = (await Promise.all(children.map((c) => c.next('released')))).flatMap((line) => JSON.parse(line) as string[]);
      // Every waiting job started exactly once, whichever process released the slot.
      expect(promoted.length).toBe(new Set(promoted).size);
      expect(new Set(promoted)).toEqual(new Set(accepted.filter((r) => r.position > 0).map((r) => r.id)));
      expect(await a.counts()).toEqual({ waiting: 0, running: 0 });
      // Nothing left behind but the day's quota counts (which expire by themselves).
      const left = (await redis.keys('burst:admission:*')).filter((k) => !k.startsWith('burst:admission:q:'));
      expect(left.sort()).toEqual(['burst:admission:per-guild', 'burst:admission:seq']);
    } finally {
      watching = false;
      await watcher;
      await quitAll(children);
    }
    expect(snapshots).toBeGreaterThan(0);
    expect(violations).toEqual([]);
  });
});
