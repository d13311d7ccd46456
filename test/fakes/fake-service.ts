/**
 * A tiny scriptable HTTP service on 127.0.0.1, the base of every provider fake (and of the
 * benchmark's). It adds latency (fixed or uniform in a range, from a seeded RNG), random failures,
 * a per-request script (`fake.script.push({ status: 429, retryAfter: 2 })`, `{ kind: 'hang' }`, ...)
 * and a record of every request with its start and end, from which overlap is measured.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seededRandom } from '../../src/providers/images/scene-palette.js';

export interface ScriptStep {
  /** Answer with this status (errors get a JSON body and Retry-After when given). */
  status?: number;
  retryAfter?: number;
  /** Service-specific answers: 'hang' never answers; others are up to the fake. */
  kind?: string;
  /** Extra latency for this request only. */
  delayMs?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
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

export type FakeHandler = (req: RecordedRequest, step: ScriptStep | undefined, active: number) => Promise<FakeReply> | FakeReply;

export interface FakeServiceOptions {
  /** Milliseconds per request: a number or a [min, max] uniform range. */
  latencyMs?: number | [number, number];
  /** Share of requests (0..1) answered 500 at random. */
  failureRate?: number;
  seed?: number;
}

export interface FakeService {
  url: string;
  script: ScriptStep[];
  record: RecordedRequest[];
  options: FakeServiceOptions;
  /** Most requests in flight at once so far. */
  maxConcurrent(): number;
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => resolve(body));
  });

export function jsonError(status: number, message: string, retryAfter?: number): FakeReply {
  return {
    status,
    headers: { 'content-type': 'application/json', ...(retryAfter !== undefined ? { 'retry-after': String(retryAfter) } : {}) },
    body: JSON.stringify({ error: message }),
  };
}

export async function startFakeService(handler: FakeHandler, options: FakeServiceOptions = {}): Promise<FakeService> {
  const random = seededRandom(options.seed ?? 42);
  const record: RecordedRequest[] = [];
  const script: ScriptStep[] = [];
  const hanging = new Set<ServerResponse>();
  let active = 0;
  let peak = 0;

  const latency = (): number => {
    const l = options.latencyMs ?? 0;
    return Array.isArray(l) ? l[0] + random() * (l[1] - l[0]) : l;
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const entry: RecordedRequest = {
      method: req.method ?? 'GET',
      path: decodeURIComponent(url.pathname),
      query: url.searchParams,
      headers: req.headers,
      body: await readBody(req),
      startedAt: Date.now(),
    };
    record.push(entry);
    active += 1;
    peak = Math.max(peak, active);
    const step = script.shift();
    entry.step = step;
    const finish = (reply: FakeReply) => {
      entry.endedAt = Date.now();
      entry.status = reply.status;
      active -= 1;
      if (res.destroyed) return;
      res.writeHead(reply.status, reply.headers);
      res.end(reply.body);
    };
    res.on('close', () => {
      if (entry.endedAt === undefined) {
        entry.endedAt = Date.now();
        active -= 1;
      }
      hanging.delete(res);
    });
    if (step?.kind === 'hang') {
      hanging.add(res);
      return;
    }
    await new Promise((r) => setTimeout(r, latency() + (step?.delayMs ?? 0)));
    if (step?.status && step.status >= 400) return finish(jsonError(step.status, `scripted ${step.status}`, step.retryAfter));
    if (!step && options.failureRate && random() < options.failureRate) return finish(jsonError(500, 'random failure'));
    try {
      finish(await handler(entry, step, active));
    } catch (error) {
      finish(jsonError(500, `fake crashed: ${(error as Error).message}`));
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
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
