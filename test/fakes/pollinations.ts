/**
 * Fake Pollinations: both endpoints (`/prompt/{p}` legacy, `/image/{p}` gateway with Bearer key),
 * real JPEG bytes of the requested size, an anonymous mode that refuses a second concurrent
 * request with 429 "Queue full for IP" like the real one, and scripted bad days:
 * { status: 429, retryAfter }, { status: 500 }, { kind: 'hang' }, { kind: 'html' }, { kind: 'placeholder' }.
 */
import { createCanvas } from '@napi-rs/canvas';
import { startFakeService, jsonError, type FakeService, type FakeServiceOptions } from './fake-service.js';

export interface FakePollinationsOptions extends FakeServiceOptions {
  /** Gateway mode: requests must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** Legacy anonymous mode: one request at a time per IP. */
  anonymousQueue?: boolean;
}

const jpegs = new Map<string, Buffer>();

export function fakeJpeg(width: number, height: number): Buffer {
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
    g.fillStyle = 'rgba(255,255,255,0.6)';
    for (let i = 0; i < 40; i++) g.fillRect((i * 97) % width, (i * 53) % height, 24, 24);
    bytes = canvas.toBuffer('image/jpeg', 85);
    jpegs.set(key, bytes);
  }
  return bytes;
}

function placeholderPng(): Buffer {
  const canvas = createCanvas(64, 64);
  canvas.getContext('2d').fillRect(0, 0, 64, 64);
  return canvas.toBuffer('image/png');
}

export function startFakePollinations(options: FakePollinationsOptions = {}): Promise<FakeService> {
  return startFakeService(async (req, step, active) => {
    const gateway = req.path.startsWith('/image/');
    if (!gateway && !req.path.startsWith('/prompt/')) return jsonError(404, 'not found');
    if (gateway && req.headers.authorization !== `Bearer ${options.apiKey}`) return jsonError(401, 'Invalid API key');
    if (options.anonymousQueue && active > 1) return jsonError(429, 'Queue full for IP: 127.0.0.1', 1);
    if (step?.kind === 'html') return { status: 200, headers: { 'content-type': 'text/html' }, body: '<html><body>Rate limited, try later</body></html>' };
    if (step?.kind === 'placeholder') return { status: 200, headers: { 'content-type': 'image/png' }, body: placeholderPng() };
    const width = Number(req.query.get('width') ?? 1024);
    const height = Number(req.query.get('height') ?? 1024);
    if (!(width >= 64 && width <= 2048 && height >= 64 && height <= 2048)) return jsonError(400, 'bad size');
    return { status: 200, headers: { 'content-type': 'image/jpeg' }, body: fakeJpeg(width, height) };
  }, options);
}
