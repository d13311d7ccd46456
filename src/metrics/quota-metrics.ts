/**
 * The bot owner's view of the daily budget: the fleet's totals for the current UTC day (read at
 * each scrape, from SQLite in one-process mode or Redis with render workers: every gateway shows
 * the same fleet figures, take max across instances) and admissions refused, by reason (this
 * process's: sum across instances).
 */
import { Counter, Gauge } from 'prom-client';
import type { RefusalReason } from '../jobs/admission-rules.js';
import type { JobCost } from '../jobs/quota-rules.js';
import type { Metrics } from './registry.js';

export interface QuotaMetrics {
  countRefusal(reason: RefusalReason): void;
}

export function addQuotaMetrics(metrics: Metrics, fleetToday: () => Promise<JobCost>): QuotaMetrics {
  const registers = [metrics.registry];
  let reading: Promise<void> | undefined;
  // One read per scrape feeds the three gauges.
  const sample = (): Promise<void> => {
    reading ??= fleetToday()
      .then((fleet) => {
        stories.set(fleet.stories);
        characters.set(fleet.narrationCharacters);
        images.set(fleet.images);
      })
      .catch(() => {
        // Redis away: the last values stay.
      })
      .finally(() => {
        reading = undefined;
      });
    return reading;
  };
  const stories: Gauge = new Gauge({
    name: 'storyreel_daily_stories',
    help: 'Stories admitted today (UTC) in the whole bot, against DAILY_STORIES',
    registers,
    collect: sample,
  });
  const characters: Gauge = new Gauge({
    name: 'storyreel_daily_narration_characters',
    help: 'Narration characters reserved today (UTC) in the whole bot, against DAILY_NARRATION_CHARACTERS',
    registers,
    collect: sample,
  });
  const images: Gauge = new Gauge({
    name: 'storyreel_daily_images',
    help: 'Images reserved today (UTC) in the whole bot, against DAILY_IMAGES',
    registers,
    collect: sample,
  });
  const refusals = new Counter({
    name: 'storyreel_admission_refusals_total',
    help: 'Stories refused at admission, by reason (member-daily, cooldown, daily-stories, daily-narration, daily-images, user-busy, queue-full, ...)',
    labelNames: ['reason'] as const,
    registers,
  });
  return { countRefusal: (reason) => refusals.inc({ reason }) };
}
