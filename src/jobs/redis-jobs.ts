/**
 * The Redis side of jobs, shared by the gateway's transport and the render workers: admission
 * (redis-admission.ts), the BullMQ queue the admitted jobs run from, sealed tickets, the cancel
 * and positions channels, and the delivered-once ledger.
 *
 * Keys (prefix `sr`): `sr:ticket:{id}` the sealed ticket (1 day); `sr:cancel:{id}` who cancelled a
 * running job (1 hour, for a worker that takes it up after the message went out); `sr:delivering:{id}`
 * the run that may upload (60 s, renewed every 20 s by its run until it has delivered or let go:
 * a large video on a slow link can take longer than that); `sr:delivered:{id}` how
 * the delivered run ended (1 day). Channels: `sr:cancel` ({id, by}), `sr:positions` (a guild id).
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { Queue } from 'bullmq';
import { z } from 'zod';
import { sleep } from '../core/sleep.js';
import type { JobFinish } from '../store/job-history.js';
import type { DailyCaps } from './quota-rules.js';
import { RedisAdmission } from './redis-admission.js';
import { createSealer, type Sealer } from './seal.js';
import { jobTicketSchema, type JobTicket } from './job-ticket.js';
import type { AdmissionLimits } from './admission-rules.js';

export const QUEUE_NAME = 'storyreel-render';
const TICKET_TTL_S = 24 * 3600;
const CANCEL_TTL_S = 3600;
const DELIVERING_TTL_MS = 60_000;
/** How long a second run waits for the first to finish delivering before it takes over. */
const DELIVERY_WAIT_MS = 90_000;

/** How long a run waits for Redis to say whether it still holds its job before skipping an edit. */
const HOLDS_TIMEOUT_MS = 5000;

/**
 * Which run this is: BullMQ's lock on the job (its key and this run's token) and a token of the
 * run's own for the delivery claim. Without a lock (tests, tools) only delivery is checked.
 */
export interface RunHolder {
  lock?: { key: string; token: string };
  runToken?: string;
}

export type DeliveryClaim = { ok: true } | { ok: false; previous?: JobFinish; stale?: boolean };

// KEYS: lock, delivered, delivering. ARGV: lock token ('' = no lock to check), run token, claim ms.
const CLAIM_SCRIPT = `
if ARGV[1] ~= '' and redis.call('get', KEYS[1]) ~= ARGV[1] then return 'stale' end
if redis.call('exists', KEYS[2]) == 1 then return 'delivered' end
if redis.call('set', KEYS[3], ARGV[2], 'PX', ARGV[3], 'NX') then return 'ok' end
if redis.call('get', KEYS[3]) == ARGV[2] then return 'ok' end
return 'busy'`;

// KEYS: lock, delivered, delivering. ARGV: lock token ('' = no lock to check), run token.
const HOLDS_SCRIPT = `
if ARGV[1] ~= '' and redis.call('get', KEYS[1]) ~= ARGV[1] then return 0 end
if redis.call('exists', KEYS[2]) == 1 then return 0 end
local claim = redis.call('get', KEYS[3])
if claim and claim ~= ARGV[2] then return 0 end
return 1`;

// KEYS: delivering. ARGV: run token, claim ms. 1: still this run's claim, extended; 0: not its claim any more.
const RENEW_CLAIM_SCRIPT = `
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end
return 0`;

const DROP_CLAIM_SCRIPT = `
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0`;

/** A BullMQ job's data: the sealed ticket only. */
export interface RenderJobData {
  ticket: string;
}

export interface RedisJobsOptions {
  url: string;
  limits: AdmissionLimits;
  /** The fleet's daily caps (DAILY_*), reserved against at admission: none when absent. */
  caps?: DailyCaps;
  /** The bot token: the key for sealing tickets (every process has the same .env). */
  secret: string;
  prefix?: string;
  /** How long a delivery claim lasts without renewal (default 60 s; tests shorten it). */
  deliveryClaimMs?: number;
}

/** ioredis options for commands that must fail fast when Redis is down (admission: a clear refusal, not a hang). */
export function failFast(url: string): Redis {
  return quiet(new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false, connectTimeout: 3000 }));
}

