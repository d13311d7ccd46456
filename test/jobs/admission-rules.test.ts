/**
 * The admission rules (src/jobs/admission-rules.ts) through both of their implementations: the
 * in-process JobQueue and the Lua scripts on a real redis-server, over one table of cases. A case
 * is a list of steps; each admission's answer and each release's started jobs must be as written.
 */
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { JobQueue } from '../../src/jobs/in-process-queue.js';
import { RedisAdmission } from '../../src/jobs/redis-admission.js';
import { decideAdmission, refusalMessage, type Admission, type AdmissionLimits } from '../../src/jobs/admission-rules.js';
import { useRedis } from '../support/redis-server.js';

type Step =
  | { admit: string; guild: string; user: string; expect: number | 'user-busy' | 'queue-full' }
  /** The job ends (running) or leaves the line (waiting); `starts`: the jobs that start because of it, in order. */
  | { release: string; starts: string[] };

interface Case {
  name: string;
  limits: AdmissionLimits;
  steps: Step[];
}

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
];

/** One implementation of the rules, driven the same way. */
interface Implementation {
  admit(id: string, guildId: string, userId: string): Promise<Admission>;
  release(id: string): Promise<string[]>;
}

function inProcess(limits: AdmissionLimits): Implementation {
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
  return {
    admit: async (id, guildId, userId) => queue.submit({ id, guildId, userId, payload: null }),
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
}

function onRedis(redis: Redis, limits: AdmissionLimits): Implementation {
  const admission = new RedisAdmission(redis, { limits });
  return {
    admit: (id, guildId, userId) => admission.admit({ id, guildId, userId }),
    release: async (id) => (await admission.release(id)).promoted.map((p) => p.id),
  };
}

async function play(impl: Implementation, c: Case): Promise<void> {
  for (const step of c.steps) {
    if ('admit' in step) {
      const expected: Admission =
        typeof step.expect === 'number'
          ? { ok: true, position: step.expect }
          : { ok: false, reason: step.expect, message: refusalMessage(step.expect, c.limits) };
      expect(await impl.admit(step.admit, step.guild, step.user), `admit ${step.admit}`).toEqual(expected);
    } else {
      expect(await impl.release(step.release), `release ${step.release}`).toEqual(step.starts);
    }
  }
}

let redis: Redis;
useRedis((_server, client) => (redis = client), { flush: true });

describe.each(CASES)('$name', (c) => {
  it('in process (JobQueue)', async () => play(inProcess(c.limits), c));
  it('on Redis (the Lua scripts)', async () => play(onRedis(redis, c.limits), c));
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
