/**
 * One HTTP client for every service (undici): a timeout per request on top of the caller's
 * AbortSignal, a cap on the body size, and every failure turned into a ProviderError that says
 * whether another try makes sense and how long the service asked us to wait. Messages never
 * hold a URL query, a header or a body we sent: keys live there.
 */
import { request } from 'undici';
import { ProviderError } from './errors.js';

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

/** Retry-After as seconds or an HTTP date -> milliseconds. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Math.round(Number(v) * 1000);
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** A short, safe description of what an error body said (no echo of what we sent). */
function bodyHint(body: Buffer, contentType: string): string {
  if (!/json|text/.test(contentType)) return '';
  const text = body.toString('utf8', 0, Math.min(body.length, 400));
  try {
    const json = JSON.parse(text) as { error?: unknown; message?: unknown };
    const message = typeof json.error === 'string' ? json.error : (json.error as { message?: unknown })?.message ?? json.message;
    if (typeof message === 'string') return `: ${message.slice(0, 120)}`;
  } catch {
    // not JSON
  }
  return /<html/i.test(text) ? ': an HTML page' : `: ${text.replace(/\s+/g, ' ').trim().slice(0, 120)}`;
}

const QUEUE_FULL_WAIT_MS = 5_000;

export function errorForStatus(provider: string, status: number, headers: Record<string, string | string[] | undefined>, body: Buffer, contentType: string): ProviderError {
  const hint = bodyHint(body, contentType);
  const retryAfterMs = parseRetryAfter(headers['retry-after']);
  if (status === 401 || status === 403) {
    return new ProviderError(`${provider} rejected the API key (HTTP ${status}${hint}): check the key in .env`, { provider, retryable: false, status });
  }
  if (status === 429 || status === 402 || /queue full/i.test(hint)) {
    return new ProviderError(`${provider} is rate limiting us (HTTP ${status}${hint})`, {
      provider,
      retryable: true,
      status,
      retryAfterMs: retryAfterMs ?? QUEUE_FULL_WAIT_MS,
    });
  }
  if (status >= 500 || status === 408) {
    return new ProviderError(`${provider} failed (HTTP ${status}${hint})`, { provider, retryable: true, status, retryAfterMs });
  }
  return new ProviderError(`${provider} refused the request (HTTP ${status}${hint})`, { provider, retryable: false, status });
}

export async function httpRequest(req: HttpRequest): Promise<HttpResponse> {
  req.signal?.throwIfAborted();
  const timeout = AbortSignal.timeout(req.timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
  const maxBytes = req.maxBytes ?? 30 * 1024 * 1024;
  try {
    const res = await request(req.url, { method: req.method ?? 'GET', headers: req.headers, body: req.body, signal });
    const contentType = String(res.headers['content-type'] ?? '').toLowerCase();
    const declared = Number(res.headers['content-length'] ?? 0);
    if (declared > maxBytes) {
      res.body.destroy();
      throw new ProviderError(`${req.provider} sent ${declared} bytes, more than the ${maxBytes} allowed`, { provider: req.provider, retryable: true, status: res.statusCode });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        res.body.destroy();
        throw new ProviderError(`${req.provider} sent more than the ${maxBytes} bytes allowed`, { provider: req.provider, retryable: true, status: res.statusCode });
      }
      chunks.push(chunk as Buffer);
    }
    const body = Buffer.concat(chunks);
    if (res.statusCode >= 400) throw errorForStatus(req.provider, res.statusCode, res.headers, body, contentType);
    return { status: res.statusCode, contentType, body };
  } catch (error) {
    if (error instanceof ProviderError) throw error;
    if (req.signal?.aborted) throw req.signal.reason;
    if (timeout.aborted) {
      throw new ProviderError(`${req.provider} did not answer within ${Math.round(req.timeoutMs / 1000)} s`, { provider: req.provider, retryable: true });
    }
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).name;
    throw new ProviderError(`${req.provider} could not be reached (${code})`, { provider: req.provider, retryable: true });
  }
}
