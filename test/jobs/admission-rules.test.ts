/**
 * The admission rules (src/jobs/admission-rules.ts) through both of their implementations: the
 * in-process JobQueue and the Lua scripts on a real redis-server, over one table of cases. A case
 * is a list of steps; each admission's answer and each release's started jobs must be as written.
 * The quotas (quota-rules.ts) ride along: in process on a real SQLite file, on Redis in the script.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { JobQueue } from '../../src/jobs/in-process-queue.js';
import { RedisAdmission } from '../../src/jobs/redis-admission.js';
import { decideAdmission, refusalMessage, type Admission, type AdmissionLimits } from '../../src/jobs/admission-rules.js';
import { admitInProcess } from '../../src/jobs/in-process-admission.js';
import {
  endOfDay,
  NO_CAPS,
  quotaMessage,
  type DailyCaps,
  type GuildLimits,
  type JobCost,
  type QuotaReason,
} from '../../src/jobs/quota-rules.js';
import { QuotaLedger } from '../../src/jobs/quota-ledger.js';
import { useRedis } from '../support/redis-server.js';

type Step =
  | {
      admit: string;
      guild: string;
      user: string;
      expect: number | 'user-busy' | 'queue-full' | QuotaReason;
      /** The server's own limits, sent with this admission. */
      limits?: Partial<GuildLimits>;
      cost?: Partial<JobCost>;
    }
  /** The job ends (running) or leaves the line (waiting); `starts`: the jobs that start because of it, in order. */
  | { release: string; starts: string[] }
  /** The admitted job is abandoned before it runs (its reply failed): its reservation comes back. */
  | { abandon: string };

interface Case {
  name: string;
  limits: AdmissionLimits;
  /** The fleet's daily caps (none when absent). */
  caps?: Partial<DailyCaps>;
  steps: Step[];
}

const wide = { perGuildRunning: 1, perGuildWaiting: 5, globalRunning: 5 };
const daily1 = { memberDaily: 1 };

