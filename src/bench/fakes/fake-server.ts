/**
 * A tiny scriptable HTTP service on 127.0.0.1 (port 0), the base of every provider fake and of the
 * benchmark. Each fake supplies the service's own answers; this adds what every bad day needs:
 * - latency: fixed or uniform in [min, max] from a seeded RNG; `options` may be changed while running;
 * - failureRate: share of unscripted requests answered 500 at random (same RNG);
 * - script: one step per request, in order: `{ status: 429, retryAfter: 2 }`, `{ status: 503,
 *   headers: { 'retry-after': '<HTTP date>' } }`, `{ kind: 'hang' }` (never answers),
 *   `{ kind: 'reset' }` (drops the connection), or a kind the fake understands (`'html'`, ...);
 * - record: every request with its start and end time and status, and the most requests that
 *   were in flight at once (`maxConcurrent()`).
 */
import { seededRandom } from '../../core/seeded-random.js';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptStep {
  /** Answer with this status; >= 400 gets the service's error body (and Retry-After when given). */
  status?: number;
  /** Retry-After in seconds. */
  retryAfter?: number;
  /** Extra response headers (e.g. a Retry-After HTTP date). */
  headers?: Record<string, string>;
  /** Replaces the error body (e.g. 'Queue full for IP'). */
  body?: string;
  /** 'hang' never answers, 'reset' drops the connection; others are up to the fake. */
  kind?: string;
  /** Extra latency for this request only. */
  delayMs?: number;
}

export interface RecordedRequest {
  method: string;
  /** Decoded path, without the query. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
  remoteAddress: string;
  startedAt: number;
  endedAt?: number;
  status?: number;
  step?: ScriptStep;
}

export interface FakeReply {
  status: number;
  headers?: Record<string, string>;
  body: Buffer | string;
}

export interface FakeContext {
  step: ScriptStep | undefined;
  /** Requests in flight now, this one included. */
  inFlight: number;
  /** Every request so far (those still in flight have no endedAt). */
  record: readonly RecordedRequest[];
}

export interface FakeServerOptions {
  /** Milliseconds per request: a number or a [min, max] uniform range. */
  latencyMs?: number | [number, number];
  /** Share of unscripted requests (0..1) answered 500 at random. */
  failureRate?: number;
  /** Seed of the RNG behind latency ranges and random failures. */
  seed?: number;
}

export interface FakeServiceDefinition {
  /** The service's answer to a request that gets through (after the latency). */
  handle(req: RecordedRequest, ctx: FakeContext): FakeReply | Promise<FakeReply>;
  /** Checked on arrival, before any latency (auth, per-IP queues): a reply ends the request at once. */
  admit?(req: RecordedRequest, ctx: FakeContext): FakeReply | undefined;
  /** The service's error body for a status (scripted errors and random failures). */
  errorReply?(status: number, message: string): FakeReply;
}

export interface FakeServer {
  url: string;
  script: ScriptStep[];
  record: RecordedRequest[];
  options: FakeServerOptions;
  /** Most requests in flight at once so far. */
  maxConcurrent(): number;
  /** Requests in flight now. */
  inFlight(): number;
  close(): Promise<void>;
}
/** The name the first fakes used. */
export type FakeService = FakeServer;

export { seededRandom };

export function jsonReply(status: number, body: unknown, headers: Record<string, string> = {}): FakeReply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

const plainError = (status: number, message: string) => jsonReply(status, { error: message });

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startFakeServer(service: FakeServiceDefinition, options: FakeServerOptions = {}): Promise<FakeServer> {
  const random = seededRandom(options.seed ?? 42);
  const errorReply = service.errorReply ?? plainError;
  const record: RecordedRequest[] = [];
  const script: ScriptStep[] = [];
  /** Responses not yet closed, with what ends their record entry. */
  const open = new Map<ServerResponse, () => void>();
  let active = 0;
  let peak = 0;

  const latency = (): number => {
    const l = options.latencyMs ?? 0;
    return Array.isArray(l) ? l[0] + random() * (l[1] - l[0]) : l;
  };

  const scriptedError = (step: ScriptStep): FakeReply => {
    const base =
      step.body !== undefined
        ? { status: step.status!, headers: { 'content-type': 'text/plain' }, body: step.body }
        : errorReply(step.status!, `scripted ${step.status}`);
    const extra = { ...(step.retryAfter !== undefined ? { 'retry-after': String(step.retryAfter) } : {}), ...step.headers };
    return { ...base, headers: { ...base.headers, ...extra } };
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const entry: RecordedRequest = {
      method: req.method ?? 'GET',
      path: safeDecode(url.pathname),
      query: url.searchParams,
      headers: req.headers,
      body: '',
      remoteAddress: req.socket.remoteAddress ?? '',
      startedAt: Date.now(),
    };
    record.push(entry);
    active += 1;
    peak = Math.max(peak, active);
    let counted = true;
    const leave = () => {
      if (!counted) return;
      counted = false;
      active -= 1;
      entry.endedAt = Date.now();
    };
    open.set(res, leave);
    res.on('close', () => {
      leave();
      open.delete(res);
    });
    const finish = (reply: FakeReply) => {
      entry.status = reply.status;
      leave();
      if (res.destroyed) return;
      res.writeHead(reply.status, reply.headers);
      res.end(reply.body);
    };

    try {
      entry.body = await readBody(req);
    } catch {
      return leave();
    }
    const step = script.shift();
    entry.step = step;
    const early = service.admit?.(entry, { step, inFlight: active, record });
    if (early) return finish(early);
    if (step?.kind === 'hang') return; // never answered; close() ends it
    await new Promise((r) => setTimeout(r, latency() + (step?.delayMs ?? 0)));
    if (res.destroyed) return leave();
    if (step?.kind === 'reset') {
      entry.status = 0;
      leave();
      req.socket.destroy();
      return;
    }
    if (step?.status && step.status >= 400) return finish(scriptedError(step));
    if (!step && options.failureRate && random() < options.failureRate) return finish(errorReply(500, 'random failure'));
    try {
      finish(await service.handle(entry, { step, inFlight: active, record }));
    } catch (error) {
      finish(errorReply(500, `fake crashed: ${(error as Error).message}`));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    script,
    record,
    options,
    maxConcurrent: () => peak,
    inFlight: () => active,
    close: async () => {
      for (const [res, leave] of open) {
        leave();
        res.destroy();
      }
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
