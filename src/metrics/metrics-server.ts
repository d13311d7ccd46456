/**
 * GET /healthz and GET /metrics for one process, on node:http (no framework).
 * /healthz: 200 with JSON when health() says ok, 503 when it does not, throws, or takes longer
 * than 2 s (a load balancer's probe must get an answer; a Redis outage can stall a check).
 * /metrics: the Prometheus text of this process's registry. Anything else: 404.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeError } from '../core/describe-error.js';
import type { Metrics } from './registry.js';

export interface Health {
  ok: boolean;
  detail: Record<string, unknown>;
}

export interface MetricsServerOptions {
  port: number;
  /** Default 0.0.0.0: Prometheus and health probes usually come from another host. */
  host?: string;
  metrics: Pick<Metrics, 'text' | 'contentType'>;
  health: () => Promise<Health>;
}

export interface MetricsServer {
  port: number;
  /** The address it listens on (the start-up line says it). */
  address: string;
  close(): Promise<void>;
}

const HEALTH_TIMEOUT_MS = 2000;

export function startMetricsServer(opts: MetricsServerOptions): Promise<MetricsServer> {
  // loopback unless METRICS_HOST says otherwise: the endpoints have no authentication
  const host = opts.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    handle(opts, req, res).catch((error: unknown) => send(res, 500, 'text/plain; charset=utf-8', `metrics: ${describeError(error)}\n`));
  });
  // A scraper's keep-alive socket must not hold close() open.
  server.keepAliveTimeout = 5000;

  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE')
        reject(new Error(`METRICS_PORT ${opts.port} is already in use on ${host}: choose another port or unset METRICS_PORT`));
      else if (error.code === 'EACCES') reject(new Error(`METRICS_PORT ${opts.port} on ${host} needs privileges: use a port above 1023`));
      else reject(new Error(`metrics server could not listen on ${host}:${opts.port}: ${describeError(error)}`));
    });
    server.listen(opts.port, host, () => {
      const { port, address } = server.address() as AddressInfo;
      resolve({
        port,
        address,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

async function handle(opts: MetricsServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (path !== '/healthz' && path !== '/metrics') return send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
  }
  if (path === '/metrics') return send(res, 200, opts.metrics.contentType, await opts.metrics.text(), req.method === 'HEAD');

  const health = await checkHealth(opts.health);
  send(
    res,
    health.ok ? 200 : 503,
    'application/json; charset=utf-8',
    JSON.stringify({ ...health.detail, ok: health.ok }) + '\n',
    req.method === 'HEAD',
  );
}

async function checkHealth(health: () => Promise<Health>): Promise<Health> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Health>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, detail: { error: `health check took over ${HEALTH_TIMEOUT_MS} ms` } }),
      HEALTH_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([
      health().catch((error: unknown): Health => ({ ok: false, detail: { error: describeError(error) } })),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function send(res: ServerResponse, status: number, type: string, body: string, headOnly = false): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(headOnly ? undefined : body);
}