const CASES: Case[] = [
  {
    name: 'runs up to the server limit, queues up to the line, then refuses; one job per member',
    limits: { perGuildRunning: 1, perGuildWaiting: 2, globalRunning: 3 },
    steps: [
      { admit: 'a', guild: 'G', user: 'u1', expect: 0 },
      { admit: 'b', guild: 'G', user: 'u2', expect: 1 },
      { admit: 'c', guild: 'G', user: 'u3', expect: 2 },
      { admit: 'd', guild: 'G', user: 'u4', expect: 'queue-full' },
      { admit: 'e', guild: 'H', user: 'u1', expect: 'user-busy' },
      { admit: 'f', guild: 'H', user: 'u5', expect: 0 },
    ],
  },
  {
    name: 'the fleet limit makes a quiet server wait too, and it starts when a place frees',
    limits: { perGuildRunning: 2, perGuildWaiting: 5, globalRunning: 1 },
    steps: [
      { admit: 'a', guild: 'G', user: 'u1', expect: 0 },
      { admit: 'b', guild: 'H', user: 'u2', expect: 1 },
      { release: 'a', starts: ['b'] },
    ],
  },
  {
    name: 'oldest admission first among servers with room: a busy server never starves a quiet one',
    limits: { perGuildRunning: 1, perGuildWaiting: 5, globalRunning: 1 },
    steps: [
      { admit: 'a', guild: 'G', user: 'u1', expect: 0 },
      { admit: 'b', guild: 'G', user: 'u2', expect: 1 },
      { admit: 'c', guild: 'H', user: 'u3', expect: 1 },
      { admit: 'd', guild: 'G', user: 'u4', expect: 2 },
      { release: 'a', starts: ['b'] },
      { release: 'b', starts: ['c'] },
      { release: 'c', starts: ['d'] },
    ],
  },
  {
    name: 'a line of 0 means never wait',
    limits: { perGuildRunning: 1, perGuildWaiting: 0, globalRunning: 2 },
    steps: [
      { admit: 'a', guild: 'G', user: 'u1', expect: 0 },
      { admit: 'b', guild: 'G', user: 'u2', expect: 'queue-full' },
      { admit: 'c', guild: 'H', user: 'u3', expect: 0 },
    ],
  },
  {
    name: 'a job that leaves the line frees its member and its place',
    limits: { perGuildRunning: 1, perGuildWaiting: 1, globalRunning: 1 },
    steps: [
      { admit: 'a', guild: 'G', user: 'u1', expect: 0 },
      { admit: 'b', guild: 'G', user: 'u2', expect: 1 },
      { admit: 'c', guild: 'G', user: 'u3', expect: 'queue-full' },
      { release: 'b', starts: [] },
      { admit: 'd', guild: 'G', user: 'u2', expect: 1 },
      { release: 'a', starts: ['d'] },
    ],
  },
  {
    name: "a member's daily stories in one server: the next is refused until midnight, other servers and members go on",
    limits: wide,
    steps: [
      { admit: 'a', guild: 'G', user: 'u1', limits: daily1, expect: 0 },
      { release: 'a', starts: [] },
      { admit: 'b', guild: 'G', user: 'u1', limits: daily1, expect: 'member-daily' },
      { admit: 'c', guild: 'H', user: 'u1', limits: daily1, expect: 0 },
      { admit: 'd', guild: 'G', user: 'u2', limits: daily1, expect: 0 },
      { release: 'd', starts: [] },
      // Without its settings the server has no member limit.
      { admit: 'e', guild: 'G', user: 'u2', expect: 0 },
    ],
  },
  {
    name: 'a cooldown counts from the member’s last admitted story in that server',
    limits: wide,
    steps: [
      { admit: 'a', guild: 'G', user: 'u1', limits: { cooldownMinutes: 10 }, expect: 0 },
      { release: 'a', starts: [] },
      { admit: 'b', guild: 'G', user: 'u1', limits: { cooldownMinutes: 10 }, expect: 'cooldown' },
      { admit: 'c', guild: 'H', user: 'u1', limits: { cooldownMinutes: 10 }, expect: 0 },
    ],
  },
  {
    name: 'the fleet’s daily stories: the cap counts every server and member',
    limits: wide,
    caps: { stories: 2 },
    steps: [
      { admit: 'a', guild: 'G', user: 'u1', expect: 0 },
      { admit: 'b', guild: 'H', user: 'u2', expect: 0 },
      { release: 'a', starts: [] },
      { admit: 'c', guild: 'K', user: 'u3', expect: 'daily-stories' },
    ],
  },
  {
    name: 'narration characters and images: a job is refused whole when its cost would pass a cap',
    limits: wide,
    caps: { narrationCharacters: 100, images: 5 },
    steps: [
      { admit: 'a', guild: 'G', user: 'u1', cost: { narrationCharacters: 60, images: 3 }, expect: 0 },
      { admit: 'b', guild: 'H', user: 'u2', cost: { narrationCharacters: 50, images: 1 }, expect: 'daily-narration' },
      { admit: 'c', guild: 'H', user: 'u2', cost: { narrationCharacters: 40, images: 3 }, expect: 'daily-images' },
      { admit: 'd', guild: 'H', user: 'u2', cost: { narrationCharacters: 40, images: 2 }, expect: 0 },
    ],
  },
  {
    name: 'an abandoned job gives its reservation back; a refused one reserves nothing',
    limits: { perGuildRunning: 1, perGuildWaiting: 0, globalRunning: 5 },
    caps: { stories: 2 },
    steps: [
      { admit: 'a', guild: 'G', user: 'u1', limits: { ...daily1, cooldownMinutes: 5 }, expect: 0 },
      { abandon: 'a' },
      { admit: 'b', guild: 'G', user: 'u1', limits: { ...daily1, cooldownMinutes: 5 }, expect: 0 },
      { admit: 'c', guild: 'G', user: 'u2', expect: 'queue-full' },
      { admit: 'd', guild: 'H', user: 'u3', expect: 0 },
      { admit: 'e', guild: 'K', user: 'u4', expect: 'daily-stories' },
    ],
  },
  {
    name: 'a job admitted again after it ended (resumed after a restart) is neither charged twice nor refused',
    limits: wide,
    caps: { stories: 1 },
    steps: [
      { admit: 'a', guild: 'G', user: 'u1', limits: daily1, expect: 0 },
      { release: 'a', starts: [] },
      { admit: 'a', guild: 'G', user: 'u1', limits: daily1, expect: 0 },
      { admit: 'b', guild: 'H', user: 'u2', expect: 'daily-stories' },
    ],
  },
  {
    name: "a server's maxRunning lowers the bot's running limit for that server only, never raises it",
    limits: { perGuildRunning: 2, perGuildWaiting: 5, globalRunning: 5 },
    steps: [
      { admit: 'a', guild: 'G', user: 'u1', limits: { maxRunning: 1 }, expect: 0 },
      { admit: 'b', guild: 'G', user: 'u2', limits: { maxRunning: 1 }, expect: 1 },
      { admit: 'c', guild: 'H', user: 'u3', expect: 0 },
      { admit: 'd', guild: 'H', user: 'u4', expect: 0 },
      { admit: 'e', guild: 'K', user: 'u5', limits: { maxRunning: 9 }, expect: 0 },
      { admit: 'f', guild: 'K', user: 'u6', limits: { maxRunning: 9 }, expect: 0 },
      { admit: 'g', guild: 'K', user: 'u7', limits: { maxRunning: 9 }, expect: 1 },
      { release: 'a', starts: ['b'] },
    ],
  },
];

