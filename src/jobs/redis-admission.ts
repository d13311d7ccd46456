/**
 * Per-guild admission on Redis, shared by every gateway process: the rules of admission-rules.ts
 * (the in-process JobQueue follows the same ones), each operation one Lua script
 * (admission-scripts.ts), so it is atomic across processes. The render queue itself (BullMQ) is the
 * caller's: a job admitted with position 0, or handed back as promoted, is the caller's to enqueue.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { checkAdmissionLimits, refuse, type Admission, type AdmissionLimits } from './admission-rules.js';
import {
  admitScript,
  cancelWaitingScript,
  countsScript,
  entryScript,
  lineScript,
  positionScript,
  releaseScript,
  runningEntriesScript,
} from './admission-scripts.js';
import { refundLua, usageLua } from './quota-scripts.js';
import {
  checkGuildLimits,
  NO_CAPS,
  ONE_STORY,
  QUOTA_REASONS,
  quotaMessage,
  type DailyCaps,
  type GuildLimits,
  type GuildUsage,
  type JobCost,
} from './quota-rules.js';

export interface AdmitRequest {
  id: string;
  guildId: string;
  userId: string;
  /** What the job will spend, reserved against the daily caps (one story and nothing else when absent). */
  cost?: JobCost;
}

export type Promoted = Omit<AdmitRequest, 'cost'>;

export interface AdmissionEntry {
  id: string;
  guildId: string;
  userId: string;
  state: 'waiting' | 'running';
  admittedAt: number;
  startedAt?: number;
}

// cjson encodes an empty Lua table as {}: read either as an empty list.
const list = <T extends z.ZodTypeAny>(item: T) =>
  z.union([
    z.array(item),
    z
      .object({})
      .strict()
      .transform(() => []),
  ]);
const admitReply = z.union([
  z.object({ ok: z.literal(true), position: z.number().int().min(0) }),
  z.object({
    ok: z.literal(false),
    reason: z.enum(QUOTA_REASONS),
    limit: z.number(),
    resetsAt: z.number(),
  }),
  z.object({ ok: z.literal(false), reason: z.enum(['user-busy', 'queue-full']) }),
]);
const usageReply = z.object({
  day: z.number(),
  resetsAt: z.number(),
  fleet: z.tuple([z.number(), z.number(), z.number()]),
  guild: z.tuple([z.number(), z.number(), z.number()]),
  top: list(z.string()),
});
const promoteReply = z.object({
  promoted: list(z.object({ id: z.string(), guildId: z.string(), userId: z.string() })),
  changedGuilds: list(z.string()),
});
const entryFields = z.object({
  id: z.string(),
  guildId: z.string(),
  userId: z.string(),
  state: z.enum(['waiting', 'running']),
  admittedAt: z.coerce.number(),
  startedAt: z.coerce.number().optional(),
  seq: z.coerce.number(),
});

export class RedisAdmission {
  private readonly base: string;
  readonly limits: AdmissionLimits;
  readonly caps: DailyCaps;
  private loaded: Promise<void> | undefined;

  constructor(
    private readonly redis: Redis,
    opts: { limits: AdmissionLimits; prefix?: string; caps?: DailyCaps },
  ) {
    this.limits = checkAdmissionLimits(opts.limits);
    this.caps = { ...(opts.caps ?? NO_CAPS) };
    this.base = `${opts.prefix ?? 'sr'}:admission`;
  }

  /** Admission by every rule at once (admission-rules.ts, quota-rules.ts): one script. `guild`: the
   *  server's own limits (its /settings), none when absent. */
  async admit(req: AdmitRequest, guild?: GuildLimits): Promise<Admission> {
    const { perGuildRunning, perGuildWaiting, globalRunning } = this.limits;
    const g = checkGuildLimits(guild ?? { memberDaily: 0, cooldownMinutes: 0, maxRunning: 0 });
    const cost = req.cost ?? ONE_STORY;
    const raw = await this.run(
      admitScript,
      req.id,
      req.guildId,
      req.userId,
      perGuildRunning,
      perGuildWaiting,
      globalRunning,
      g.memberDaily,
      g.cooldownMinutes,
      g.maxRunning,
      this.caps.stories,
      this.caps.narrationCharacters,
      this.caps.images,
      cost.stories,
      cost.narrationCharacters,
      cost.images,
    );
    const reply = admitReply.parse(JSON.parse(String(raw)));
    if (reply.ok) return reply;
    if ('limit' in reply) return { ...reply, message: quotaMessage(reply.reason, reply.limit) };
    return refuse(reply.reason as 'user-busy' | 'queue-full', this.limits);
  }

  /** An admitted job that never ran (abandoned): gives back what it reserved. Idempotent. */
  async refund(id: string): Promise<void> {
    await this.run(refundLua, id);
  }

  /** Today's counts: a server's (with its top members) and the fleet's. */
  async usage(guildId: string, top = 5): Promise<GuildUsage & { fleet: JobCost }> {
    const r = usageReply.parse(JSON.parse(String(await this.run(usageLua, guildId, top))));
    const members: GuildUsage['top'] = [];
    for (let i = 0; i + 1 < r.top.length; i += 2) members.push({ userId: r.top[i]!, stories: Number(r.top[i + 1]) });
    const [stories, narrationCharacters, images] = r.guild;
    const fleet = { stories: r.fleet[0], narrationCharacters: r.fleet[1], images: r.fleet[2] };
    return { day: r.day, resetsAt: r.resetsAt, stories, narrationCharacters, images, top: members, fleet };
  }

