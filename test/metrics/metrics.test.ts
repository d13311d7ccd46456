/** Metrics: progress events folded into prom-client, scraped for real over loopback; /healthz; port clash. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../src/engine/events.js';
import { discordRouteLabel } from '../../src/metrics/discord-route.js';
import { startMetricsServer, type Health, type MetricsServer } from '../../src/metrics/metrics-server.js';
import { foldProgressEvent, progressMetricsListener } from '../../src/metrics/progress-metrics.js';
import { createMetrics } from '../../src/metrics/registry.js';

const open: MetricsServer[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

async function serve(...args: Parameters<typeof startMetricsServer>): Promise<MetricsServer> {
  const server = await startMetricsServer(args[0]);
  open.push(server);
  return server;
}

const healthy = async (): Promise<Health> => ({ ok: true, detail: { mode: 'worker', redis: 'up' } });

/** The value of one series in Prometheus text, found by name and (a subset of) its labels. */
function valueOf(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const found = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(m[3]);
  }
  return undefined;
}

async function scrape(port: number, path = '/metrics', init?: RequestInit): Promise<{ status: number; type: string | null; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, init);
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
}

const asset = (state: 'retrying' | 'failed' | 'fallback', provider: string, kind: 'image' | 'voice' = 'image'): ProgressEvent => ({
  type: 'asset',
  atMs: 10,
  scene: 0,
  kind,
  state,
  attempt: 1,
  provider,
  error: 'HTTP 503',
});

