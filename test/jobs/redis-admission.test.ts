/** RedisAdmission against a real redis-server: the in-process queue's rules, atomic across processes. */
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { RedisAdmission } from '../../src/jobs/redis-admission.js';
import type { Admission, AdmissionLimits } from '../../src/jobs/admission-rules.js';
import { useRedis, type TestRedis } from '../support/redis-server.js';

let server: TestRedis;
let redis: Redis;
useRedis(
  (s, c) => {
    server = s;
    redis = c;
  },
  { flush: true },
);

const make = (limits: AdmissionLimits, prefix?: string) => new RedisAdmission(redis, { limits, prefix });
const job = (id: string, guildId: string, userId = `u-${id}`) => ({ id, guildId, userId });
const ok = (position: number): Admission => ({ ok: true, position });
const QUEUE_FULL = (n: number) => `This server's queue is full (${n} waiting): please try again when a story finishes.`;
const USER_BUSY = 'You already have a story in progress: wait for it to finish, or cancel it.';

describe('limits', () => {
  it('runs up to the guild and fleet limits, then queues up to the per-guild line, then refuses', async () => {
    const a = make({ perGuildRunning: 1, perGuildWaiting: 2, globalRunning: 2 });
    expect(await a.admit(job('a1', 'A'))).toEqual(ok(0));
    expect(await a.admit(job('a2', 'A'))).toEqual(ok(1));
    expect(await a.admit(job('a3', 'A'))).toEqual(ok(2));
    expect(await a.admit(job('a4', 'A'))).toEqual({ ok: false, reason: 'queue-full', message: QUEUE_FULL(2) });
    expect(await a.admit(job('b1', 'B'))).toEqual(ok(0));
    // The fleet runs 2: a quiet guild's job waits too, first in its own line.
    expect(await a.admit(job('c1', 'C'))).toEqual(ok(1));
    expect(await a.counts()).toEqual({ waiting: 3, running: 2 });
    // A refused job left nothing behind: its user is free.
    expect(await a.get('a4')).toBeUndefined();
    expect(await a.admit(job('x', 'B', 'u-a4'))).toEqual(ok(1));
  });

  it('with perGuildWaiting 0 a job that would wait is refused', async () => {
    const a = make({ perGuildRunning: 1, perGuildWaiting: 0, globalRunning: 4 });
    expect(await a.admit(job('a1', 'A'))).toEqual(ok(0));
    expect(await a.admit(job('a2', 'A'))).toEqual({ ok: false, reason: 'queue-full', message: QUEUE_FULL(0) });
  });

  it('refuses limits that make no sense', () => {
    expect(() => make({ perGuildRunning: 0, perGuildWaiting: 1, globalRunning: 1 })).toThrow(/perGuildRunning/);
    expect(() => make({ perGuildRunning: 1, perGuildWaiting: -1, globalRunning: 1 })).toThrow(/perGuildWaiting/);
  });

  it('keeps separate state per prefix', async () => {
    const a = make({ perGuildRunning: 1, perGuildWaiting: 1, globalRunning: 1 }, 'one');
    const b = make({ perGuildRunning: 1, perGuildWaiting: 1, globalRunning: 1 }, 'two');
    expect(await a.admit(job('j', 'A', 'u'))).toEqual(ok(0));
    expect(await b.admit(job('j', 'A', 'u'))).toEqual(ok(0));
    expect((await redis.keys('one:admission:*')).length).toBeGreaterThan(0);
    expect(await redis.keys('sr:*')).toEqual([]);
  });

  it('works the same through a client with an ioredis keyPrefix (every key is named inside Lua)', async () => {
    const prefixed = new Redis(server.url, { keyPrefix: 'other:' });
    try {
      const a = new RedisAdmission(prefixed, { limits: { perGuildRunning: 1, perGuildWaiting: 2, globalRunning: 1 } });
      await a.admit(job('r', 'G'));
      await a.admit(job('w', 'G', 'bob'));
      expect(await a.positionsIn('G')).toEqual(new Map([['w', 1]]));
      expect(await a.get('w')).toMatchObject({ id: 'w', state: 'waiting', userId: 'bob' });
      expect(await a.position('w')).toBe(1);
    } finally {
      prefixed.disconnect();
    }
  });
});