  /** A job ended (any way: done, failed, cancelled, given up) or left the line: frees its guild slot,
   *  the fleet slot and its user; then promotes the waiting jobs that now fit, oldest admission
   *  first among guilds with room (a busy guild never starves a quiet one), marking them running.
   *  Idempotent: releasing an unknown or already released id promotes what fits and returns. */
  async release(id: string): Promise<{ promoted: Promoted[]; changedGuilds: string[] }> {
    return this.promoteAfter(id);
  }

  /** Only promotes (e.g. after the limits were raised or a crash): same return as release. */
  async promote(): Promise<{ promoted: Promoted[]; changedGuilds: string[] }> {
    return this.promoteAfter('');
  }

  /** Cancel a job that is still waiting: removed and released -> 'waiting'; running -> 'running' (the
   *  caller stops it through the worker); not known -> 'unknown'. Atomic. */
  async cancelWaiting(id: string): Promise<'waiting' | 'running' | 'unknown'> {
    return z.enum(['waiting', 'running', 'unknown']).parse(await this.run(cancelWaitingScript, id, this.limits.perGuildRunning));
  }

  /** 0 running, 1.. place in its guild's line, undefined unknown. */
  async position(id: string): Promise<number | undefined> {
    const n = Number(await this.run(positionScript, id));
    return n < 0 ? undefined : n;
  }

  async positionsIn(guildId: string): Promise<Map<string, number>> {
    const ids = z.array(z.string()).parse(await this.run(lineScript, guildId));
    return new Map(ids.map((id, i) => [id, i + 1]));
  }

  async get(id: string): Promise<AdmissionEntry | undefined> {
    const flat = z.array(z.string()).parse(await this.run(entryScript, id));
    return flat.length === 0 ? undefined : toEntry(fromFlat(flat));
  }

  /** Every running entry, in admission order (for a sweeper that re-enqueues a promoted job whose BullMQ add was lost). */
  async runningEntries(): Promise<AdmissionEntry[]> {
    const rows = z.array(z.array(z.string())).parse(await this.run(runningEntriesScript));
    // In admission order (seq: several jobs can share one millisecond).
    return rows
      .filter((flat) => flat.length > 0)
      .map((flat) => {
        const hash = fromFlat(flat);
        return { seq: Number(hash.seq), entry: toEntry(hash) };
      })
      .sort((a, b) => a.seq - b.seq)
      .map((r) => r.entry);
  }

  async counts(): Promise<{ waiting: number; running: number }> {
    const [waiting, running] = z.tuple([z.number(), z.number()]).parse(await this.run(countsScript));
    return { waiting, running };
  }

  private async promoteAfter(id: string): Promise<{ promoted: Promoted[]; changedGuilds: string[] }> {
    const raw = await this.run(releaseScript, id, this.limits.perGuildRunning, this.limits.globalRunning);
    const reply = promoteReply.parse(JSON.parse(String(raw)));
    return { promoted: reply.promoted, changedGuilds: reply.changedGuilds.sort() };
  }

  /** EVALSHA after one SCRIPT LOAD of every script, which all calls wait for: calls made together
   *  then reach Redis in the order they were made (an EVALSHA answered NOSCRIPT and sent again
   *  would let later calls overtake it: within a guild, admission order is the order of commands).
   *  A NOSCRIPT later (Redis restarted and lost its script cache) falls back to EVAL. */
  private async run(script: string, ...args: (string | number)[]): Promise<unknown> {
    this.loaded ??= Promise.all(SCRIPTS.map((s) => this.redis.script('LOAD', s))).then(
      () => undefined,
      (error: unknown) => {
        this.loaded = undefined; // Redis away: the next call tries again.
        throw error;
      },
    );
    await this.loaded;
    const sha = shaOf(script);
    try {
      return await this.redis.evalsha(sha, 0, this.base, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return await this.redis.eval(script, 0, this.base, ...args);
    }
  }
}

const SCRIPTS = [
  admitScript,
  releaseScript,
  cancelWaitingScript,
  positionScript,
  lineScript,
  entryScript,
  runningEntriesScript,
  countsScript,
  refundLua,
  usageLua,
];
const shas = new Map<string, string>();
function shaOf(script: string): string {
  let sha = shas.get(script);
  if (!sha) {
    sha = createHash('sha1').update(script).digest('hex');
    shas.set(script, sha);
  }
  return sha;
}

/** HGETALL's flat [field, value, ...] as an object. */
function fromFlat(flat: string[]): Record<string, string> {
  const hash: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) hash[flat[i]!] = flat[i + 1]!;
  return hash;
}

function toEntry(hash: Record<string, string>): AdmissionEntry {
  const e = entryFields.parse(hash);
  const entry: AdmissionEntry = { id: e.id, guildId: e.guildId, userId: e.userId, state: e.state, admittedAt: e.admittedAt };
  if (e.startedAt !== undefined) entry.startedAt = e.startedAt;
  return entry;
}