describe('progress events folded into metrics, scraped over loopback', () => {
  it('counts retries, errors and fallbacks by provider and kind, and observes render time and realtime factor', async () => {
    const metrics = createMetrics('worker');
    const listen = progressMetricsListener(metrics);
    const events: ProgressEvent[] = [
      { type: 'script', atMs: 5, scenes: 3, writer: 'local', fallbackReason: 'openai writer failed: HTTP 500' },
      { type: 'asset', atMs: 6, scene: 0, kind: 'image', state: 'started', attempt: 1, provider: 'pollinations' },
      asset('retrying', 'pollinations'),
      asset('retrying', 'pollinations'),
      asset('failed', 'pollinations'),
      asset('fallback', 'local'),
      asset('retrying', 'inworld', 'voice'),
      { type: 'asset', atMs: 30, scene: 1, kind: 'voice', state: 'done', attempt: 2, provider: 'inworld', ms: 20 },
      asset('fallback', 'silence', 'voice'),
      { type: 'clip', atMs: 40, scene: 0, state: 'done', ms: 5 },
      { type: 'mux', atMs: 50, state: 'done', ms: 5, sizeBytes: 1000 },
      { type: 'done', atMs: 12_000, sizeBytes: 1000, durationSeconds: 60 },
    ];
    events.forEach(listen);
    metrics.jobsTotal.inc({ status: 'done' });
    metrics.jobsTotal.inc({ status: 'cancelled' });
    metrics.jobDuration.observe(42);

    const server = await serve({ port: 0, host: '127.0.0.1', metrics, health: healthy });
    const { status, type, body } = await scrape(server.port);
    expect(status).toBe(200);
    expect(type).toContain('text/plain');

    const role = { role: 'worker' };
    expect(valueOf(body, 'storyreel_provider_errors_total', { provider: 'pollinations', kind: 'image', ...role })).toBe(3);
    expect(valueOf(body, 'storyreel_provider_errors_total', { provider: 'inworld', kind: 'voice' })).toBe(1);
    expect(valueOf(body, 'storyreel_provider_errors_total', { provider: 'openai', kind: 'writer' })).toBe(1);
    expect(valueOf(body, 'storyreel_provider_retries_total', { provider: 'pollinations' })).toBe(2);
    expect(valueOf(body, 'storyreel_provider_retries_total', { provider: 'inworld' })).toBe(1);
    expect(valueOf(body, 'storyreel_provider_retries_total', { provider: 'local' })).toBeUndefined();
    expect(valueOf(body, 'storyreel_asset_fallbacks_total', { kind: 'image', provider: 'local' })).toBe(1);
    expect(valueOf(body, 'storyreel_asset_fallbacks_total', { kind: 'voice', provider: 'silence' })).toBe(1);
    expect(valueOf(body, 'storyreel_asset_fallbacks_total', { kind: 'writer', provider: 'local' })).toBe(1);
    // done at 12 s for a 60 s video: one render of 12 s, realtime factor 5.
    expect(valueOf(body, 'storyreel_render_duration_seconds_count')).toBe(1);
    expect(valueOf(body, 'storyreel_render_duration_seconds_sum')).toBe(12);
    expect(valueOf(body, 'storyreel_render_duration_seconds_bucket', { le: '10' })).toBe(0);
    expect(valueOf(body, 'storyreel_render_duration_seconds_bucket', { le: '15' })).toBe(1);
    expect(valueOf(body, 'storyreel_realtime_factor_sum')).toBe(5);
    expect(valueOf(body, 'storyreel_realtime_factor_bucket', { le: '4' })).toBe(0);
    expect(valueOf(body, 'storyreel_realtime_factor_bucket', { le: '6' })).toBe(1);
    expect(valueOf(body, 'storyreel_job_duration_seconds_sum')).toBe(42);
    expect(valueOf(body, 'storyreel_jobs_total', { status: 'done' })).toBe(1);
    expect(valueOf(body, 'storyreel_jobs_total', { status: 'cancelled' })).toBe(1);
    // Node's default process metrics, on this registry, with the role.
    expect(valueOf(body, 'process_cpu_user_seconds_total', role)).toBeGreaterThan(0);
    expect(valueOf(body, 'nodejs_eventloop_lag_p99_seconds', role)).toBeGreaterThanOrEqual(0);
  });

  it('reads the queue gauges from a sampler at each scrape and keeps the last values when it fails', async () => {
    const metrics = createMetrics('gateway');
    let answer: () => Promise<{ waiting: number; running: number }> = async () => ({ waiting: 3, running: 2 });
    metrics.sampleQueue(() => answer());
    const server = await serve({ port: 0, metrics, health: healthy });
    // no host given: loopback, not every interface (the endpoints have no authentication)
    expect(server.address).toBe('127.0.0.1');
    let body = (await scrape(server.port)).body;
    expect(valueOf(body, 'storyreel_jobs_waiting', { role: 'gateway' })).toBe(3);
    expect(valueOf(body, 'storyreel_jobs_running', { role: 'gateway' })).toBe(2);
    // ffmpeg processes this process started and that still run: none here
    expect(valueOf(body, 'storyreel_ffmpeg_processes', { role: 'gateway' })).toBe(0);
    answer = async () => ({ waiting: 7, running: 1 });
    body = (await scrape(server.port)).body;
    expect(valueOf(body, 'storyreel_jobs_waiting')).toBe(7);
    answer = async () => {
      throw new Error('Connection is closed.');
    };
    const failed = await scrape(server.port);
    expect(failed.status).toBe(200);
    expect(valueOf(failed.body, 'storyreel_jobs_waiting')).toBe(7);
    expect(valueOf(failed.body, 'storyreel_jobs_running')).toBe(1);
  });

  it('two registries keep their own values', async () => {
    const a = createMetrics('gateway');
    const b = createMetrics('worker');
    foldProgressEvent(a, asset('failed', 'pollinations'));
    expect(valueOf(await a.text(), 'storyreel_provider_errors_total', { provider: 'pollinations' })).toBe(1);
    expect(valueOf(await b.text(), 'storyreel_provider_errors_total', { provider: 'pollinations' })).toBeUndefined();
  });
});