/** One implementation of the rules, driven the same way. */
interface Implementation {
  admit(id: string, guildId: string, userId: string, limits?: GuildLimits, cost?: JobCost): Promise<Admission>;
  release(id: string): Promise<string[]>;
  abandon(id: string): Promise<void>;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function inProcess(limits: AdmissionLimits, caps: DailyCaps): Implementation {
  const dir = mkdtempSync(join(tmpdir(), 'sr-quota-'));
  const ledger = new QuotaLedger(join(dir, 'storyreel.sqlite'));
  cleanups.push(() => {
    ledger.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const finish = new Map<string, () => void>();
  const started: string[] = [];
  const queue = new JobQueue<null>(
    (job) =>
      new Promise<void>((resolve) => {
        finish.set(job.id, resolve);
      }),
    limits,
  );
  queue.on('start', (job) => started.push(job.id));
  const impl: Implementation = {
    admit: async (id, guildId, userId, guild, cost) =>
      admitInProcess(queue, { ledger, caps }, { id, guildId, userId, payload: null, cost }, guild),
    abandon: async (id) => {
      ledger.refund(id);
      await impl.release(id);
    },
    release: async (id) => {
      const before = started.length;
      const done = finish.get(id);
      if (!done) {
        queue.cancel(id);
        return started.slice(before);
      }
      const ended = new Promise<void>((resolve) => queue.on('end', (job) => job.id === id && resolve()));
      done();
      await ended;
      return started.slice(before);
    },
  };
  return impl;
}

function onRedis(redis: Redis, limits: AdmissionLimits, caps: DailyCaps): Implementation {
  const admission = new RedisAdmission(redis, { limits, caps });
  return {
    admit: (id, guildId, userId, guild, cost) => admission.admit({ id, guildId, userId, cost }, guild),
    abandon: async (id) => {
      await admission.refund(id);
      await admission.release(id);
    },
    release: async (id) => (await admission.release(id)).promoted.map((p) => p.id),
  };
}

const NONE: GuildLimits = { memberDaily: 0, cooldownMinutes: 0, maxRunning: 0 };

async function play(impl: Implementation, c: Case): Promise<void> {
  const caps = { ...NO_CAPS, ...c.caps };
  for (const step of c.steps) {
    if ('abandon' in step) {
      await impl.abandon(step.abandon);
    } else if ('admit' in step) {
      const guild = step.limits && { ...NONE, ...step.limits };
      const cost = { stories: 1, narrationCharacters: 0, images: 0, ...step.cost };
      const before = Date.now();
      const got = await impl.admit(step.admit, step.guild, step.user, guild, cost);
      if (typeof step.expect === 'number') {
        expect(got, `admit ${step.admit}`).toEqual({ ok: true, position: step.expect });
      } else if (step.expect === 'user-busy' || step.expect === 'queue-full') {
        expect(got, `admit ${step.admit}`).toEqual({ ok: false, reason: step.expect, message: refusalMessage(step.expect, c.limits) });
      } else {
        const limit = {
          'member-daily': guild?.memberDaily,
          cooldown: guild?.cooldownMinutes,
          'daily-stories': caps.stories,
          'daily-narration': caps.narrationCharacters,
          'daily-images': caps.images,
        }[step.expect]!;
        expect(got, `admit ${step.admit}`).toMatchObject({
          ok: false,
          reason: step.expect,
          limit,
          message: quotaMessage(step.expect, limit),
        });
        const resetsAt = (got as { resetsAt: number }).resetsAt;
        // A cooldown ends that long after the last story (admitted a moment ago); the rest at midnight UTC.
        if (step.expect === 'cooldown') expect(resetsAt - before).toBeGreaterThan(limit * 60_000 - 5_000);
        if (step.expect === 'cooldown') expect(resetsAt - Date.now()).toBeLessThanOrEqual(limit * 60_000);
        else expect(resetsAt).toBe(endOfDay(Date.now()));
      }
    } else {
      expect(await impl.release(step.release), `release ${step.release}`).toEqual(step.starts);
    }
  }
}

let redis: Redis;
useRedis((_server, client) => (redis = client), { flush: true });

describe.each(CASES)('$name', (c) => {
  it('in process (JobQueue, SQLite ledger)', async () => play(inProcess(c.limits, { ...NO_CAPS, ...c.caps }), c));
  it('on Redis (the Lua scripts)', async () => play(onRedis(redis, c.limits, { ...NO_CAPS, ...c.caps }), c));
});

describe('decideAdmission', () => {
  const limits = { perGuildRunning: 1, perGuildWaiting: 3, globalRunning: 4 };
  it('makes a newcomer wait behind a server line even when a place is free', () => {
    expect(decideAdmission({ memberBusy: false, runningInGuild: 0, waitingInGuild: 1, runningTotal: 0 }, limits)).toEqual({
      ok: true,
      position: 2,
    });
  });
  it('refuses a busy member before anything else', () => {
    expect(decideAdmission({ memberBusy: true, runningInGuild: 0, waitingInGuild: 0, runningTotal: 0 }, limits)).toMatchObject({
      ok: false,
      reason: 'user-busy',
    });
  });
});