describe('one active job per user', () => {
  it('refuses a second job from the same user in any guild, waiting or running, until the first is released', async () => {
    const a = make({ perGuildRunning: 1, perGuildWaiting: 3, globalRunning: 1 });
    expect(await a.admit(job('r', 'A', 'alice'))).toEqual(ok(0));
    expect(await a.admit(job('w', 'B', 'bob'))).toEqual(ok(1));
    expect(await a.admit(job('r2', 'C', 'alice'))).toEqual({ ok: false, reason: 'user-busy', message: USER_BUSY });
    expect(await a.admit(job('w2', 'A', 'bob'))).toEqual({ ok: false, reason: 'user-busy', message: USER_BUSY });
    await a.release('r');
    expect(await a.admit(job('r3', 'C', 'alice'))).toEqual(ok(1));
  });

  it('admitting the same id twice (a retried call) reports where it stands instead of refusing', async () => {
    const a = make({ perGuildRunning: 1, perGuildWaiting: 3, globalRunning: 4 });
    expect(await a.admit(job('j1', 'A', 'alice'))).toEqual(ok(0));
    expect(await a.admit(job('j2', 'A', 'bob'))).toEqual(ok(1));
    expect(await a.admit(job('j1', 'A', 'alice'))).toEqual(ok(0));
    expect(await a.admit(job('j2', 'A', 'bob'))).toEqual(ok(1));
    expect(await a.counts()).toEqual({ waiting: 1, running: 1 });
  });
});

describe('order', () => {
  it('starts a guild’s jobs in admission order, one release at a time', async () => {
    const a = make({ perGuildRunning: 1, perGuildWaiting: 5, globalRunning: 4 });
    for (const id of ['a', 'b', 'c', 'd']) await a.admit(job(id, 'G', `u-${id}`));
    const started: string[] = [];
    for (const id of ['a', 'b', 'c', 'd']) {
      const { promoted, changedGuilds } = await a.release(id);
      started.push(...promoted.map((p) => p.id));
      if (promoted.length > 0) {
        expect(promoted[0]).toEqual({
          id: promoted[0]!.id,
          guildId: 'G',
          userId: `u-${promoted[0]!.id}`,
        });
        expect(changedGuilds).toEqual(['G']);
      }
    }
    expect(started).toEqual(['b', 'c', 'd']);
  });

  it('a newcomer never overtakes a guild’s line, even when raised limits leave a slot free; promote() then starts the line in order', async () => {
    const tight = make({ perGuildRunning: 1, perGuildWaiting: 5, globalRunning: 1 });
    expect(await tight.admit(job('a', 'G'))).toEqual(ok(0));
    expect(await tight.admit(job('b', 'G'))).toEqual(ok(1));
    // Another process with raised limits: G has room, but b is already waiting.
    const raised = make({ perGuildRunning: 3, perGuildWaiting: 5, globalRunning: 3 });
    expect(await raised.admit(job('c', 'G'))).toEqual(ok(2));
    const { promoted, changedGuilds } = await raised.promote();
    expect(promoted.map((p) => p.id)).toEqual(['b', 'c']);
    expect(changedGuilds).toEqual(['G']);
    expect(await raised.counts()).toEqual({ waiting: 0, running: 3 });
  });

  it('a process with a lower per-guild limit holds to it, whatever the last process assumed', async () => {
    const wide = make({ perGuildRunning: 2, perGuildWaiting: 5, globalRunning: 1 });
    expect(await wide.admit(job('a', 'G'))).toEqual(ok(0));
    expect(await wide.admit(job('b', 'G'))).toEqual(ok(1)); // fleet full; G itself has room for 2
    const narrow = make({ perGuildRunning: 1, perGuildWaiting: 5, globalRunning: 5 });
    expect(await narrow.promote()).toEqual({ promoted: [], changedGuilds: [] });
    expect((await wide.promote()).promoted).toEqual([]); // wide's fleet limit is 1
    expect((await make({ perGuildRunning: 2, perGuildWaiting: 5, globalRunning: 5 }).promote()).promoted.map((p) => p.id)).toEqual(['b']);
  });
});

