import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { ConfigError, loadConfig } from '../../src/config.js';
import { engineFromConfig, settleImageProvider } from '../../src/engine-from-config.js';
import { resolveFfmpeg } from '../../src/media/binaries.js';
import { PollinationsImageProvider } from '../../src/providers/images/pollinations.js';
import { startFakePollinations } from '../fakes/providers.js';
import type { FakeServer } from '../fakes/providers.js';
import { TEST_KEYS } from '../support/provider-config.js';

let fake: FakeServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** A port on 127.0.0.1 where nothing listens (taken from the OS, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('IMAGE_PROVIDER=auto without a key: the start-up check (issue 12 item 12)', () => {
  it('the anonymous endpoint answers: Pollinations, anonymous, one request at a time, and the engine uses it', async () => {
    fake = await startFakePollinations({ anonymousQueue: true });
    const config = loadConfig({ POLLINATIONS_BASE_URL: fake.url });
    expect(config.images).toMatchObject({ provider: 'local', check: { timeoutMs: 2500 } });

    const settled = await settleImageProvider(config);
    expect(settled.images.provider).toBe('pollinations');
    expect(settled.images.check).toBeUndefined();
    expect(settled.images.pollinations).toMatchObject({ mode: 'legacy', apiKey: undefined, concurrency: 1, baseUrl: fake.url });
    expect(settled.images.why).toMatch(/^anonymous, 1 at a time: 127\.0\.0\.1:\d+ answered the start-up check in \d+ ms$/);
    expect(fake.record.map((r) => [r.method, r.path, r.headers.authorization])).toEqual([['GET', '/models', undefined]]);
    expect(engineFromConfig(settled, resolveFfmpeg(), { cache: false }).providers.image).toBe('pollinations');

    const image = await new PollinationsImageProvider(settled.images.pollinations).generate({
      prompt: 'a lighthouse in the storm',
      width: 288,
      height: 512,
      seed: 1,
    });
    expect(image.mime).toBe('image/jpeg');
    expect(fake.record.at(-1)!.path).toBe('/prompt/a lighthouse in the storm');
  });

  it('nothing listening: local cards, and the line says why and how to skip the check', async () => {
    const port = await closedPort();
    const settled = await settleImageProvider(loadConfig({ POLLINATIONS_BASE_URL: `http://127.0.0.1:${port}` }));
    expect(settled.images.provider).toBe('local');
    expect(settled.images.why).toBe(`127.0.0.1:${port} could not be reached (ECONNREFUSED); IMAGE_PROVIDER=local skips this check`);
    expect(engineFromConfig(settled, resolveFfmpeg(), { cache: false }).providers.image).toBe('local');
  });

  it('a service that never answers: local cards once IMAGE_CHECK_TIMEOUT_MS has passed', async () => {
    fake = await startFakePollinations();
    fake.script.push({ kind: 'hang' });
    const settled = await settleImageProvider(loadConfig({ POLLINATIONS_BASE_URL: fake.url, IMAGE_CHECK_TIMEOUT_MS: '300' }));
    expect(settled.images.provider).toBe('local');
    expect(settled.images.why).toMatch(/^127\.0\.0\.1:\d+ did not answer within 0\.3 s; /);
  });

  it('a 200 that is not the model list (a captive portal page): local cards', async () => {
    fake = await startFakePollinations();
    fake.script.push({ kind: 'html' });
    const settled = await settleImageProvider(loadConfig({ POLLINATIONS_BASE_URL: fake.url }));
    expect(settled.images.provider).toBe('local');
    expect(settled.images.why).toMatch(/answered the check with an HTML page instead of its model list/);
  });

  it('no check, no request, when the choice is explicit or a key is set', async () => {
    fake = await startFakePollinations({ apiKey: TEST_KEYS.pollinations });
    const local = loadConfig({ IMAGE_PROVIDER: 'local', POLLINATIONS_BASE_URL: fake.url });
    expect(await settleImageProvider(local)).toBe(local);
    expect(local.images).toMatchObject({ provider: 'local', why: 'IMAGE_PROVIDER=local', check: undefined });
    const keyed = loadConfig({ POLLINATIONS_BASE_URL: fake.url, POLLINATIONS_API_KEY: TEST_KEYS.pollinations });
    expect(await settleImageProvider(keyed)).toBe(keyed);
    expect(keyed.images).toMatchObject({ provider: 'pollinations', why: 'POLLINATIONS_API_KEY is set' });
    expect(fake.record).toHaveLength(0);
  });

  it('IMAGE_CHECK_TIMEOUT_MS is validated like every variable (100 ms to 30 s)', () => {
    expect(() => loadConfig({ IMAGE_CHECK_TIMEOUT_MS: '5' })).toThrow(ConfigError);
    expect(() => loadConfig({ IMAGE_CHECK_TIMEOUT_MS: 'soon' })).toThrow(/^Invalid IMAGE_CHECK_TIMEOUT_MS: .*\(got "soon"\)$/);
    expect(loadConfig({}).images.check).toEqual({ timeoutMs: 2500 });
  });
});
