/**
 * The default transport: jobs wait and run in this process (JobQueue's limits and fairness), one
 * engine renders them. Admission is decided synchronously inside `admit`, before its caller's
 * first await, so two commands from one user can never both be admitted and a guild's jobs start
 * in the order their commands arrived.
 *
 * A job may be picked to run before its reply exists (the queue starts it on the next tick): it
 * waits for its ticket, which `submit` hands over once the reply is there (`abandon`: never).
 */
import { JobQueue } from './in-process-queue.js';
import { CancelledByUser } from './cancelled-by-user.js';
import type { JobTicket } from './job-ticket.js';
import type { JobStatusInTransport, JobTransport, TransportEnd, TransportEvents } from './job-transport.js';
import type { Admission, AdmissionLimits } from './admission-rules.js';
import { Listeners } from './listeners.js';
import { admitInProcess, type Quotas } from './in-process-admission.js';
import type { GuildLimits, GuildUsage, JobCost } from './quota-rules.js';

export type RunJob = (ticket: JobTicket, signal: AbortSignal) => Promise<TransportEnd>;

export class InProcessTransport implements JobTransport {
  readonly mode = 'in-process' as const;
  readonly queue: JobQueue<string>;
  private readonly tickets = new Map<string, { promise: Promise<JobTicket | undefined>; resolve: (t: JobTicket | undefined) => void }>();
  private readonly listeners = new Listeners<TransportEvents>();
  private closed = false;

  /** `quotas`: the members' and the fleet's daily counts, kept in SQLite (none: no quotas). */
  constructor(
    limits: AdmissionLimits,
    run: RunJob,
    private readonly quotas?: Quotas,
  ) {
    this.queue = new JobQueue<string>(async (job, signal) => {
      const ticket = await this.tickets.get(job.id)?.promise;
      this.tickets.delete(job.id);
      if (!ticket) return;
      this.listeners.emit('started', job.id);
      const end = await run(ticket, signal);
      this.listeners.emit('ended', job.id, end);
    }, limits);
    this.queue.on('positions', (guildId, positions) => this.listeners.emit('positions', guildId, positions));
  }

  on<K extends keyof TransportEvents>(event: K, listener: TransportEvents[K]): void {
    this.listeners.on(event, listener);
  }

  admit(job: { id: string; guildId: string; userId: string; cost?: JobCost }, guildLimits?: GuildLimits): Promise<Admission> {
    let admission: Admission;
    try {
      admission = admitInProcess(this.queue, this.quotas, { ...job, payload: job.id }, guildLimits);
    } catch (error) {
      return Promise.reject(error);
    }
    if (admission.ok) {
      let resolve!: (t: JobTicket | undefined) => void;
      const promise = new Promise<JobTicket | undefined>((r) => (resolve = r));
      this.tickets.set(job.id, { promise, resolve });
    }
    return Promise.resolve(admission);
  }

  async submit(ticket: JobTicket): Promise<void> {
    this.tickets.get(ticket.id)?.resolve(ticket);
  }

  async abandon(id: string): Promise<void> {
    this.tickets.get(id)?.resolve(undefined);
    this.queue.cancel(id);
    this.quotas?.ledger.refund(id);
  }

  async usage(guildId: string): Promise<GuildUsage & { fleet: JobCost }> {
    if (!this.quotas) throw new Error('No quota ledger in this transport');
    return { ...this.quotas.ledger.usage(guildId), fleet: this.quotas.ledger.fleet() };
  }

  async cancel(id: string, byUserId: string): Promise<'waiting' | 'running' | 'unknown'> {
    const position = this.queue.position(id);
    if (position === undefined || !this.queue.cancel(id, new CancelledByUser(byUserId))) return 'unknown';
    if (position > 0) this.tickets.get(id)?.resolve(undefined);
    return position > 0 ? 'waiting' : 'running';
  }

  async position(id: string): Promise<number | undefined> {
    return this.queue.position(id);
  }

  async status(id: string): Promise<JobStatusInTransport> {
    const position = this.queue.position(id);
    if (position === undefined) return { state: 'unknown' };
    return position === 0 ? { state: 'running' } : { state: 'waiting', position };
  }

  async stats(): Promise<{ waiting: number; running: number; workers: number }> {
    return { waiting: this.queue.waitingCount, running: this.queue.runningCount, workers: 1 };
  }

  /** True once close() began: a render stopped now is a pause, not a failure. */
  get closing(): boolean {
    return this.closed;
  }

  async close(opts: { abortRunning: boolean }): Promise<void> {
    this.closed = true;
    await this.queue.close({ abortRunning: opts.abortRunning, reason: new Error('The bot is shutting down') });
    for (const t of this.tickets.values()) t.resolve(undefined);
    this.quotas?.ledger.close();
  }
}