describe('fairness across guilds', () => {
  // "Oldest admission first among guilds with room": when a fleet slot frees, look only at the
  // guilds running fewer than perGuildRunning; among them start the head (oldest waiting job) of
  // the guild whose head was admitted earliest. A guild at its own limit is skipped however old
  // its line, so its backlog cannot take the slot a quiet guild could use.
  it('a busy guild with 5 waiting does not starve a quiet guild admitted later', async () => {
    const a = make({ perGuildRunning: 1, perGuildWaiting: 5, globalRunning: 2 });
    expect(await a.admit(job('a0', 'A'))).toEqual(ok(0));
    for (let i = 1; i <= 5; i++) expect(await a.admit(job(`a${i}`, 'A'))).toEqual(ok(i));
    expect(await a.admit(job('c0', 'C'))).toEqual(ok(0));
    expect(await a.admit(job('b1', 'B'))).toEqual(ok(1));
    // A fleet slot frees; A (a1..a5 older than b1) runs a0 and has no room: B's job starts.
    const first = await a.release('c0');
    expect(first.promoted.map((p) => p.id)).toEqual(['b1']);
    expect(first.changedGuilds).toEqual(['B']);
    // A's own slot frees: its next in line starts.
    expect((await a.release('a0')).promoted.map((p) => p.id)).toEqual(['a1']);
  });

  it('among guilds with room, the guild whose oldest waiting job is oldest goes first', async () => {
    const a = make({ perGuildRunning: 1, perGuildWaiting: 5, globalRunning: 1 });
    await a.admit(job('x', 'X'));
    await a.admit(job('d1', 'D'));
    await a.admit(job('e1', 'E'));
    await a.admit(job('d2', 'D'));
    expect((await a.release('x')).promoted.map((p) => p.id)).toEqual(['d1']);
    // D has room again, but its next job d2 was admitted after e1: E goes first.
    expect((await a.release('d1')).promoted.map((p) => p.id)).toEqual(['e1']);
    expect((await a.release('e1')).promoted.map((p) => p.id)).toEqual(['d2']);
  });

  it('finds the guild with room behind more than 100 older lines at their limit', async () => {
    const guilds = Array.from({ length: 150 }, (_, i) => `g${i}`);
    const a = make({ perGuildRunning: 1, perGuildWaiting: 1, globalRunning: 151 });
    for (const g of guilds) expect(await a.admit(job(`${g}-run`, g))).toEqual(ok(0));
    expect(await a.admit(job('z', 'Z'))).toEqual(ok(0));
    for (const g of guilds) expect(await a.admit(job(`${g}-wait`, g))).toEqual(ok(1));
    expect(await a.admit(job('quiet', 'Q'))).toEqual(ok(1));
    expect(await a.release('z')).toEqual({
      promoted: [{ id: 'quiet', guildId: 'Q', userId: 'u-quiet' }],
      changedGuilds: ['Q'],
    });
    expect((await a.release('g149-run')).promoted.map((p) => p.id)).toEqual(['g149-wait']);
  });

  it('a guild whose first waiting job left the line is ordered by its new first job', async () => {
    const a = make({ perGuildRunning: 1, perGuildWaiting: 5, globalRunning: 1 });
    await a.admit(job('x', 'X'));
    await a.admit(job('d1', 'D'));
    await a.admit(job('e1', 'E'));
    await a.admit(job('d2', 'D'));
    await a.admit(job('f1', 'F'));
    expect(await a.cancelWaiting('d1')).toBe('waiting');
    expect(await a.cancelWaiting('f1')).toBe('waiting'); // F's line is now empty
    expect((await a.release('x')).promoted.map((p) => p.id)).toEqual(['e1']);
    expect((await a.release('e1')).promoted.map((p) => p.id)).toEqual(['d2']);
    expect(await a.release('d2')).toEqual({ promoted: [], changedGuilds: [] });
    expect(await a.counts()).toEqual({ waiting: 0, running: 0 });
  });
});

