/**
 * A service that asks for a long wait (429 with `Retry-After: 86400`) or stays throttled must not
 * hold the provider, or any other job, for as long as it asked: a provider is paused at most
 * PROVIDER_MAX_WAIT_MS, a longer ask sends that scene to its stand-in at once, and every job has a
 * deadline (JOB_TIMEOUT_MS) past which stand-ins finish it. Real engine, real Pollinations client,
 * the Pollinations fake on 127.0.0.1, real ffmpeg.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeInworld, startFakePollinations, type FakeServer } from '../fakes/providers.js';
import { fakeConfig, TEST_KEYS } from '../support/provider-config.js';
import { engineFromConfig } from '../../src/engine-from-config.js';
import { resolveFfmpeg } from '../../src/media/binaries.js';
import { registerSecrets, setLogSink } from '../../src/core/log.js';
import { secretsOf } from '../../src/config.js';
import type { ProgressEvent } from '../../src/engine/events.js';
import { ProviderGate } from '../../src/providers/gate.js';
import { ProviderError } from '../../src/providers/errors.js';
import { withRetries } from '../../src/engine/retry.js';
import { loadConfig } from '../../src/config.js';
import { defaultJobTimeoutMs, jobDeadline } from '../../src/engine/job-deadline.js';

const STORY =
  'The fox found a lantern in the snow. It carried the light to the river. The heron saw it and smiled. Together they walked home.';
const fakes: FakeServer[] = [];
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sr-retry-after-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
  setLogSink((line) => process.stderr.write(line + '\n'));
});

async function setup(env: Record<string, string>) {
  const polli = await startFakePollinations({ apiKey: TEST_KEYS.pollinations });
  const inworld = await startFakeInworld({ apiKey: TEST_KEYS.inworld });
  fakes.push(polli, inworld);
  const config = fakeConfig({ pollinations: polli.url, inworld: inworld.url }, { DATA_DIR: join(dir, 'data'), ...env });
  registerSecrets(secretsOf(config));
  setLogSink(() => undefined);
  const engine = engineFromConfig(config, resolveFfmpeg(), { cache: false });
  const render = (name: string, onProgress: (e: ProgressEvent) => void = () => undefined) =>
    engine.render({
      story: STORY,
      out: join(dir, `${name}.mp4`),
      options: { aspect: '9:16', scenes: 4, maxBytes: 3_000_000, seed: 1 },
      onProgress,
    });
  return { polli, render };
}

/** The reasons given by the image 'fallback' events, in order. */
const imageFallbacks = (events: ProgressEvent[]) =>
  events.flatMap((e) => (e.type === 'asset' && e.kind === 'image' && e.state === 'fallback' && 'error' in e ? [{ error: e.error }] : []));

