/**
 * Image concurrency through the whole engine (config -> gate -> Pollinations client -> fake), read
 * from the fake's own record of when each request started and ended: with a key and
 * POLLINATIONS_CONCURRENCY=10, ten slow images are all in flight at once; anonymous, never more
 * than one (the real service refuses a second one from the same IP). No wall-time assertions.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { expectNoKeys, expectPlayable, maxOverlap, startBadDay, type BadDay } from '../support/bad-day-harness.js';

let day: BadDay | undefined;
afterEach(async () => {
  await day?.close();
  day = undefined;
});

const TEN_SCENES = [
  'The fox found a lantern in the snow.',
  'It carried the light to the river.',
  'The heron saw it and smiled.',
  'Together they crossed the frozen bridge.',
  'An owl watched from the birch wood.',
  'The wind carried music from the village.',
  'A door opened and warm light spilled out.',
  'The baker waved them inside.',
  'They shared bread by the fire.',
  'Then everyone walked home under the stars.',
].join(' ');

describe('image concurrency through the engine', () => {
  it('with a key and POLLINATIONS_CONCURRENCY=10: ten 3-second images are all in flight at once', async () => {
    day = await startBadDay({ polli: { latencyMs: 3000 }, env: { POLLINATIONS_CONCURRENCY: '10' } });
    const result = await day.render('images-10', { story: TEN_SCENES, scenes: 10 });

    await expectPlayable(result, { min: 10, max: 80 });
    expect(result.scenes).toBe(10);
    expect(result.fallbackScenes).toEqual([]);
    expect(result.sceneResults.every((s) => s.image.provider === 'pollinations')).toBe(true);
    const record = day.polli!.record;
    expect(record).toHaveLength(10);
    expect(record.every((r) => r.status === 200 && r.path.startsWith('/image/'))).toBe(true);
    expect(maxOverlap(record)).toBe(10);
    expect(day.polli!.maxConcurrent()).toBe(10);
    expectNoKeys(day.events, day.logs, result);
  }, 180_000);

  it('anonymous (no key, concurrency 1): never more than one image request in flight, none refused as queue full', async () => {
    // explicit: under auto, a keyless Pollinations is only used after the start-up check (issue 12 item 12)
    day = await startBadDay({
      polli: { latencyMs: 1000, anonymousQueue: true },
      env: { POLLINATIONS_API_KEY: '', IMAGE_PROVIDER: 'pollinations' },
    });
    const result = await day.render('images-anon', { scenes: 4 });

    await expectPlayable(result, { min: 4, max: 40 });
    expect(result.fallbackScenes).toEqual([]);
    expect(result.sceneResults.every((s) => s.image.provider === 'pollinations')).toBe(true);
    const record = day.polli!.record;
    expect(record).toHaveLength(4);
    expect(record.every((r) => r.status === 200 && r.path.startsWith('/prompt/') && r.headers.authorization === undefined)).toBe(true);
    expect(maxOverlap(record)).toBe(1);
    expect(day.polli!.maxConcurrent()).toBe(1);
    expectNoKeys(day.events, day.logs, result);
  }, 180_000);
});
