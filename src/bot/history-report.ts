/** How the gateway records a job's life in history, whether the job ran here or on a worker. */
import type { JobHistory } from '../store/job-history.js';
import type { JobReport } from '../job-runner/run-story-job.js';
import type { TransportEnd } from '../jobs/job-transport.js';

/** A finish for history; `requeue` (its process stopped) puts it back in line without counting a resume. */
export function recordEnd(history: JobHistory, id: string, end: TransportEnd): void {
  if (end.status === 'requeue') history.checkpoint(id);
  else history.finish(id, end);
}

export function historyReport(history: JobHistory, id: string): JobReport {
  return {
    running: () => void history.markRunning(id),
    saved: (progress) => void history.saveProgress(id, progress),
    ended: (end) => recordEnd(history, id, end),
  };
}