/**
 * Every connection gets an error listener the moment it exists: without one, ioredis prints
 * "[ioredis] Unhandled error event" and a stack for each reconnect attempt while Redis is away.
 * What an outage means is said once per process by watchRedis (watch-redis.ts).
 */
function quiet(redis: Redis): Redis {
  redis.on('error', () => undefined);
  return redis;
}

/** Resolves once the connection is ready for commands (a fail-fast connection refuses them before). */
export function whenReady(redis: Redis, timeoutMs = 5000): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    const onReady = () => done();
    const onError = (error: Error) => done(error);
    const done = (error?: Error) => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      redis.off('error', onError);
      if (error) reject(error);
      else resolve();
    };
    redis.once('ready', onReady);
    redis.once('error', onError);
  });
}

/** ioredis options BullMQ's blocking connections need (workers, queue events). */
export function blocking(url: string): Redis {
  return quiet(new Redis(url, { maxRetriesPerRequest: null }));
}

export class RedisJobs {
  readonly admission: RedisAdmission;
  readonly queue: Queue<RenderJobData>;
  private readonly sealer: Sealer;
  private readonly prefix: string;
  private readonly claimMs: number;
  /** The claims this process holds, kept alive while their runs upload (job id -> timer). */
  private readonly kept = new Map<string, NodeJS.Timeout>();

  constructor(
    readonly redis: Redis,
    opts: RedisJobsOptions,
  ) {
    this.prefix = opts.prefix ?? 'sr';
    this.claimMs = opts.deliveryClaimMs ?? DELIVERING_TTL_MS;
    this.admission = new RedisAdmission(redis, { limits: opts.limits, prefix: this.prefix, caps: opts.caps });
    this.queue = new Queue<RenderJobData>(QUEUE_NAME, { connection: failFast(opts.url), prefix: this.prefix });
    this.sealer = createSealer(opts.secret);
  }

  private key(...parts: string[]): string {
    return [this.prefix, ...parts].join(':');
  }

  channel(name: 'cancel' | 'positions'): string {
    return this.key(name);
  }

  async saveTicket(ticket: JobTicket): Promise<void> {
    await this.redis.set(this.key('ticket', ticket.id), this.sealer.seal(JSON.stringify(ticket), ticket.id), 'EX', TICKET_TTL_S);
  }

  async ticket(id: string): Promise<JobTicket | undefined> {
    const sealed = await this.redis.get(this.key('ticket', id));
    return sealed === null ? undefined : this.openTicket(sealed, id);
  }

  /** The ticket sealed for job `id`; throws when it is not (tampered, truncated, another job's, another key's). */
  openTicket(sealed: string, id: string): JobTicket {
    const ticket = jobTicketSchema.parse(JSON.parse(this.sealer.open(sealed, id)));
    if (ticket.id !== id) throw new Error(`the ticket is job ${ticket.id}'s, not ${id}'s`);
    return ticket;
  }

  /** Puts an admitted, running job on the render queue (a second add of the same id is a no-op). */
  async enqueue(id: string): Promise<boolean> {
    const sealed = await this.redis.get(this.key('ticket', id));
    if (sealed === null) return false; // not submitted yet: its submit enqueues it
    await this.queue.add(
      'story',
      { ticket: sealed },
      { jobId: id, removeOnComplete: { age: TICKET_TTL_S }, removeOnFail: { age: TICKET_TTL_S } },
    );
    return true;
  }

  /** A job left the line or ended: free its places, start what now fits, tell every gateway. */
  async release(id: string): Promise<void> {
    await this.enqueueAndAnnounce(await this.admission.release(id));
  }

  /** The jobs admission promoted go on the render queue; the servers whose line moved are announced to every gateway. */
  async enqueueAndAnnounce(outcome: { promoted: { id: string }[]; changedGuilds: string[] }): Promise<void> {
    for (const p of outcome.promoted) await this.enqueue(p.id);
    for (const guild of outcome.changedGuilds) await this.redis.publish(this.channel('positions'), guild);
  }

  async requestCancel(id: string, by: string): Promise<void> {
    await this.redis.set(this.key('cancel', id), by, 'EX', CANCEL_TTL_S);
    await this.redis.publish(this.channel('cancel'), JSON.stringify({ id, by }));
  }

  async cancelledBy(id: string): Promise<string | undefined> {
    return (await this.redis.get(this.key('cancel', id))) ?? undefined;
  }

