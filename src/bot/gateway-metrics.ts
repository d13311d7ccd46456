/**
 * METRICS_PORT set: the gateway serves GET /healthz (Discord connected and the job transport
 * answering) and GET /metrics (jobs waiting and running, job durations and ends, Discord 429s, and
 * in one-process mode the renders' own figures). Off when METRICS_PORT is unset.
 */
import type { Client } from 'discord.js';
import { Status } from 'discord.js';
import type { JobHistory } from '../store/job-history.js';
import type { JobTransport } from '../jobs/job-transport.js';
import { createMetrics, type Metrics } from '../metrics/registry.js';
import { startMetricsServer, type MetricsServer } from '../metrics/metrics-server.js';

export { createMetrics };

/**
 * Every shard of this client is connected. discord.js's manager-wide status stays Ready once the
 * first READY came, whatever happens after; each shard's own status follows its connection.
 */
export function connectedToDiscord(client: Client): boolean {
  const shards = [...client.ws.shards.values()];
  return shards.length > 0 && shards.every((shard) => shard.status === Status.Ready);
}

export async function serveGatewayMetrics(
  at: { port: number; host: string },
  metrics: Metrics,
  deps: { client: Client; transport: JobTransport; history: JobHistory },
): Promise<MetricsServer> {
  const { client, transport, history } = deps;
  metrics.sampleQueue(() => transport.stats());
  client.rest.on('rateLimited', (info) => metrics.countRateLimit(info.route));
  transport.on('ended', (id, end) => {
    if (end.status === 'requeue') return;
    metrics.jobsTotal.inc({ status: end.status === 'interrupted' ? 'given-up' : end.status });
    const job = history.get(id);
    if (job) metrics.jobDuration.observe((Date.now() - job.createdAt) / 1000);
  });
  return startMetricsServer({
    ...at,
    metrics,
    health: async () => {
      const discord = connectedToDiscord(client);
      const stats = await transport.stats().then(
        (s) => ({ ok: true as const, ...s }),
        () => ({ ok: false as const }),
      );
      return {
        ok: discord && stats.ok,
        detail: { role: 'gateway', mode: transport.mode, discord: discord ? 'connected' : 'disconnected', jobs: stats },
      };
    },
  });
}