describe('a long Retry-After', () => {
  it('429 with Retry-After: 86400: that scene takes its stand-in at once, and a second job is not stalled', async () => {
    const { polli, render } = await setup({ PROVIDER_MAX_WAIT_MS: '1000' });
    polli.script.push({ status: 429, retryAfter: 86_400 });
    const firstEvents: ProgressEvent[] = [];
    let sawStandIn!: () => void;
    const standIn = new Promise<void>((resolve) => (sawStandIn = resolve));
    const first = render('first', (e) => {
      firstEvents.push(e);
      if (e.type === 'asset' && e.kind === 'image' && e.state === 'fallback') sawStandIn();
    });
    // the second job starts while the provider is throttled
    await standIn;
    const second = render('second');
    const [a, b] = await Promise.all([first, second]);

    expect(a.fallbackScenes).toHaveLength(1);
    const reason = imageFallbacks(firstEvents)[0]!.error;
    expect(reason).toMatch(/rate limiting us \(HTTP 429/);
    expect(reason).toMatch(/asked us to wait 24 h, longer than the 1 s a provider is waited for \(PROVIDER_MAX_WAIT_MS\)/);
    expect(a.sceneResults[a.fallbackScenes[0]!]!.image).toMatchObject({ provider: 'local', fallback: true });
    // the second job got every real image once the (capped) pause was over
    expect(b.fallbackScenes).toEqual([]);
    expect(b.sceneResults.every((s) => s.image.provider === 'pollinations')).toBe(true);
    // one 429, then 3 + 4 good answers: nobody asked again for the throttled scene
    expect(polli.record.filter((r) => r.status === 429)).toHaveLength(1);
    expect(polli.record.filter((r) => r.status === 200)).toHaveLength(7);
  }, 60_000);

  it('a wait under the cap but past the job deadline (JOB_TIMEOUT_MS): the scene takes its stand-in, the job ends', async () => {
    const { polli, render } = await setup({ JOB_TIMEOUT_MS: '1000' });
    polli.script.push({ status: 429, retryAfter: 50 });
    const events: ProgressEvent[] = [];
    const result = await render('deadline', (e) => events.push(e));
    expect(result.fallbackScenes.length).toBeGreaterThanOrEqual(1);
    expect(imageFallbacks(events)[0]!.error).toMatch(
      /rate limiting us \(HTTP 429.*the job's deadline \(JOB_TIMEOUT_MS\) comes before the next try/,
    );
  }, 60_000);

  it('a request that never answers is cut at the job deadline (not after POLLINATIONS_TIMEOUT_MS)', async () => {
    const { polli, render } = await setup({ JOB_TIMEOUT_MS: '1500', POLLINATIONS_TIMEOUT_MS: '600000' });
    polli.script.push({ kind: 'hang' });
    const events: ProgressEvent[] = [];
    const result = await render('hang', (e) => events.push(e));
    expect(result.fallbackScenes).toHaveLength(1);
    expect(imageFallbacks(events)[0]!.error).toMatch(/pollinations had not answered; the job's deadline \(JOB_TIMEOUT_MS\) ran out/);
  }, 60_000);
});

describe('ProviderGate and withRetries with a cap', () => {
  it('a pause lasts at most maxWaitMs, whatever the service asked', async () => {
    let clock = 1_000;
    const gate = new ProviderGate('test', 2, () => clock, 500);
    gate.backOff(86_400_000);
    clock += 500;
    // not paused any more: runs at once
    await expect(gate.run(async () => 'ran')).resolves.toBe('ran');
  });

  it('a pause past the deadline fails at once instead of waiting', async () => {
    const clock = 1_000;
    const gate = new ProviderGate('test', 2, () => clock, 60_000);
    gate.backOff(30_000);
    await expect(gate.run(async () => 'ran', undefined, clock + 1_000)).rejects.toThrow(/past the job's deadline \(JOB_TIMEOUT_MS\)/);
  });

  it('a Retry-After over the cap is not retried', async () => {
    const gate = new ProviderGate('svc', 1, Date.now, 2_000);
    let calls = 0;
    const asked = new ProviderError('svc is rate limiting us (HTTP 429)', {
      provider: 'svc',
      retryable: true,
      rateLimited: true,
      retryAfterMs: 3_600_000,
      status: 429,
    });
    const run = withRetries(gate, { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 }, async () => {
      calls += 1;
      throw asked;
    });
    await expect(run).rejects.toThrow(/asked us to wait 1 h, longer than the 2 s a provider is waited for/);
    expect(calls).toBe(1);
  });
});

describe('PROVIDER_MAX_WAIT_MS and JOB_TIMEOUT_MS', () => {
  it('are validated, with defaults: 60 s, and a deadline that grows with the story', () => {
    const config = loadConfig({ IMAGE_PROVIDER: 'local' });
    expect(config.limits.providerMaxWaitMs).toBe(60_000);
    expect(config.limits.jobTimeoutMs).toBeUndefined();
    expect(loadConfig({ IMAGE_PROVIDER: 'local', JOB_TIMEOUT_MS: '600000' }).limits.jobTimeoutMs).toBe(600_000);
    expect(() => loadConfig({ PROVIDER_MAX_WAIT_MS: 'soon' })).toThrow(/^Invalid PROVIDER_MAX_WAIT_MS: .*\(got "soon"\)$/);
    expect(() => loadConfig({ PROVIDER_MAX_WAIT_MS: '10' })).toThrow(/^Invalid PROVIDER_MAX_WAIT_MS/);
    expect(() => loadConfig({ JOB_TIMEOUT_MS: '-1' })).toThrow(/^Invalid JOB_TIMEOUT_MS/);
    // 3 minutes, plus one per 1,000 characters
    expect(defaultJobTimeoutMs(0)).toBe(180_000);
    expect(defaultJobTimeoutMs(20_000)).toBe(23 * 60_000);
    expect(jobDeadline(1_000, 'a'.repeat(1000))).toBe(1_000 + 240_000);
    expect(jobDeadline(1_000, 'a'.repeat(1000), 5_000)).toBe(6_000);
  });
});