  /**
   * May this run upload the video? Yes for exactly one run: the first to claim it while it holds
   * the job's lock. Another run (BullMQ delivers at least once: a worker thought dead may still
   * finish) waits for the first to say how it ended and answers no; if the first died before
   * delivering, its claim lapses and this run delivers. A run whose lock another run now holds
   * never claims (`stale`).
   */
  async claimDelivery(id: string, holder: RunHolder = {}): Promise<DeliveryClaim> {
    const runToken = holder.runToken ?? randomBytes(8).toString('hex');
    const until = Date.now() + DELIVERY_WAIT_MS;
    for (;;) {
      const answer = (await this.redis.eval(
        CLAIM_SCRIPT,
        3,
        holder.lock?.key ?? this.key('no-lock'),
        this.key('delivered', id),
        this.key('delivering', id),
        holder.lock?.token ?? '',
        runToken,
        this.claimMs,
      )) as 'ok' | 'stale' | 'delivered' | 'busy';
      if (answer === 'ok') {
        this.keepClaim(id, runToken);
        return { ok: true };
      }
      if (answer === 'stale') return { ok: false, stale: true };
      if (answer === 'delivered') return { ok: false, previous: await this.delivered(id) };
      if (Date.now() > until) return { ok: false };
      await sleep(1000);
    }
  }

  /**
   * May this run edit the job's message now? Only while it holds the job's lock, nobody has
   * delivered it, and no other run is delivering it. 'unknown' when Redis does not answer in time
   * (the edit is skipped, the run goes on).
   */
  async holds(id: string, holder: RunHolder, timeoutMs = HOLDS_TIMEOUT_MS): Promise<'yes' | 'no' | 'unknown'> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'unknown'>((resolve) => (timer = setTimeout(() => resolve('unknown'), timeoutMs)));
    const asked = this.redis
      .eval(
        HOLDS_SCRIPT,
        3,
        holder.lock?.key ?? this.key('no-lock'),
        this.key('delivered', id),
        this.key('delivering', id),
        holder.lock?.token ?? '',
        holder.runToken ?? '',
      )
      .then((answer) => (answer === 1 ? ('yes' as const) : ('no' as const)))
      .catch(() => 'unknown' as const);
    try {
      return await Promise.race([asked, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Renews this run's claim at a third of its life until the run delivers (markDelivered) or lets
   * go (dropClaim), or the claim is not its own any more. A run that died stops renewing: its claim
   * lapses and another run delivers.
   */
  private keepClaim(id: string, runToken: string): void {
    this.stopKeeping(id);
    const timer = setInterval(() => {
      this.redis.eval(RENEW_CLAIM_SCRIPT, 1, this.key('delivering', id), runToken, this.claimMs).then(
        (renewed) => {
          if (renewed !== 1 && this.kept.get(id) === timer) this.stopKeeping(id);
        },
        // Redis away for a moment: the next tick tries again (the claim lasts three ticks).
        () => undefined,
      );
    }, this.claimMs / 3);
    timer.unref();
    this.kept.set(id, timer);
  }

  private stopKeeping(id: string): void {
    clearInterval(this.kept.get(id));
    this.kept.delete(id);
  }

  /** A run that lost the job (or will not deliver) lets go of its delivery claim, so another need not wait for it to lapse. */
  async dropClaim(id: string, runToken: string): Promise<void> {
    this.stopKeeping(id);
    await this.redis.eval(DROP_CLAIM_SCRIPT, 1, this.key('delivering', id), runToken);
  }

  async markDelivered(id: string, end: JobFinish): Promise<void> {
    this.stopKeeping(id);
    await this.redis.set(this.key('delivered', id), JSON.stringify(end), 'EX', TICKET_TTL_S);
    await this.redis.del(this.key('delivering', id), this.key('ticket', id), this.key('cancel', id));
  }

  async delivered(id: string): Promise<JobFinish | undefined> {
    const raw = await this.redis.get(this.key('delivered', id));
    return raw === null ? undefined : (z.object({ status: z.string() }).passthrough().parse(JSON.parse(raw)) as JobFinish);
  }

  async close(): Promise<void> {
    for (const id of [...this.kept.keys()]) this.stopKeeping(id);
    await this.queue.close();
    this.redis.disconnect();
  }
}
