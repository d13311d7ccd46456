import { afterEach, describe, expect, it, vi } from 'vitest';
import { ESTIMATE_MARGIN, lengthWhenRenderable, plannedLength, VOICE_GRACE_MS } from '../../src/engine/encoding-plan.js';
import { estimateSpeechSeconds } from '../../src/engine/silence.js';
import { SCENE_GAP_SECONDS } from '../../src/engine/timeline.js';

const TEXTS = ['One two three four five six seven eight.', 'Nine ten eleven twelve.', 'Thirteen fourteen fifteen sixteen seventeen.'];

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('plannedLength', () => {
  it('is the measured narration plus a gap per scene when every voice is in', () => {
    expect(plannedLength([3, 2, 4], TEXTS)).toEqual({ durationSeconds: expect.closeTo(9 + 3 * SCENE_GAP_SECONDS, 9), estimatedScenes: 0 });
  });

  it('estimates a missing voice at the pace of the voices already in, with a margin', () => {
    // The measured voices speak twice as slowly as the text estimate says.
    const measured = [2 * estimateSpeechSeconds(TEXTS[0]!), undefined, 2 * estimateSpeechSeconds(TEXTS[2]!)];
    const { durationSeconds, estimatedScenes } = plannedLength(measured, TEXTS);
    const missing = 2 * estimateSpeechSeconds(TEXTS[1]!) * ESTIMATE_MARGIN;
    expect(estimatedScenes).toBe(1);
    expect(durationSeconds).toBeCloseTo(measured[0]! + missing + measured[2]! + 3 * SCENE_GAP_SECONDS, 6);
  });
});

// Fake timers: the grace runs out only when a test moves the clock, however loaded the machine is.
afterEach(() => {
  vi.useRealTimers();
});

describe('lengthWhenRenderable', () => {
  it('waits for every voice while no scene has its image', async () => {
    vi.useFakeTimers();
    const voices = TEXTS.map(() => deferred<{ seconds: number }>());
    const images = TEXTS.map(() => deferred<string>());
    let result: unknown;
    const planned = lengthWhenRenderable({ texts: TEXTS, voices: voices.map((v) => v.promise), images: images.map((i) => i.promise) }).then(
      (r) => (result = r),
    );
    voices[0]!.resolve({ seconds: 3 });
    voices[2]!.resolve({ seconds: 4 });
    // Long past any grace: with no image in, there is nothing to render yet, so it still waits.
    await vi.advanceTimersByTimeAsync(10 * VOICE_GRACE_MS);
    expect(result).toBeUndefined();
    voices[1]!.resolve({ seconds: 2 });
    await planned;
    expect(result).toEqual({ durationSeconds: expect.closeTo(9 + 3 * SCENE_GAP_SECONDS, 9), estimatedScenes: 0 });
  });

  it('waits out a short grace for the last voices once a scene could render: no estimate when they come', async () => {
    vi.useFakeTimers();
    const voices = TEXTS.map(() => deferred<{ seconds: number }>());
    const images = TEXTS.map(() => deferred<string>());
    const planned = lengthWhenRenderable({
      texts: TEXTS,
      voices: voices.map((v) => v.promise),
      images: images.map((i) => i.promise),
      graceMs: 5000,
    });
    images.forEach((i, n) => i.resolve(`image ${n}`)); // images first (local or cached)
    voices[0]!.resolve({ seconds: 3 });
    await vi.advanceTimersByTimeAsync(4999); // scene 0 renderable for just under the grace
    voices[1]!.resolve({ seconds: 2 });
    voices[2]!.resolve({ seconds: 4 });
    expect(await planned).toEqual({ durationSeconds: expect.closeTo(9 + 3 * SCENE_GAP_SECONDS, 9), estimatedScenes: 0 });
  });

  it('does not wait for a lagging voice past the grace once a scene has both its image and its voice', async () => {
    vi.useFakeTimers();
    const voices = TEXTS.map(() => deferred<{ seconds: number }>());
    const images = TEXTS.map(() => deferred<string>());
    const planned = lengthWhenRenderable({
      texts: TEXTS,
      voices: voices.map((v) => v.promise),
      images: images.map((i) => i.promise),
      graceMs: 30,
    });
    voices[0]!.resolve({ seconds: 3 });
    images[2]!.resolve('image 2'); // scene 2 has an image but no voice yet: not renderable
    images[0]!.resolve('image 0'); // scene 0 has both
    let settled = false;
    void planned.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(29);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const result = await planned; // would hang if it waited for voices 1 and 2
    expect(result.estimatedScenes).toBe(2);
    expect(result.durationSeconds).toBeGreaterThan(3 + 3 * SCENE_GAP_SECONDS);
  });

  it('rejects when a voice rejects (an abort)', async () => {
    const aborted = Promise.reject(new Error('aborted'));
    await expect(
      lengthWhenRenderable({ texts: TEXTS.slice(0, 1), voices: [aborted], images: [new Promise(() => undefined)] }),
    ).rejects.toThrow('aborted');
  });
});
