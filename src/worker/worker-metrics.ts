/**
 * METRICS_PORT set: a render worker serves GET /healthz (Redis answering) and GET /metrics (its
 * renders: durations, realtime factor, provider errors and retries, stand-ins; Discord 429s; the
 * fleet's jobs waiting and running as Redis counts them).
 */
import type { REST } from 'discord.js';
import type { RedisJobs } from '../jobs/redis-jobs.js';
import { createMetrics, type Metrics } from '../metrics/registry.js';
import { startMetricsServer, type MetricsServer } from '../metrics/metrics-server.js';

export async function startWorkerMetrics(
  at: { port: number; host: string },
  deps: { jobs: RedisJobs; rest: REST; running: () => number },
): Promise<{ metrics: Metrics; server: MetricsServer }> {
  const metrics = createMetrics('worker');
  metrics.sampleQueue(() => deps.jobs.admission.counts());
  deps.rest.on('rateLimited', (info) => metrics.countRateLimit(info.route));
  const server = await startMetricsServer({
    ...at,
    metrics,
    health: async () => {
      const redis = await deps.jobs.redis.ping().then(
        () => true,
        () => false,
      );
      return { ok: redis, detail: { role: 'worker', redis: redis ? 'connected' : 'unreachable', rendering: deps.running() } };
    },
  });
  return { metrics, server };
}
