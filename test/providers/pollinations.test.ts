import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import type { GeneratedImage } from '../../src/providers/types.js';
import { startFakePollinations, type FakePollinationsOptions } from '../fakes/providers.js';
import { jsonReply, startFakeServer, type FakeServer } from '../fakes/providers.js';
import {
  PollinationsImageProvider,
  fitPrompt,
  fluxSize,
  pollinationsUrl,
  MAX_ENCODED_PROMPT,
} from '../../src/providers/images/pollinations.js';
import { checkImage, readImageHeader } from '../../src/providers/images/check-image.js';
import { httpRequest } from '../../src/providers/http.js';
import { ProviderError } from '../../src/providers/errors.js';
import { fakeConfig, TEST_KEYS } from '../support/provider-config.js';
import { useCapturedLogs } from '../support/captured-logs.js';

let fake: FakeServer | undefined;
const logs = useCapturedLogs();
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const request = { prompt: 'a fox: "lantern" & snow / night? 100%', width: 768, height: 1344, seed: 42 };

async function gateway(options: FakePollinationsOptions = {}, env: Record<string, string> = {}) {
  fake = await startFakePollinations({ apiKey: TEST_KEYS.pollinations, ...options });
  return new PollinationsImageProvider(fakeConfig({ pollinations: fake.url }, env).images.pollinations);
}

async function anonymous(options: FakePollinationsOptions = {}) {
  fake = await startFakePollinations({ anonymousQueue: true, ...options });
  const cfg = fakeConfig({}, { IMAGE_PROVIDER: 'pollinations', POLLINATIONS_BASE_URL: fake.url }).images.pollinations;
  return new PollinationsImageProvider(cfg);
}

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

/** No key in any message or log line (secrets are not registered here, so redaction hides nothing). */
function expectNoSecret(...texts: string[]) {
  for (const text of [...texts, ...logs]) expect(text).not.toContain(TEST_KEYS.pollinations);
}

describe('Pollinations requests', () => {
  it('gateway: prompt in the path, key as Bearer, FLUX-sized, and a checked real image back', async () => {
    const p = await gateway();
    const image = await p.generate({ ...request, width: 1080, height: 1920 });
    expect(image).toMatchObject({ mime: 'image/jpeg', width: 1088, height: 1920 });
    expect(readImageHeader(image.bytes)).toMatchObject({ width: 1088, height: 1920, complete: true });
    const [req] = fake!.record;
    expect(req!.path).toBe(`/image/${request.prompt}`);
    expect(Object.fromEntries(req!.query)).toEqual({
      model: 'flux',
      width: '1088',
      height: '1920',
      seed: '42',
      enhance: 'false',
      safe: 'true',
    });
    expect(req!.headers.authorization).toBe(`Bearer ${TEST_KEYS.pollinations}`);
  });

  it('legacy anonymous: /prompt/ with nologo/private/referrer, and no Authorization header', async () => {
    const p = await anonymous();
    const image = await p.generate(request);
    expect(image.width).toBe(768);
    const [req] = fake!.record;
    expect(req!.path).toBe(`/prompt/${request.prompt}`);
    expect(req!.query.get('nologo')).toBe('true');
    expect(req!.query.get('private')).toBe('true');
    expect(req!.query.get('referrer')).toBe('storyreel');
    expect(req!.headers.authorization).toBeUndefined();
  });

  it('legacy with a token sends it as Bearer, never as ?token= in the URL', () => {
    const cfg = fakeConfig({}, { POLLINATIONS_MODE: 'legacy', POLLINATIONS_API_KEY: TEST_KEYS.pollinations }).images.pollinations;
    const url = pollinationsUrl(cfg, request);
    expect(url.startsWith('https://image.pollinations.ai/prompt/')).toBe(true);
    expect(url).not.toContain('token');
    expect(url).not.toContain(TEST_KEYS.pollinations);
  });

  it('sizes: same aspect, multiples of 16, within 256..2048', () => {
    expect(fluxSize(720, 1280)).toEqual({ width: 720, height: 1280 });
    expect(fluxSize(1000, 1000)).toEqual({ width: 1008, height: 1008 });
    expect(fluxSize(100, 100)).toEqual({ width: 256, height: 256 });
    expect(fluxSize(4000, 1000)).toEqual({ width: 2048, height: 512 });
    for (const [w, h] of [
      [1080, 1920],
      [1920, 1080],
      [1024, 1024],
      [333, 777],
      [3000, 5000],
    ] as const) {
      const s = fluxSize(w, h);
      expect(s.width % 16).toBe(0);
      expect(s.height % 16).toBe(0);
      expect(Math.max(s.width, s.height)).toBeLessThanOrEqual(2048);
      expect(Math.abs(s.width / s.height - w / h) / (w / h)).toBeLessThan(0.05);
    }
    expect(() => fluxSize(0, 100)).toThrow(/positive/);
  });

  it('long prompts are cut on the encoded length, at a word end, never inside a character', () => {
    const latin = 'a lighthouse keeper climbs the stairs '.repeat(100);
    const cut = fitPrompt(latin);
    expect(encodeURIComponent(cut).length).toBeLessThanOrEqual(MAX_ENCODED_PROMPT);
    expect(latin.startsWith(cut)).toBe(true);
    expect(cut.endsWith(' ')).toBe(false);
    expect(latin[cut.length]).toBe(' ');

    const cjk = '灯台守は嵐の夜に階段を上った。👩‍👩‍👧'.repeat(60);
    const cutCjk = fitPrompt(cjk);
    expect(encodeURIComponent(cutCjk).length).toBeLessThanOrEqual(MAX_ENCODED_PROMPT);
    expect(cjk.startsWith(cutCjk)).toBe(true);
    expect(cutCjk.length).toBeGreaterThan(100);
    expect(/[\uD800-\uDBFF]$/.test(cutCjk)).toBe(false); // no lone surrogate at the end
    expect(cutCjk.endsWith('\u200d')).toBe(false); // no half of a family emoji
  });
});

