/**
 * Holds the fleet's places true when a step between Redis and BullMQ was lost (a gateway killed
 * between admitting a job and queueing it, Redis gone at the moment a worker freed its places):
 * a job that Redis counts as running for over a minute but that BullMQ does not have is queued
 * (its ticket is there) or ended (it is not); one BullMQ finished is released. Idempotent: every
 * gateway process may run it.
 */
import type { Logger } from '../core/log.js';
import { describeError } from '../core/describe-error.js';
import type { RedisJobs } from './redis-jobs.js';

const GRACE_MS = 60_000;

export async function sweepRunning(jobs: RedisJobs, log: Logger, onLost: (id: string) => void, now = Date.now()): Promise<void> {
  for (const entry of await jobs.admission.runningEntries()) {
    if (now - (entry.startedAt ?? entry.admittedAt) < GRACE_MS) continue;
    try {
      const job = await jobs.queue.getJob(entry.id);
      const state = job ? await job.getState() : 'missing';
      if (state === 'completed' || state === 'failed') {
        log.warn(`job ${entry.id}: finished on the queue but still held a place; released`);
        await jobs.release(entry.id);
      } else if (state === 'missing' || state === 'unknown') {
        if (await jobs.enqueue(entry.id)) log.warn(`job ${entry.id}: admitted but never queued; queued now`);
        else {
          log.warn(`job ${entry.id}: admitted but its ticket is gone; ended`);
          await jobs.release(entry.id);
          onLost(entry.id);
        }
      }
    } catch (error) {
      log.warn(`job ${entry.id}: sweep failed: ${describeError(error)}`);
    }
  }
}
