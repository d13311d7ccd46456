/**
 * Fake Pollinations on 127.0.0.1, both endpoints:
 * - legacy `GET /prompt/{prompt}`: anonymous, or with a token as Bearer. With `anonymousQueue`, an
 *   anonymous second request from the same IP while one is in flight is refused at once, as the
 *   real one does: 402 with its x402 JSON "Queue full for IP: …" (default), or 429 + Retry-After;
 * - gateway `GET /image/{prompt}`: `Authorization: Bearer <apiKey>` required, else 401;
 * - `GET /models`: the legacy endpoint's model list (JSON), what the start-up check asks for.
 * References: `image={url}|{url}` is taken by klein (several) and kontext (one), refused (400) by
 * a text-only model (flux, turbo); every reference must be an image this fake has served (the URL
 * of an earlier 200 request to it), else 400 as an image that cannot be fetched. `refuseModels`
 * makes it answer a model with `refuseStatus` (a missing or paid-only model).
 * Good answers are real JPEGs of the requested width x height (a gradient drawn with @napi-rs/canvas,
 * cached by size). Scripted kinds: 'html' (200 HTML page), 'placeholder' (200 tiny 64x64 PNG),
 * 'json' (200 JSON), 'truncated' (200 JPEG cut in half), plus the shared 'hang', 'reset' and statuses.
 */
import { createCanvas } from '@napi-rs/canvas';
import {
  jsonReply,
  startFakeServer,
  type FakeReply,
  type FakeServer,
  type FakeServerOptions,
  type RecordedRequest,
} from './fake-server.js';

export interface FakePollinationsOptions extends FakeServerOptions {
  /** The valid key: required on the gateway, accepted (and queue-free) on the legacy endpoint. */
  apiKey?: string;
  /** Legacy: one anonymous request in flight per IP; more are refused with "Queue full". */
  anonymousQueue?: boolean;
  /** How a full queue is answered: 402 (x402 body, what the service does now) or 429 with Retry-After. */
  queueFullStatus?: 402 | 429;
  /** Retry-After seconds sent with a 429 queue-full answer. */
  queueRetryAfter?: number;
  /** Models answered with `refuseStatus` (default 400), as a missing or paid-only model is. */
  refuseModels?: string[];
  refuseStatus?: number;
}

/** Models that take reference images, and how many (the service's klein and kontext). */
export const REFERENCE_MODELS: Record<string, number> = { klein: 4, kontext: 1 };
const MODELS = ['flux', 'turbo', ...Object.keys(REFERENCE_MODELS)];

/** The references of a request (`image=`, split at `|`). */
export const referencesOf = (r: RecordedRequest): string[] => (r.query.get('image') ?? '').split('|').filter(Boolean);

/** Whether `url` is an image this fake served: the URL of an earlier request it answered 200. */
function served(url: string, host: string | undefined, record: readonly RecordedRequest[]): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  const path = decodeURIComponent(u.pathname);
  return u.host === host && record.some((r) => r.status === 200 && r.path === path && r.query.toString() === u.searchParams.toString());
}

function referenceRefusal(
  req: RecordedRequest,
  record: readonly RecordedRequest[],
  options: FakePollinationsOptions,
): FakeReply | undefined {
  const model = req.query.get('model') ?? 'flux';
  if (options.refuseModels?.includes(model)) return errorReply(options.refuseStatus ?? 400, `Model ${model} is not available`);
  const references = referencesOf(req);
  if (references.length === 0) return undefined;
  const most = REFERENCE_MODELS[model];
  if (most === undefined) return errorReply(400, `Model ${model} does not accept image input`);
  if (references.length > most) return errorReply(400, `Model ${model} accepts at most ${most} image(s)`);
  const bad = references.find((url) => !served(url, String(req.headers.host ?? ''), record));
  return bad ? errorReply(400, `Could not fetch image: ${bad.slice(0, 80)}`) : undefined;
}

const jpegs = new Map<string, Promise<Buffer>>();