describe('Pollinations bad days', () => {
  it('a bad key is final (401) and no message or log line holds it', async () => {
    fake = await startFakePollinations({ apiKey: 'the-right-key' });
    const p = new PollinationsImageProvider(fakeConfig({ pollinations: fake.url }).images.pollinations);
    const error = await failure(p.generate(request));
    expect(error.info).toMatchObject({ retryable: false, status: 401 });
    expect(error.message).toMatch(/rejected the API key \(HTTP 401: Invalid API key\)/);
    expectNoSecret(error.message);
  });

  it('a service that echoes the key in its error body: the key is cut out of the message', async () => {
    fake = await startFakeServer({ handle: (req) => jsonReply(401, { error: `bad key ${String(req.headers.authorization)}` }) });
    const error = await failure(
      new PollinationsImageProvider(fakeConfig({ pollinations: fake.url }).images.pollinations).generate(request),
    );
    expect(error.message).toContain('(HTTP 401: bad key ***)');
    expectNoSecret(error.message);
  });

  it('429 with Retry-After in seconds is retryable and carries the wait', async () => {
    const p = await gateway();
    fake!.script.push({ status: 429, retryAfter: 2 });
    const error = await failure(p.generate(request));
    expect(error.info).toMatchObject({ retryable: true, status: 429, retryAfterMs: 2000 });
  });

  it('503 with Retry-After as an HTTP date is retryable and carries the wait', async () => {
    const p = await gateway();
    fake!.script.push({ status: 503, headers: { 'retry-after': new Date(Date.now() + 3000).toUTCString() } });
    const error = await failure(p.generate(request));
    expect(error.info).toMatchObject({ retryable: true, status: 503 });
    expect(error.info.retryAfterMs).toBeGreaterThan(500);
    expect(error.info.retryAfterMs).toBeLessThanOrEqual(3000);
  });

  it('500 is retryable without a wait; 400 and a 402 out of credit are final', async () => {
    const p = await gateway();
    fake!.script.push({ status: 500 }, { status: 400 }, { status: 402 });
    expect((await failure(p.generate(request))).info).toEqual({
      provider: 'pollinations',
      retryable: true,
      status: 500,
      retryAfterMs: undefined,
    });
    expect((await failure(p.generate(request))).info).toMatchObject({ retryable: false, status: 400 });
    const credit = await failure(p.generate(request));
    expect(credit.info).toMatchObject({ retryable: false, status: 402 });
    expect(credit.message).toMatch(/out of credit/);
  });

  it('a request that hangs times out as a retryable error, and the fake sees it dropped', async () => {
    const p = await gateway({}, { POLLINATIONS_TIMEOUT_MS: '1000' });
    fake!.script.push({ kind: 'hang' });
    const error = await failure(p.generate(request));
    expect(error.info).toMatchObject({ retryable: true });
    expect(error.message).toBe('pollinations did not answer within 1 s');
    await expect.poll(() => fake!.record[0]!.endedAt).toBeDefined();
  });

  it("the caller's abort is an AbortError, not a provider failure", async () => {
    const p = await gateway();
    fake!.script.push({ kind: 'hang' });
    const controller = new AbortController();
    const pending = p.generate({ ...request, signal: controller.signal }).catch((e: unknown) => e);
    await expect.poll(() => fake!.inFlight()).toBe(1);
    controller.abort();
    const error = (await pending) as Error;
    expect(error).not.toBeInstanceOf(ProviderError);
    expect(error.name).toBe('AbortError');
  });

  it('a dropped connection and a closed port are retryable', async () => {
    const p = await gateway();
    fake!.script.push({ kind: 'reset' });
    const reset = await failure(p.generate(request));
    expect(reset.info.retryable).toBe(true);
    expect(reset.message).toMatch(/could not be reached/);
    const url = fake!.url;
    await fake!.close();
    fake = undefined;
    const cfg = { ...fakeConfig({ pollinations: url }).images.pollinations };
    const closed = await failure(new PollinationsImageProvider(cfg).generate(request));
    expect(closed.message).toMatch(/could not be reached \(ECONNREFUSED\)/);
    expect(closed.info.retryable).toBe(true);
  });

  it.each([
    ['an HTML page', 'html', /answered 200 with not an image \(content type text\/html, an HTML page\)/],
    ['JSON', 'json', /not an image \(content type application\/json, JSON\)/],
    ['a tiny placeholder', 'placeholder', /a placeholder, not a scene \(64x64, \d+ bytes\)/],
    ['a cut-off JPEG', 'truncated', /a cut-off JPEG/],
  ])('a 200 with %s is a retryable failure, never a scene', async (_name, kind, message) => {
    const p = await gateway();
    fake!.script.push({ kind });
    const error = await failure(p.generate(request));
    expect(error.info).toMatchObject({ retryable: true, status: 200 });
    expect(error.message).toMatch(message);
  });

  it('anonymous: a second concurrent request is refused with 402 "Queue full" (as the service does now) and a default wait', async () => {
    const p = await anonymous({ latencyMs: 300 });
    const results = await Promise.allSettled([p.generate(request), p.generate({ ...request, seed: 2 })]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const error = (results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as ProviderError;
    expect(error.info).toMatchObject({ retryable: true, status: 402, retryAfterMs: 5000 });
    expect(error.message).toMatch(/rate limiting us \(HTTP 402: Queue full for IP: 127\.0\.0\.1/);
    expect(fake!.record.map((r) => r.status).sort()).toEqual([200, 402]);
    // One at a time is fine.
    await expect(p.generate({ ...request, seed: 3 })).resolves.toMatchObject({ width: 768 });
  });

  it('anonymous: the 429 form of "Queue full" carries its Retry-After', async () => {
    const p = await anonymous({ latencyMs: 300, queueFullStatus: 429, queueRetryAfter: 2 });
    const results = await Promise.allSettled([p.generate(request), p.generate({ ...request, seed: 2 })]);
    const error = (results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as ProviderError;
    expect(error.info).toMatchObject({ retryable: true, status: 429, retryAfterMs: 2000 });
  });

  it("with a key and concurrency 10, ten 3-second images are in flight together (by the fake's record)", async () => {
    const p = await gateway({ latencyMs: 3000 });
    expect(p.concurrency).toBe(10);
    const images = await Promise.all(Array.from({ length: 10 }, (_, i) => p.generate({ ...request, seed: i })));
    expect(images.every((img) => img.width === 768 && img.height === 1344)).toBe(true);
    expect(fake!.maxConcurrent()).toBe(10);
    const lastStart = Math.max(...fake!.record.map((r) => r.startedAt));
    const firstEnd = Math.min(...fake!.record.map((r) => r.endedAt!));
    expect(lastStart).toBeLessThanOrEqual(firstEnd); // every request started before any finished
  });

  it('a body over the size cap is refused while reading', async () => {
    fake = await startFakePollinations({ apiKey: TEST_KEYS.pollinations });
    const error = await failure(
      httpRequest({
        provider: 'pollinations',
        url: `${fake.url}/image/x?width=512&height=512`,
        headers: { authorization: `Bearer ${TEST_KEYS.pollinations}` },
        timeoutMs: 5000,
        maxBytes: 1000,
      }),
    );
    expect(error.message).toMatch(/more than the 1000 bytes allowed/);
    expect(error.info.retryable).toBe(true);
  });

  it('no key in any message or log line across a bad day', async () => {
    const p = await gateway({}, { POLLINATIONS_TIMEOUT_MS: '1000' });
    fake!.script.push({ status: 429, retryAfter: 1 }, { status: 500 }, { kind: 'html' }, { kind: 'hang' });
    const messages: string[] = [];
    for (let i = 0; i < 5; i++)
      messages.push(
        await p.generate(request).then(
          () => 'ok',
          (e: Error) => e.message,
        ),
      );
    expect(messages.at(-1)).toBe('ok');
    expect(logs.length).toBeGreaterThan(0);
    expectNoSecret(...messages);
  });
});

describe('checkImage', () => {
  it('reads real PNG, JPEG and WebP (VP8, VP8L, VP8X) headers made by ffmpeg and canvas', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sr-images-'));
    try {
      const made: [GeneratedImage['mime'], string, string[]][] = [
        ['image/png', 'a.png', []],
        ['image/jpeg', 'a.jpg', ['-q:v', '3']],
        ['image/webp', 'lossy.webp', ['-c:v', 'libwebp']],
        ['image/webp', 'lossless.webp', ['-c:v', 'libwebp', '-lossless', '1']],
      ];
      for (const [mime, name, args] of made) {
        const path = join(dir, name);
        execFileSync('ffmpeg', [
          '-v',
          'error',
          '-f',
          'lavfi',
          '-i',
          'testsrc2=size=320x400,noise=alls=60:allf=u',
          '-frames:v',
          '1',
          ...args,
          path,
        ]);
        const bytes = await readFile(path);
        expect(checkImage(bytes, mime)).toMatchObject({ ok: true, image: { mime, width: 320, height: 400 } });
      }
      const canvas = createCanvas(300, 260);
      const g = canvas.getContext('2d');
      for (let i = 0; i < 3000; i++) {
        g.fillStyle = `hsl(${(i * 37) % 360}, 70%, ${(i * 13) % 100}%)`;
        g.fillRect((i * 53) % 300, (i * 29) % 260, 7, 5);
      }
      const vp8x = canvas.toBuffer('image/webp', 100);
      expect(vp8x.toString('ascii', 12, 16)).toBe('VP8X');
      expect(checkImage(vp8x, 'image/webp')).toMatchObject({ ok: true, image: { width: 300, height: 260 } });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects bodies that are not images, whatever the content type says', () => {
    expect(checkImage(Buffer.from('{"error":"x"}'), 'image/jpeg')).toEqual({
      ok: false,
      reason: 'not an image (the bytes are JSON, not a PNG, JPEG or WebP)',
    });
    expect(checkImage(Buffer.from('<!DOCTYPE html><html></html>'), 'image/png')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/HTML page/),
    });
    expect(checkImage(Buffer.alloc(0), 'image/png')).toMatchObject({ ok: false, reason: expect.stringMatching(/empty body/) });
    expect(checkImage(Buffer.from('GIF89a...'), 'image/gif')).toMatchObject({ ok: false });
  });
});
