/**
 * JobQueue: who runs now and who waits. Limits: jobs running per guild, jobs waiting per guild,
 * jobs running in the whole bot (sized for the machine), and one active job per user (across
 * guilds: one person cannot fill several servers' queues). Waiting jobs start oldest first among
 * the guilds that have room, so a busy guild never starves a quiet one. Listeners hear when a
 * job starts or ends and when the waiting positions in a guild change.
 */
export interface QueuedJob<T> {
  id: string;
  guildId: string;
  userId: string;
  payload: T;
}

import { checkAdmissionLimits, decideAdmission, refuse, type Admission, type AdmissionLimits } from './admission-rules.js';
import { runningLimitOf } from './quota-rules.js';

type Outcome = { ok: true } | { ok: false; error: unknown };

interface Listeners<T> {
  start: ((job: QueuedJob<T>) => void)[];
  end: ((job: QueuedJob<T>, outcome: Outcome) => void)[];
  positions: ((guildId: string, positions: Map<string, number>) => void)[];
}

export class JobQueue<T> {
  private readonly waiting: { job: QueuedJob<T>; seq: number }[] = [];
  private readonly running = new Map<string, { job: QueuedJob<T>; controller: AbortController; done: Promise<void> }>();
  private readonly listeners: Listeners<T> = { start: [], end: [], positions: [] };
  private seq = 0;
  private closed = false;

  private readonly limits: AdmissionLimits;
  /** Servers' own running limits (their maxRunning), when lower than the bot's. */
  private readonly guildRunning = new Map<string, number>();

  constructor(
    private readonly run: (job: QueuedJob<T>, signal: AbortSignal) => Promise<void>,
    limits: AdmissionLimits,
  ) {
    this.limits = checkAdmissionLimits(limits);
  }

  on<K extends keyof Listeners<T>>(event: K, listener: Listeners<T>[K][number]): void {
    (this.listeners[event] as unknown[]).push(listener);
  }

  private runningIn(guildId: string): number {
    let n = 0;
    for (const { job } of this.running.values()) if (job.guildId === guildId) n++;
    return n;
  }

  private hasUser(userId: string): boolean {
    return this.waiting.some((w) => w.job.userId === userId) || [...this.running.values()].some((r) => r.job.userId === userId);
  }

  /** A server's own running limit from now on (its maxRunning; 0 or undefined: the bot's), never above the bot's. */
  limitGuild(guildId: string, maxRunning: number | undefined): void {
    const limit = runningLimitOf(this.limits.perGuildRunning, { memberDaily: 0, cooldownMinutes: 0, maxRunning: maxRunning ?? 0 });
    if (limit < this.limits.perGuildRunning) this.guildRunning.set(guildId, limit);
    else this.guildRunning.delete(guildId);
    // A raised limit may let the line move at once.
    if (!this.closed) this.pump();
  }

  private runningLimit(guildId: string): number {
    return this.guildRunning.get(guildId) ?? this.limits.perGuildRunning;
  }

  /** Would a job from this user in this guild be admitted now? (Nothing changes.) */
  check(guildId: string, userId: string): Admission {
    if (this.closed) return refuse('closed', this.limits);
    return decideAdmission(
      {
        memberBusy: this.hasUser(userId),
        runningInGuild: this.runningIn(guildId),
        waitingInGuild: this.waiting.filter((w) => w.job.guildId === guildId).length,
        runningTotal: this.running.size,
      },
      { ...this.limits, perGuildRunning: this.runningLimit(guildId) },
    );
  }

  submit(job: QueuedJob<T>): Admission {
    const admission = this.check(job.guildId, job.userId);
    if (!admission.ok) return admission;
    this.waiting.push({ job, seq: this.seq++ });
    this.pump();
    return { ok: true, position: this.position(job.id) ?? 0 };
  }

  /** 0 while running, 1.. while waiting (place in its guild's line), undefined when unknown. */
  position(id: string): number | undefined {
    if (this.running.has(id)) return 0;
    const entry = this.waiting.find((w) => w.job.id === id);
    if (!entry) return undefined;
    return this.waiting.filter((w) => w.job.guildId === entry.job.guildId && w.seq <= entry.seq).length;
  }

  positionsIn(guildId: string): Map<string, number> {
    const map = new Map<string, number>();
    let n = 0;
    for (const w of this.waiting) if (w.job.guildId === guildId) map.set(w.job.id, ++n);
    return map;
  }

  has(id: string): boolean {
    return this.running.has(id) || this.waiting.some((w) => w.job.id === id);
  }

  /** A waiting job leaves the line; a running one is told to stop. */
  cancel(id: string, reason: unknown = new Error('Cancelled')): boolean {
    const i = this.waiting.findIndex((w) => w.job.id === id);
    if (i >= 0) {
      const { job } = this.waiting.splice(i, 1)[0]!;
      this.emitPositions(job.guildId);
      this.listeners.end.forEach((l) => l(job, { ok: false, error: reason }));
      return true;
    }
    const r = this.running.get(id);
    if (!r) return false;
    r.controller.abort(reason);
    return true;
  }

  private emitPositions(guildId: string): void {
    const positions = this.positionsIn(guildId);
    this.listeners.positions.forEach((l) => l(guildId, positions));
  }

  private pump(): void {
    const touched = new Set<string>();
    while (this.running.size < this.limits.globalRunning) {
      const next = this.waiting.find((w) => this.runningIn(w.job.guildId) < this.runningLimit(w.job.guildId));
      if (!next) break;
      this.waiting.splice(this.waiting.indexOf(next), 1);
      touched.add(next.job.guildId);
      this.start(next.job);
    }
    for (const g of touched) this.emitPositions(g);
  }

  private start(job: QueuedJob<T>): void {
    const controller = new AbortController();
    this.listeners.start.forEach((l) => l(job));
    const done = Promise.resolve()
      .then(() => this.run(job, controller.signal))
      .then(
        () => ({ ok: true }) as Outcome,
        (error: unknown) => ({ ok: false, error }) as Outcome,
      )
      .then((outcome) => {
        this.running.delete(job.id);
        this.listeners.end.forEach((l) => l(job, outcome));
        if (!this.closed) this.pump();
      });
    this.running.set(job.id, { job, controller, done });
  }

  get runningCount(): number {
    return this.running.size;
  }

  get waitingCount(): number {
    return this.waiting.length;
  }

  /** Stop admitting; optionally abort running jobs; resolves when every running job has settled. */
  async close(opts: { abortRunning: boolean; reason?: unknown } = { abortRunning: false }): Promise<QueuedJob<T>[]> {
    this.closed = true;
    if (opts.abortRunning) for (const r of this.running.values()) r.controller.abort(opts.reason ?? new Error('Shutting down'));
    await Promise.all([...this.running.values()].map((r) => r.done));
    return this.waiting.splice(0).map((w) => w.job);
  }
}
