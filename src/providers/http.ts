/**
 * One HTTP client for every service (undici): a timeout per request on top of the caller's
 * AbortSignal, a cap on the body size, and every failure turned into a ProviderError that says
 * whether another try makes sense and how long the service asked us to wait.
 *
 * Messages never hold a URL, a header, or anything we sent: keys live there. What the service said
 * back is quoted briefly, with any credential we sent cut out of it (some services echo the key).
 * A caller's abort is rethrown as is (an AbortError), never dressed up as a provider failure.
 */
import { Agent, request } from 'undici';
import { ProviderError } from './errors.js';
import { createLogger, redact } from '../core/log.js';

const log = createLogger('http');

/**
 * Our own connection pool for the services. (undici is kept at the major discord.js pins, 6.x:
 * undici installs one global dispatcher that every copy in the process shares, and a different
 * major's dispatcher breaks discord.js's multipart uploads.)
 */
const agent = new Agent({ keepAliveTimeout: 10_000, connections: 64 });

export interface HttpRequest {
  provider: string;
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Largest body accepted, in bytes (default 30 MB). */
  maxBytes?: number;
}

export interface HttpResponse {
  status: number;
  contentType: string;
  body: Buffer;
}

type Headers = Record<string, string | string[] | undefined>;

/** Wait when a service says "queue full" or 429 without saying how long (Pollinations: one request per 5 s per IP). */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 5_000;
const DEFAULT_MAX_BYTES = 30 * 1024 * 1024;

/** Retry-After as delta-seconds or an HTTP date -> milliseconds (undefined when absent or unreadable). */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The credentials a request carries (Authorization value and its token, token/key query params). */
export function credentialsOf(req: Pick<HttpRequest, 'url' | 'headers'>): string[] {
  const found: string[] = [];
  for (const [name, value] of Object.entries(req.headers ?? {})) {
    if (!/^(authorization|x-api-key|api-key)$/i.test(name)) continue;
    found.push(value, value.replace(/^\S+\s+/, ''));
  }
  try {
    const params = new URL(req.url).searchParams;
    for (const name of ['token', 'key', 'api_key']) {
      const v = params.get(name);
      if (v) found.push(v);
    }
  } catch {
    // not a URL: nothing to collect
  }
  return found.filter((s) => s.length >= 4);
}

function scrub(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('***');
  return redact(out);
}