describe('Discord 429s', () => {
  it('are counted by route, with ids and tokens taken out of the label', async () => {
    const metrics = createMetrics('gateway');
    const token = 'aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OmV4YW1wbGUtdG9rZW4tdmFsdWUtMTIzNDU2Nzg5MA';
    metrics.countRateLimit(`/webhooks/1234567890123456789/${token}/messages/@original`);
    metrics.countRateLimit(`/webhooks/1234567890123456789/${token}/messages/@original`);
    metrics.countRateLimit('/channels/223456789012345678/messages');
    const body = await metrics.text();
    expect(body).not.toContain(token);
    expect(body).not.toContain('223456789012345678');
    expect(valueOf(body, 'storyreel_discord_rate_limits_total', { route: '/webhooks/:id/:token/messages/@original' })).toBe(2);
    expect(valueOf(body, 'storyreel_discord_rate_limits_total', { route: '/channels/:id/messages' })).toBe(1);
  });

  it('route labels: snowflakes, tokens, query strings and the API prefix go', () => {
    expect(discordRouteLabel('/interactions/1234567890123456789/short-token/callback')).toBe('/interactions/:id/:token/callback');
    expect(discordRouteLabel('/api/v10/channels/123456789012345678/messages/223456789012345678?wait=true')).toBe(
      '/channels/:id/messages/:id',
    );
    expect(discordRouteLabel('/applications/123456789012345678/commands')).toBe('/applications/:id/commands');
    expect(discordRouteLabel('/gateway/bot')).toBe('/gateway/bot');
  });
});

describe('/healthz', () => {
  it('answers 200 with the detail when healthy, 503 when not, when the check throws, or when it hangs', async () => {
    let health = healthy;
    const metrics = createMetrics('gateway');
    const server = await serve({ port: 0, host: '127.0.0.1', metrics, health: () => health() });

    let r = await scrape(server.port, '/healthz');
    expect(r.status).toBe(200);
    expect(r.type).toContain('application/json');
    expect(JSON.parse(r.body)).toEqual({ ok: true, mode: 'worker', redis: 'up' });

    health = async () => ({ ok: false, detail: { redis: 'down', ok: true } });
    r = await scrape(server.port, '/healthz');
    expect(r.status).toBe(503);
    expect(JSON.parse(r.body)).toEqual({ ok: false, redis: 'down' });

    health = async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
    };
    r = await scrape(server.port, '/healthz');
    expect(r.status).toBe(503);
    expect(JSON.parse(r.body)).toEqual({ ok: false, error: 'connect ECONNREFUSED 127.0.0.1:6379' });

    health = () => new Promise(() => {});
    r = await scrape(server.port, '/healthz');
    expect(r.status).toBe(503);
    expect(JSON.parse(r.body).error).toMatch(/health check took over 2000 ms/);
  });

  it('anything else is 404, and a POST to a known path 405', async () => {
    const server = await serve({ port: 0, host: '127.0.0.1', metrics: createMetrics('worker'), health: healthy });
    expect((await scrape(server.port, '/')).status).toBe(404);
    expect((await scrape(server.port, '/metrics/x')).status).toBe(404);
    expect((await scrape(server.port, '/metrics', { method: 'POST', body: 'x' })).status).toBe(405);
    expect((await scrape(server.port, '/healthz?verbose=1')).status).toBe(200);
  });
});

describe('port in use', () => {
  let other: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((r) => (other ? other.close(() => r()) : r()));
    other = undefined;
  });

  it('fails with one clear line naming METRICS_PORT', async () => {
    other = createServer();
    await new Promise<void>((r) => other!.listen(0, '127.0.0.1', () => r()));
    const port = (other.address() as AddressInfo).port;
    await expect(startMetricsServer({ port, host: '127.0.0.1', metrics: createMetrics('worker'), health: healthy })).rejects.toThrow(
      `METRICS_PORT ${port} is already in use on 127.0.0.1: choose another port or unset METRICS_PORT`,
    );
  });
});
