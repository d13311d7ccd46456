/**
 * Jobs on render workers: admission is atomic on Redis (one Lua script per decision, shared by every
 * gateway process and shard), admitted jobs run from a BullMQ queue that any number of workers
 * (`npm run worker`, on any machine) take from, and what the workers do comes back as BullMQ
 * queue events: started, progress reports for history, ended (completed / failed).
 *
 * Redis down: `admit` answers 'unavailable' at once (commands fail fast, nothing hangs), the bot
 * keeps running and says so privately; BullMQ's own connections reconnect by themselves.
 */
import { QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../core/log.js';
import { describeError } from '../core/describe-error.js';
import type { JobTicket } from './job-ticket.js';
import type { AdmitJob, JobStatusInTransport, JobTransport, TransportEnd, TransportEvents } from './job-transport.js';
import type { DailyCaps, GuildLimits, GuildUsage, JobCost } from './quota-rules.js';
import { refuse, type Admission, type AdmissionLimits } from './admission-rules.js';
import { Listeners } from './listeners.js';
import { watchRedis, type RedisWatch } from './watch-redis.js';
import { sweepRunning } from './sweep-running.js';
import { blocking, failFast, QUEUE_NAME, RedisJobs, whenReady } from './redis-jobs.js';
import { assertRedisSuits } from './redis-policy.js';
import { workerResultSchema, type WorkerReport } from './worker-messages.js';

const SWEEP_EVERY_MS = 30_000;

/** Events only a transport with remote workers has: what they report for history, and jobs BullMQ gave up. */
export interface RemoteEvents extends TransportEvents {
  report: (id: string, report: WorkerReport) => void;
  /** BullMQ failed the job (its workers died too often while running it). */
  lost: (id: string, reason: string) => void;
}

export class BullmqTransport implements JobTransport {
  readonly mode = 'redis' as const;
  private readonly listeners = new Listeners<RemoteEvents>();
  private closed = false;
  private sweeper: NodeJS.Timeout | undefined;
  private watch: RedisWatch | undefined;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly ended = new Set<string>();

  private constructor(
    readonly jobs: RedisJobs,
    private readonly events: QueueEvents,
    private readonly sub: Redis,
    private readonly log: Logger,
    private readonly owns: (guildId: string) => boolean,
  ) {}

  static async connect(opts: {
    url: string;
    limits: AdmissionLimits;
    /** The fleet's daily caps (DAILY_*): none when absent. */
    caps?: DailyCaps;
    ticketSecret: string;
    log: Logger;
    prefix?: string;
    /** This gateway's guilds (a shard's): a line moving elsewhere costs it nothing, not even a Redis call. */
    owns?: (guildId: string) => boolean;
  }): Promise<BullmqTransport> {
    const redis = failFast(opts.url);
    const sub = blocking(opts.url);
    const events = new QueueEvents(QUEUE_NAME, { connection: blocking(opts.url), prefix: opts.prefix ?? 'sr' });
    const jobs = new RedisJobs(redis, {
      url: opts.url,
      limits: opts.limits,
      caps: opts.caps,
      secret: opts.ticketSecret,
      prefix: opts.prefix,
    });
    // Quiet from the first moment: an unreachable Redis is said in one line (below), not per attempt.
    const quiet = () => undefined;
    redis.on('error', quiet);
    sub.on('error', quiet);
    events.on('error', quiet);
    jobs.queue.on('error', quiet);
    try {
      await Promise.all([whenReady(redis), whenReady(sub), events.waitUntilReady(), jobs.queue.waitUntilReady()]);
    } catch (error) {
      redis.disconnect();
      sub.disconnect();
      await events.close().catch(() => undefined);
      throw new Error(`Cannot reach Redis at ${new URL(opts.url).host}: ${describeError(error)}`);
    }
    try {
      await assertRedisSuits(redis, new URL(opts.url).host);
    } catch (error) {
      redis.disconnect();
      sub.disconnect();
      await events.close().catch(() => undefined);
      await jobs.queue.close().catch(() => undefined);
      throw error;
    }
    const transport = new BullmqTransport(jobs, events, sub, opts.log, opts.owns ?? (() => true));
    transport.listen(redis);
    transport.sweeper = setInterval(() => {
      const lost = (id: string) => transport.listeners.emit('lost', id, 'its ticket was lost before it could be queued');
      sweepRunning(jobs, opts.log, lost).catch(() => undefined);
    }, SWEEP_EVERY_MS).unref();
    return transport;
  }

  private listen(redis: Redis): void {
    const { events, sub, jobs, log } = this;
    this.watch = watchRedis(
      redis,
      log,
      {
        lost: 'lost Redis: new stories are refused until it is back; running renders go on',
        back: 'Redis is back: taking stories again',
        still: 'new stories are refused until it is back',
      },
      () => this.closed,
    );
    events.on('active', ({ jobId }) => this.listeners.emit('started', jobId));
    events.on('progress', ({ jobId, data }) => {
      const report = data as WorkerReport;
      if (report && typeof report === 'object' && 'type' in report) this.listeners.emit('report', jobId, report);
    });
    events.on('completed', ({ jobId, returnvalue }) => {
      const parsed = workerResultSchema.safeParse(typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue);
      if (parsed.success && parsed.data.end) this.endOnce(jobId, parsed.data.end as TransportEnd);
    });
    events.on('failed', ({ jobId, failedReason }) => this.listeners.emit('lost', jobId, failedReason));
    void sub.subscribe(jobs.channel('positions'));
    sub.on('message', (_channel, guildId: string) => {
      if (!this.owns(guildId)) return;
      jobs.admission.positionsIn(guildId).then(
        (positions) => this.listeners.emit('positions', guildId, positions),
        (error: unknown) => log.warn(`positions in guild ${guildId}: ${describeError(error)}`),
      );
    });
  }

  /** Runs `task` every `ms` until the transport closes (one at a time: a slow round is not overlapped). */
  repeat(ms: number, task: () => Promise<void>): void {
    let busy = false;
    const timer = setInterval(() => {
      if (busy || this.closed) return;
      busy = true;
      task()
        .catch(() => undefined)
        .finally(() => (busy = false));
    }, ms);
    timer.unref();
    this.timers.push(timer);
  }

  /** How the delivered run of a job ended, from the delivery ledger (undefined: not delivered, or Redis away). */
  async deliveredEnd(id: string): Promise<TransportEnd | undefined> {
    return (await this.jobs.delivered(id)) as TransportEnd | undefined;
  }

  on<K extends keyof RemoteEvents>(event: K, listener: RemoteEvents[K]): void {
    this.listeners.on(event, listener);
  }

  async admit(job: AdmitJob, guildLimits?: GuildLimits): Promise<Admission> {
    if (this.closed) return refuse('closed', this.jobs.admission.limits);
    try {
      return await this.jobs.admission.admit(job, guildLimits);
    } catch (error) {
      this.log.warn(`admission failed, Redis unreachable: ${describeError(error)}`);
      return refuse('unavailable', this.jobs.admission.limits);
    }
  }

  async submit(ticket: JobTicket): Promise<void> {
    await this.jobs.saveTicket(ticket);
    if ((await this.jobs.admission.get(ticket.id))?.state === 'running') await this.jobs.enqueue(ticket.id);
  }

  async abandon(id: string): Promise<void> {
    await this.jobs.admission.refund(id);
    await this.jobs.release(id);
  }

  /** Today's counts, from Redis (the gateways never keep them in SQLite in this mode). */
  usage(guildId: string): Promise<GuildUsage & { fleet: JobCost }> {
    return this.jobs.admission.usage(guildId);
  }

  async cancel(id: string, byUserId: string): Promise<'waiting' | 'running' | 'unknown'> {
    const where = await this.jobs.admission.cancelWaiting(id);
    if (where === 'waiting') await this.jobs.enqueueAndAnnounce(await this.jobs.admission.promote());
    if (where === 'running') await this.jobs.requestCancel(id, byUserId);
    return where;
  }

  async position(id: string): Promise<number | undefined> {
    return this.jobs.admission.position(id);
  }

  async status(id: string): Promise<JobStatusInTransport> {
    const entry = await this.jobs.admission.get(id);
    if (entry?.state === 'waiting') return { state: 'waiting', position: (await this.jobs.admission.position(id)) ?? 1 };
    if (entry?.state === 'running') return { state: 'running' };
    const delivered = await this.jobs.delivered(id);
    if (delivered) return { state: 'ended', end: delivered };
    return { state: 'unknown' };
  }

  /** Tells every listener a job ended, as a queue event would have (the ledger knew it first). */
  endedFromLedger(id: string, end: TransportEnd): void {
    this.endOnce(id, end);
  }

  /** 'ended' once per job, whether the queue event or the ledger told first (metrics count each). */
  private endOnce(id: string, end: TransportEnd): void {
    if (end.status !== 'requeue') {
      if (this.ended.has(id)) return;
      this.ended.add(id);
      // Remembered long enough for the slower of the two to arrive; the oldest are forgotten.
      if (this.ended.size > 10_000) this.ended.delete(this.ended.values().next().value!);
    }
    this.listeners.emit('ended', id, end);
  }

  /** Frees a job BullMQ gave up on (its places go to the next in line). */
  release(id: string): Promise<void> {
    return this.jobs.release(id);
  }

  async stats(): Promise<{ waiting: number; running: number; workers: number }> {
    const [counts, workers] = await Promise.all([this.jobs.admission.counts(), this.jobs.queue.getWorkersCount()]);
    return { ...counts, workers };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    this.watch?.stop();
    for (const timer of this.timers) clearInterval(timer);
    await this.events.close().catch(() => undefined);
    this.sub.disconnect();
    await this.jobs.close().catch(() => undefined);
  }
}
