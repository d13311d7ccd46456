import { afterEach, describe, expect, it } from 'vitest';
import { startFakePollinations } from '../fakes/pollinations.js';
import type { FakeServer as FakeService } from '../fakes/fake-server.js';
import { PollinationsImageProvider, pollinationsUrl } from '../../src/providers/images/pollinations.js';
import { ProviderError } from '../../src/providers/errors.js';
import { fakeConfig, TEST_KEYS } from '../support/provider-config.js';

let fake: FakeService;
afterEach(async () => fake?.close());

const request = { prompt: 'a fox: "lantern" & snow / night?', width: 768, height: 1344, seed: 42 };

function provider(extra: Record<string, string> = {}) {
  return new PollinationsImageProvider(fakeConfig({ pollinations: fake.url }, extra).images.pollinations);
}

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  const error = await p.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('PollinationsImageProvider against the fake', () => {
  it('gateway: sends the prompt in the path, the key as Bearer, and returns a checked image', async () => {
    fake = await startFakePollinations({ apiKey: TEST_KEYS.pollinations });
    const image = await provider().generate(request);
    expect(image).toMatchObject({ mime: 'image/jpeg', width: 768, height: 1344 });
    const [req] = fake.record;
    expect(req!.path).toBe(`/image/${request.prompt}`);
    expect(req!.query.get('model')).toBe('flux');
    expect(req!.query.get('seed')).toBe('42');
    expect(req!.headers.authorization).toBe(`Bearer ${TEST_KEYS.pollinations}`);
  });

  it('legacy: anonymous endpoint with nologo/private/referrer and no key', async () => {
    fake = await startFakePollinations();
    const cfg = fakeConfig({}, { IMAGE_PROVIDER: 'pollinations', POLLINATIONS_BASE_URL: 'http://127.0.0.1:1' }).images.pollinations;
    expect(cfg).toMatchObject({ mode: 'legacy', concurrency: 1 });
    const url = new URL(pollinationsUrl(cfg, request));
    expect(url.pathname.startsWith('/prompt/')).toBe(true);
    expect(url.searchParams.get('nologo')).toBe('true');
    expect(url.searchParams.get('referrer')).toBe('storyreel');
    const image = await new PollinationsImageProvider({ ...cfg, baseUrl: fake.url }).generate(request);
    expect(image.width).toBe(768);
    expect(fake.record[0]!.headers.authorization).toBeUndefined();
  });

  it('a bad key is final (401) and the message holds no key', async () => {
    fake = await startFakePollinations({ apiKey: 'another-key' });
    const error = await failure(provider().generate(request));
    expect(error.info).toMatchObject({ retryable: false, status: 401 });
    expect(error.message).toMatch(/rejected the API key/);
    expect(error.message).not.toContain(TEST_KEYS.pollinations);
  });

  it('429 with Retry-After is retryable and carries the wait', async () => {
    fake = await startFakePollinations({ apiKey: TEST_KEYS.pollinations });
    fake.script.push({ status: 429, retryAfter: 2 });
    const error = await failure(provider().generate(request));
    expect(error.info).toMatchObject({ retryable: true, status: 429, retryAfterMs: 2000 });
  });

  it('500 is retryable', async () => {
    fake = await startFakePollinations({ apiKey: TEST_KEYS.pollinations });
    fake.script.push({ status: 500 });
    expect((await failure(provider().generate(request))).info).toMatchObject({ retryable: true, status: 500 });
  });

  it('a request that hangs times out as a retryable error', async () => {
    fake = await startFakePollinations({ apiKey: TEST_KEYS.pollinations });
    fake.script.push({ kind: 'hang' });
    const error = await failure(provider({ POLLINATIONS_TIMEOUT_MS: '1000' }).generate(request));
    expect(error.info.retryable).toBe(true);
    expect(error.message).toMatch(/did not answer within 1 s/);
  });

  it.each([
    ['an HTML page', 'html', /not an image \(content type text\/html\)/],
    ['a tiny placeholder', 'placeholder', /placeholder, not a scene \(64x64/],
  ])('a 200 with %s is a retryable failure, not a scene', async (_name, kind, message) => {
    fake = await startFakePollinations({ apiKey: TEST_KEYS.pollinations });
    fake.script.push({ kind });
    const error = await failure(provider().generate(request));
    expect(error.info.retryable).toBe(true);
    expect(error.message).toMatch(message);
  });

  it('anonymous mode refuses a second concurrent request with "Queue full" and a wait', async () => {
    fake = await startFakePollinations({ anonymousQueue: true, latencyMs: 300 });
    const cfg = { ...fakeConfig({}, { IMAGE_PROVIDER: 'pollinations' }).images.pollinations, baseUrl: fake.url };
    const p = new PollinationsImageProvider(cfg);
    const results = await Promise.allSettled([p.generate(request), p.generate({ ...request, seed: 2 })]);
    const rejected = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(rejected).toHaveLength(1);
    expect((rejected[0]!.reason as ProviderError).info).toMatchObject({ retryable: true, status: 429, retryAfterMs: 1000 });
    expect((rejected[0]!.reason as Error).message).toMatch(/Queue full/);
  });

  it('with a key and concurrency 10, ten slow images are in flight together (by the fake\'s record)', async () => {
    fake = await startFakePollinations({ apiKey: TEST_KEYS.pollinations, latencyMs: 1500 });
    const p = provider();
    expect(p.concurrency).toBe(10);
    await Promise.all(Array.from({ length: 10 }, (_, i) => p.generate({ ...request, seed: i })));
    expect(fake.maxConcurrent()).toBe(10);
    const lastStart = Math.max(...fake.record.map((r) => r.startedAt));
    const firstEnd = Math.min(...fake.record.map((r) => r.endedAt!));
    expect(lastStart).toBeLessThan(firstEnd); // every request started before any finished
  });
});
