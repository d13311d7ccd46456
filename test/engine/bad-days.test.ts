/**
 * The whole pipeline on real providers talking to fakes that have bad days: the video still
 * comes out, the result and the events say what happened, and no key shows anywhere.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakePollinations } from '../fakes/providers.js';
import { startFakeInworld } from '../fakes/providers.js';
import { startFakeLlm } from '../fakes/llm.js';
import type { FakeService } from '../fakes/providers.js';
import { fakeConfig, TEST_KEYS } from '../support/provider-config.js';
import { engineFromConfig } from '../../src/engine-from-config.js';
import { resolveFfmpeg } from '../../src/media/binaries.js';
import { registerSecrets, setLogSink } from '../../src/core/log.js';
import { secretsOf } from '../../src/config.js';
import type { ProgressEvent } from '../../src/engine/events.js';
import { probeMedia } from '../../src/media/probe.js';

const STORY =
  'The fox found a lantern in the snow. It carried the light to the river. The heron saw it and smiled. Together they walked home.';
const fakes: FakeService[] = [];
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sr-baddays-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
  setLogSink((line) => process.stderr.write(line + '\n'));
});

async function setup(opts: { polli?: Parameters<typeof startFakePollinations>[0]; llm?: boolean } = {}) {
  const polli = await startFakePollinations({ apiKey: TEST_KEYS.pollinations, ...opts.polli });
  const inworld = await startFakeInworld({ apiKey: TEST_KEYS.inworld });
  const llm = opts.llm ? await startFakeLlm({ apiKey: TEST_KEYS.llm }) : undefined;
  fakes.push(polli, inworld, ...(llm ? [llm] : []));
  const config = fakeConfig({ pollinations: polli.url, inworld: inworld.url, llm: llm?.url }, { DATA_DIR: join(dir, 'data') });
  registerSecrets(secretsOf(config));
  const logs: string[] = [];
  setLogSink((line) => logs.push(line));
  const events: ProgressEvent[] = [];
  const engine = engineFromConfig(config, resolveFfmpeg(), { cache: false });
  const render = (name: string, scenes = 4) =>
    engine.render({
      story: STORY,
      out: join(dir, `${name}.mp4`),
      options: { aspect: '9:16', scenes, maxBytes: 3_000_000, seed: 1 },
      onProgress: (e) => events.push(e),
    });
  return { polli, inworld, llm, engine, render, events, logs };
}

describe('bad days, end to end', () => {
  it('a good day: images from Pollinations, voices from Inworld, scenes from the LLM, captions from word timings', async () => {
    const { render, polli, inworld, llm } = await setup({ llm: true });
    const result = await render('good');
    expect(result.providers).toEqual({ writer: 'openai', image: 'pollinations', voice: 'inworld' });
    expect(result.fallbackScenes).toEqual([]);
    expect(polli.record).toHaveLength(4);
    expect(inworld.record).toHaveLength(4);
    expect(llm!.record).toHaveLength(1);
    // The LLM's visual brief reaches every image prompt.
    for (const r of polli.record) expect(r.path).toContain('red fox with a green scarf');
    const info = await probeMedia(resolveFfmpeg().ffprobe, result.out);
    expect(info.video?.codec).toBe('h264');
  });

  it('429 with Retry-After and 500s are retried: the video comes out with every real image', async () => {
    const { render, polli, events } = await setup();
    polli.script.push({ status: 429, retryAfter: 1 }, { status: 500 });
    const result = await render('retried');
    expect(result.fallbackScenes).toEqual([]);
    expect(result.sceneResults.every((s) => s.image.provider === 'pollinations')).toBe(true);
    const retries = events.filter((e) => e.type === 'asset' && e.state === 'retrying');
    expect(retries).toHaveLength(2);
    expect(retries.some((e) => 'delayMs' in e && e.delayMs! >= 1000)).toBe(true);
  });

  it('HTML and placeholder 200s are retried, never used as scenes', async () => {
    const { render, polli, events } = await setup();
    polli.script.push({ kind: 'html' }, { kind: 'placeholder' });
    const result = await render('not-images');
    expect(result.fallbackScenes).toEqual([]);
    const reasons = events.filter((e) => e.type === 'asset' && e.state === 'retrying').map((e) => ('error' in e ? e.error : ''));
    expect(reasons.join('\n')).toMatch(/not an image/);
    expect(reasons.join('\n')).toMatch(/placeholder/);
  });

  it('a dead image service: every scene falls back to a local card after its retries, and the result says so', async () => {
    const { render, polli, events } = await setup({ polli: { failureRate: 1 } });
    const result = await render('dead', 3);
    expect(result.fallbackScenes).toEqual([0, 1, 2]);
    expect(result.sceneResults.every((s) => s.image.provider === 'local' && s.image.fallback)).toBe(true);
    // Default policy: 4 attempts a scene before the card.
    expect(polli.record).toHaveLength(12);
    expect(events.filter((e) => e.type === 'asset' && e.state === 'fallback')).toHaveLength(3);
  }, 60_000);

  it('no key appears in any log line, event, error or result', async () => {
    const { render, events, logs, polli } = await setup({ llm: true, polli: { apiKey: 'wrong' } });
    const result = await render('secrets', 2);
    expect(result.fallbackScenes).toEqual([0, 1]);
    const everything = JSON.stringify({ events, logs, result });
    expect(everything).toMatch(/rejected the API key/);
    for (const key of Object.values(TEST_KEYS)) expect(everything).not.toContain(key);
    expect(polli.record.length).toBe(2); // a rejected key is not retried
  });
});