describe('positions', () => {
  it('move up as jobs ahead start, are released or are cancelled', async () => {
    const a = make({ perGuildRunning: 1, perGuildWaiting: 5, globalRunning: 2 });
    for (const id of ['r', 'w1', 'w2', 'w3', 'w4']) await a.admit(job(id, 'G'));
    await a.admit(job('other', 'H'));
    expect(await a.positionsIn('G')).toEqual(
      new Map([
        ['w1', 1],
        ['w2', 2],
        ['w3', 3],
        ['w4', 4],
      ]),
    );
    expect(await a.position('r')).toBe(0);
    expect(await a.position('w3')).toBe(3);
    expect(await a.position('nope')).toBeUndefined();

    expect(await a.cancelWaiting('w2')).toBe('waiting');
    expect(await a.positionsIn('G')).toEqual(
      new Map([
        ['w1', 1],
        ['w3', 2],
        ['w4', 3],
      ]),
    );

    // Releasing a waiting job (it left the line) moves the line and reports its guild.
    expect(await a.release('w3')).toEqual({ promoted: [], changedGuilds: ['G'] });
    expect(await a.positionsIn('G')).toEqual(
      new Map([
        ['w1', 1],
        ['w4', 2],
      ]),
    );

    const done = await a.release('r');
    expect(done).toEqual({ promoted: [{ id: 'w1', guildId: 'G', userId: 'u-w1' }], changedGuilds: ['G'] });
    expect(await a.position('w1')).toBe(0);
    expect(await a.position('w4')).toBe(1);
    expect(await a.positionsIn('H')).toEqual(new Map());
  });
});

describe('release', () => {
  it('is idempotent: a second release, or an unknown id, frees nothing more', async () => {
    const a = make({ perGuildRunning: 1, perGuildWaiting: 5, globalRunning: 1 });
    await a.admit(job('a', 'G', 'alice'));
    await a.admit(job('b', 'G', 'bob'));
    await a.admit(job('c', 'H', 'carol'));
    expect((await a.release('a')).promoted.map((p) => p.id)).toEqual(['b']);
    expect(await a.release('a')).toEqual({ promoted: [], changedGuilds: [] });
    expect(await a.release('never-admitted')).toEqual({ promoted: [], changedGuilds: [] });
    expect(await a.counts()).toEqual({ waiting: 1, running: 1 });
    expect(await a.get('a')).toBeUndefined();
    // alice is free again; bob still holds his running job.
    expect(await a.admit(job('a2', 'G', 'alice'))).toEqual(ok(1));
    expect((await a.admit(job('b2', 'X', 'bob'))).ok).toBe(false);
  });
});

describe('cancelWaiting', () => {
  it('removes a waiting job, leaves a running one alone, and knows nothing of an unknown id', async () => {
    const a = make({ perGuildRunning: 1, perGuildWaiting: 5, globalRunning: 1 });
    await a.admit(job('run', 'G', 'alice'));
    await a.admit(job('wait', 'G', 'bob'));
    expect(await a.cancelWaiting('run')).toBe('running');
    expect(await a.position('run')).toBe(0);
    expect(await a.cancelWaiting('wait')).toBe('waiting');
    expect(await a.get('wait')).toBeUndefined();
    expect(await a.position('wait')).toBeUndefined();
    expect(await a.cancelWaiting('wait')).toBe('unknown');
    expect(await a.counts()).toEqual({ waiting: 0, running: 1 });
    expect(await a.admit(job('again', 'H', 'bob'))).toEqual(ok(1));
  });
});

describe('entries', () => {
  it('get() and runningEntries() show state and times in ms', async () => {
    const a = make({ perGuildRunning: 1, perGuildWaiting: 5, globalRunning: 2 });
    const before = Date.now();
    await a.admit(job('r1', 'G', 'alice'));
    await a.admit(job('w1', 'G', 'bob'));
    await a.admit(job('r2', 'H', 'carol'));
    const w = await a.get('w1');
    expect(w).toMatchObject({ id: 'w1', guildId: 'G', userId: 'bob', state: 'waiting' });
    expect(w!.startedAt).toBeUndefined();
    // Redis's clock is this machine's clock: ms, not s or µs.
    expect(w!.admittedAt).toBeGreaterThanOrEqual(before - 1000);
    expect(w!.admittedAt).toBeLessThan(before + 60_000);

    const running = await a.runningEntries();
    expect(running.map((e) => [e.id, e.state])).toEqual([
      ['r1', 'running'],
      ['r2', 'running'],
    ]);
    for (const e of running) expect(e.startedAt).toBeGreaterThanOrEqual(e.admittedAt);

    await a.release('r1');
    const promoted = await a.get('w1');
    expect(promoted!.state).toBe('running');
    expect(promoted!.startedAt).toBeGreaterThanOrEqual(promoted!.admittedAt);
  });
});
