/**
 * The Prometheus metrics of one process (gateway or worker), on its own prom-client Registry
 * (never the global one: tests and two roles in one process must not collide). Every series
 * carries `role`; Prometheus adds `instance` itself. Node's default process metrics come too
 * (CPU, memory, event-loop delay, GC), unprefixed as exporters usually name them.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { discordRouteLabel } from './discord-route.js';
import { liveFfmpegCount } from '../media/run.js';

export type MetricsRole = 'gateway' | 'worker';
/** How a job ended, for jobsTotal's `status` label. */
export type JobStatus = 'done' | 'failed' | 'cancelled' | 'given-up';
export type QueueSampler = () => Promise<{ waiting: number; running: number }>;

export interface Metrics {
  role: MetricsRole;
  registry: Registry;
  /** Jobs admitted and waiting for a slot (fleet-wide as seen from Redis, or this process's queue). */
  jobsWaiting: Gauge;
  jobsRunning: Gauge;
  /** Seconds from the /story command to delivery (or the end), waiting included. */
  jobDuration: Histogram;
  /** Seconds the engine took for one render (script to muxed file). */
  renderDuration: Histogram;
  /** Video seconds per render second: above 1 renders faster than the video plays. */
  realtimeFactor: Histogram;
  /** Failed provider attempts; kind = image | voice | writer. */
  providerErrors: Counter<'provider' | 'kind'>;
  providerRetries: Counter<'provider'>;
  /** A stand-in was used: fallback image/voice provider, a title card, silence, or the offline writer. */
  assetFallbacks: Counter<'kind' | 'provider'>;
  /** HTTP 429 answers from Discord; label from discordRouteLabel() (ids and tokens removed). */
  discordRateLimits: Counter<'route'>;
  jobsTotal: Counter<'status'>;
  /** Count one Discord 429 on a raw route (e.g. discord.js's rateLimited event `route`). */
  countRateLimit(route: string): void;
  /** Read jobsWaiting/jobsRunning at each scrape (e.g. RedisAdmission.counts()); a failing read keeps the last values. */
  sampleQueue(sampler: QueueSampler): void;
  /** The Prometheus text exposition. */
  text(): Promise<string>;
  contentType: string;
}

// Buckets in seconds. One 10-scene video costs 10-15 s of both cores here (docs/benchmarks.md);
// waiting in a busy queue can add minutes, so the job histogram reaches 30 min.
const JOB_BUCKETS = [5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300, 600, 1200, 1800];
const RENDER_BUCKETS = [1, 2.5, 5, 7.5, 10, 15, 20, 30, 45, 60, 90, 120, 300, 600];
// A 10-scene video runs ~60 s of video for ~12 s of render: ~5x; below 1 is slower than playback.
const REALTIME_BUCKETS = [0.25, 0.5, 1, 1.5, 2, 3, 4, 6, 8, 12, 16, 24, 32];

export function createMetrics(role: MetricsRole): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ role });
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  let sampler: QueueSampler | undefined;
  let sampling: Promise<void> | undefined;
  // One read per scrape feeds both gauges (their collect hooks run in the same scrape).
  const sample = (): Promise<void> => {
    if (!sampler) return Promise.resolve();
    sampling ??= sampler()
      .then(({ waiting, running }) => {
        jobsWaiting.set(waiting);
        jobsRunning.set(running);
      })
      .catch(() => {
        // Redis away: the last values stay; /healthz is where the outage shows.
      })
      .finally(() => {
        sampling = undefined;
      });
    return sampling;
  };

  const jobsWaiting: Gauge = new Gauge({
    name: 'storyreel_jobs_waiting',
    help: 'Jobs admitted and waiting for a slot',
    registers,
    collect: sample,
  });
  const jobsRunning: Gauge = new Gauge({ name: 'storyreel_jobs_running', help: 'Jobs running', registers, collect: sample });
  new Gauge({
    name: 'storyreel_ffmpeg_processes',
    help: 'ffmpeg processes this process started that are still running',
    registers,
    collect() {
      this.set(liveFfmpegCount());
    },
  });
  const discordRateLimits = new Counter({
    name: 'storyreel_discord_rate_limits_total',
    help: 'HTTP 429 answers from Discord, by route (ids and tokens removed)',
    labelNames: ['route'] as const,
    registers,
  });

  return {
    role,
    registry,
    jobsWaiting,
    jobsRunning,
    jobDuration: new Histogram({
      name: 'storyreel_job_duration_seconds',
      help: 'Seconds from the command to delivery, waiting included',
      buckets: JOB_BUCKETS,
      registers,
    }),
    renderDuration: new Histogram({
      name: 'storyreel_render_duration_seconds',
      help: 'Seconds one render took',
      buckets: RENDER_BUCKETS,
      registers,
    }),
    realtimeFactor: new Histogram({
      name: 'storyreel_realtime_factor',
      help: 'Video seconds per render second',
      buckets: REALTIME_BUCKETS,
      registers,
    }),
    providerErrors: new Counter({
      name: 'storyreel_provider_errors_total',
      help: 'Failed provider attempts, by provider and kind (image, voice, writer)',
      labelNames: ['provider', 'kind'] as const,
      registers,
    }),
    providerRetries: new Counter({
      name: 'storyreel_provider_retries_total',
      help: 'Provider attempts retried, by provider',
      labelNames: ['provider'] as const,
      registers,
    }),
    assetFallbacks: new Counter({
      name: 'storyreel_asset_fallbacks_total',
      help: 'Stand-ins used, by kind and the stand-in provider',
      labelNames: ['kind', 'provider'] as const,
      registers,
    }),
    discordRateLimits,
    jobsTotal: new Counter({
      name: 'storyreel_jobs_total',
      help: 'Jobs ended, by status (done, failed, cancelled, given-up)',
      labelNames: ['status'] as const,
      registers,
    }),
    countRateLimit: (route) => discordRateLimits.inc({ route: discordRouteLabel(route) }),
    sampleQueue: (fn) => {
      sampler = fn;
    },
    text: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
