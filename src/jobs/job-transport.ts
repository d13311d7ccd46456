/**
 * The one interface between the bot and wherever jobs run: in this process (in-process-transport.ts,
 * the default) or on render workers through BullMQ on Redis (bullmq-transport.ts, with REDIS_URL).
 * The bot admits, submits, cancels and listens; it does not know which transport runs.
 */
import type { JobFinish } from '../store/job-history.js';
import type { JobTicket } from './job-ticket.js';

import type { Admission } from './admission-rules.js';
import type { GuildLimits, GuildUsage, JobCost } from './quota-rules.js';

/** How a job ended, as the transport saw it; `requeue`: its process stopped and it will run again. */
export type TransportEnd = JobFinish | { status: 'requeue' };

export type JobStatusInTransport =
  | { state: 'waiting'; position: number }
  | { state: 'running' }
  | { state: 'ended'; end: TransportEnd }
  | { state: 'unknown' };

export interface TransportEvents {
  /** The waiting positions in a guild changed (job id -> place in line, 1 = next). */
  positions: (guildId: string, positions: Map<string, number>) => void;
  /** A job started running (on a worker, or here). */
  started: (id: string) => void;
  /** A job ended: done, failed, cancelled or interrupted, or `requeue` when its process stopped and it will run again. */
  ended: (id: string, end: TransportEnd) => void;
}

/** A job asking to be admitted; `cost` is reserved against the daily caps (one story when absent). */
export interface AdmitJob {
  id: string;
  guildId: string;
  userId: string;
  cost?: JobCost;
}

export interface JobTransport {
  readonly mode: 'in-process' | 'redis';
  /**
   * May this job join the line? Decided at once and atomically (in-process: before the first await;
   * on Redis: one script), so two commands can never both pass a limit and order is kept.
   */
  admit(job: AdmitJob, guildLimits?: GuildLimits): Promise<Admission>;
  /** The admitted job is recorded and its reply exists: it runs when its turn comes. */
  submit(ticket: JobTicket): Promise<void>;
  /** An admitted job that will not be submitted (its reply failed): frees its place and gives back its quota reservation. */
  abandon(id: string): Promise<void>;
  /** 'waiting': taken out of the line; 'running': told to stop; 'unknown': not in line or running. */
  cancel(id: string, byUserId: string): Promise<'waiting' | 'running' | 'unknown'>;
  /** 0 running, 1.. place in its guild's line, undefined when unknown. */
  position(id: string): Promise<number | undefined>;
  /** Where a job is: in line, running, ended (how, when the transport kept it), or unknown here. */
  status(id: string): Promise<JobStatusInTransport>;
  on<K extends keyof TransportEvents>(event: K, listener: TransportEvents[K]): void;
  /** Today's counts (quota-rules.ts): this server's, its top members, and the fleet's. */
  usage(guildId: string): Promise<GuildUsage & { fleet: JobCost }>;
  /** Jobs waiting and running, and the render workers seen (in-process: this process). */
  stats(): Promise<{ waiting: number; running: number; workers: number }>;
  /** Stop admitting; with abortRunning, running renders here stop (and go back in line). */
  close(opts: { abortRunning: boolean }): Promise<void>;
}