/** A short, safe quote of what an error body said. */
export function describeBody(body: Buffer, contentType: string, secrets: string[] = []): string {
  const text = body.toString('utf8', 0, Math.min(body.length, 2000));
  if (!text.trim() || /^(image|audio|video)\//.test(contentType)) return '';
  if (/<html|<!doctype/i.test(text)) return 'an HTML page';
  let said = text;
  try {
    const json = JSON.parse(text) as { error?: unknown; message?: unknown };
    const error = json.error as { message?: unknown } | string | undefined;
    const message = typeof error === 'string' ? error : (error?.message ?? json.message);
    if (typeof message === 'string') said = message;
  } catch {
    // not JSON: quote the text
  }
  const clean = scrub(said.replace(/\s+/g, ' ').trim(), secrets);
  return clean.length > 160 ? `${clean.slice(0, 160)}…` : clean;
}

/** An HTTP status (and what came with it) -> the ProviderError the engine acts on. */
export function errorForStatus(provider: string, status: number, headers: Headers, said: string): ProviderError {
  const quote = said ? `: ${said}` : '';
  const retryAfterMs = parseRetryAfter(headers['retry-after']);
  const queueFull = /queue full/i.test(said);
  if (status === 401) {
    return new ProviderError(`${provider} rejected the API key (HTTP 401${quote}): check the key in .env`, {
      provider,
      retryable: false,
      status,
    });
  }
  if (status === 429 || queueFull || ((status === 402 || status === 503) && retryAfterMs !== undefined)) {
    // The service asks us to slow down: the whole provider waits, the scene does not fail.
    const what = status === 503 && !queueFull ? 'is busy' : 'is rate limiting us';
    return new ProviderError(`${provider} ${what} (HTTP ${status}${quote})`, {
      provider,
      retryable: true,
      status,
      // as the service said it: the gate never waits longer than PROVIDER_MAX_WAIT_MS, and a longer
      // ask sends the scene to its stand-in at once (gate.ts, retry.ts)
      retryAfterMs: retryAfterMs ?? DEFAULT_RATE_LIMIT_WAIT_MS,
      // 429 and "queue full" ask us to slow down; a busy 503 or 402 with Retry-After is waited out
      // too, but counts as a failed attempt, so a service that stays down ends in the stand-in.
      rateLimited: status === 429 || queueFull,
    });
  }
  if (status === 402) {
    return new ProviderError(`${provider} wants payment: the account is out of credit (HTTP 402${quote})`, {
      provider,
      retryable: false,
      status,
    });
  }
  if (status === 403) {
    return new ProviderError(`${provider} refused access (HTTP 403${quote}): the key may lack permission for this`, {
      provider,
      retryable: false,
      status,
    });
  }
  if (status >= 500 || status === 408) {
    return new ProviderError(`${provider} failed (HTTP ${status}${quote})`, { provider, retryable: true, status, retryAfterMs });
  }
  if (status >= 300 && status < 400) {
    return new ProviderError(`${provider} answered with a redirect (HTTP ${status}): check the base URL`, {
      provider,
      retryable: false,
      status,
    });
  }
  return new ProviderError(`${provider} refused the request (HTTP ${status}${quote})`, { provider, retryable: false, status });
}

async function readCapped(
  body: AsyncIterable<Buffer> & { destroy(): unknown },
  maxBytes: number,
  provider: string,
  status: number,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      throw new ProviderError(`${provider} sent more than the ${maxBytes} bytes allowed`, { provider, retryable: true, status });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason instanceof Error ? signal.reason : new DOMException('This operation was aborted', 'AbortError');
}

/** One attempt. Resolves with a 2xx; anything else throws a ProviderError (or the caller's abort). */
export async function httpRequest(req: HttpRequest): Promise<HttpResponse> {
  if (req.signal?.aborted) throw abortReason(req.signal);
  const timeout = AbortSignal.timeout(req.timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
  const maxBytes = req.maxBytes ?? DEFAULT_MAX_BYTES;
  const provider = req.provider;
  const startedAt = Date.now();
  try {
    const res = await request(req.url, { method: req.method ?? 'GET', headers: req.headers, body: req.body, signal, dispatcher: agent });
    const contentType = String(res.headers['content-type'] ?? '').toLowerCase();
    const declared = Number(res.headers['content-length'] ?? 0);
    if (declared > maxBytes) {
      res.body.destroy();
      throw new ProviderError(`${provider} sent ${declared} bytes, more than the ${maxBytes} allowed`, {
        provider,
        retryable: true,
        status: res.statusCode,
      });
    }
    const body = await readCapped(res.body, maxBytes, provider, res.statusCode);
    log.debug(`${provider} answered`, { status: res.statusCode, bytes: body.length, ms: Date.now() - startedAt });
    if (res.statusCode < 200 || res.statusCode >= 300) {
      throw errorForStatus(provider, res.statusCode, res.headers, describeBody(body, contentType, credentialsOf(req)));
    }
    return { status: res.statusCode, contentType, body };
  } catch (error) {
    if (req.signal?.aborted) throw abortReason(req.signal);
    if (error instanceof ProviderError) throw error;
    if (timeout.aborted) {
      log.debug(`${provider} timed out`, { ms: Date.now() - startedAt });
      throw new ProviderError(`${provider} did not answer within ${formatSeconds(req.timeoutMs)}`, { provider, retryable: true });
    }
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).name ?? 'unknown error';
    log.debug(`${provider} unreachable`, { code, ms: Date.now() - startedAt });
    throw new ProviderError(`${provider} could not be reached (${code})`, { provider, retryable: true });
  }
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}