/** A real JPEG of this size (a gradient with a few shapes), made once per size. */
export function fakeJpeg(width: number, height: number): Promise<Buffer> {
  const key = `${width}x${height}`;
  let bytes = jpegs.get(key);
  if (!bytes) {
    const canvas = createCanvas(width, height);
    const g = canvas.getContext('2d');
    const grad = g.createLinearGradient(0, 0, width, height);
    grad.addColorStop(0, '#2a4d8f');
    grad.addColorStop(1, '#e8a86b');
    g.fillStyle = grad;
    g.fillRect(0, 0, width, height);
    g.fillStyle = 'rgba(255,255,255,0.55)';
    for (let i = 0; i < 40; i++) g.fillRect((i * 97) % width, (i * 53) % height, 24, 24);
    bytes = canvas.encode('jpeg', 85);
    jpegs.set(key, bytes);
  }
  return bytes;
}

let placeholder: Buffer | undefined;
/** What a rate-limited request has been answered with: a tiny image, not a scene. */
export function placeholderPng(): Buffer {
  if (!placeholder) {
    const canvas = createCanvas(64, 64);
    const g = canvas.getContext('2d');
    g.fillStyle = '#777';
    g.fillRect(0, 0, 64, 64);
    placeholder = canvas.toBuffer('image/png');
  }
  return placeholder;
}

const errorReply = (status: number, message: string): FakeReply => jsonReply(status, { error: message, status });

function queueFull(ip: string, options: FakePollinationsOptions): FakeReply {
  const error = `Queue full for IP: ${ip}: 1 requests already queued (max: 1). Get unlimited access at https://enter.pollinations.ai`;
  if (options.queueFullStatus === 429) {
    return jsonReply(429, { error }, { 'retry-after': String(options.queueRetryAfter ?? 5) });
  }
  return jsonReply(402, {
    x402Version: 1,
    error,
    accepts: [
      { scheme: 'exact', network: 'base', description: 'Pollinations legacy image — pay to bypass rate limit', mimeType: 'image/jpeg' },
    ],
  });
}

const isGateway = (r: RecordedRequest) => r.path.startsWith('/image/');
const bearer = (r: RecordedRequest) => /^Bearer (.+)$/.exec(String(r.headers.authorization ?? ''))?.[1];

export function startFakePollinations(options: FakePollinationsOptions = {}): Promise<FakeServer> {
  return startFakeServer(
    {
      errorReply,
      admit(req, { record }) {
        if (req.method === 'GET' && req.path === '/models') return undefined;
        if (req.method !== 'GET' || !(isGateway(req) || req.path.startsWith('/prompt/'))) return errorReply(404, 'Not found');
        const token = bearer(req);
        if (isGateway(req)) {
          if (!token)
            return jsonReply(401, {
              error: { message: 'Authentication required: send Authorization: Bearer <key>', code: 'UNAUTHORIZED' },
            });
          if (token !== options.apiKey) return jsonReply(401, { error: { message: 'Invalid API key', code: 'UNAUTHORIZED' } });
          return undefined;
        }
        if (token !== undefined && token !== options.apiKey) return errorReply(401, 'Invalid token');
        if (token === undefined && options.anonymousQueue) {
          const queued = record.filter(
            (r) => r !== req && r.endedAt === undefined && !isGateway(r) && !bearer(r) && r.remoteAddress === req.remoteAddress,
          );
          if (queued.length > 0) return queueFull(req.remoteAddress, options);
        }
        return undefined;
      },
      async handle(req, { step, record }) {
        switch (step?.kind) {
          case 'html':
            return {
              status: 200,
              headers: { 'content-type': 'text/html; charset=utf-8' },
              body: '<!DOCTYPE html><html><body><h1>Too many requests</h1><p>Please try again later.</p></body></html>',
            };
          case 'placeholder':
            return { status: 200, headers: { 'content-type': 'image/png' }, body: placeholderPng() };
          case 'json':
            return jsonReply(200, { error: 'Generation failed, please retry' });
        }
        if (req.path === '/models') return jsonReply(200, MODELS);
        const refused = referenceRefusal(req, record, options);
        if (refused) return refused;
        const width = Number(req.query.get('width') ?? 1024);
        const height = Number(req.query.get('height') ?? 1024);
        if (!(Number.isInteger(width) && Number.isInteger(height) && width >= 16 && height >= 16 && width <= 2048 && height <= 2048)) {
          return errorReply(400, 'width and height must be integers between 16 and 2048');
        }
        const jpeg = await fakeJpeg(width, height);
        const body = step?.kind === 'truncated' ? jpeg.subarray(0, jpeg.length >> 1) : jpeg;
        return { status: 200, headers: { 'content-type': 'image/jpeg' }, body };
      },
    },
    options,
  );
}
