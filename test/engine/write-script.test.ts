/**
 * engine/write-script.ts, the one place that decides how hard to try a writer: at most two
 * requests (a repair or a retry), then the offline writer with the reason. Driven by small
 * scripted writers (real objects implementing SceneWriter, nothing mocked) and the real local writer.
 */
import { describe, expect, it } from 'vitest';
import { writeScript } from '../../src/engine/write-script.js';
import { LocalSceneWriter } from '../../src/providers/writers/local.js';
import { UnusableAnswerError } from '../../src/providers/writers/unusable-answer.js';
import { ProviderError } from '../../src/providers/errors.js';
import type { SceneWriter, Script, WriteRequest } from '../../src/providers/types.js';

const story = 'The fox found a lantern. It glowed in the snow. The fox carried it home.';

/** A writer that answers each call with the next step (a script, or an error to throw) and records the requests. */
function scripted(steps: (Script | Error)[]): SceneWriter & { calls: WriteRequest[] } {
  const calls: WriteRequest[] = [];
  return {
    name: 'scripted',
    calls,
    async write(req) {
      calls.push(req);
      const step = steps.shift() ?? new Error('no more steps');
      if (step instanceof Error) throw step;
      return step;
    },
  };
}

const good: Script = {
  title: 'T',
  writer: 'scripted',
  scenes: [{ index: 0, narration: 'The fox found a lantern.', imagePrompt: 'a fox' }],
};
const failed = (status: number, retryable: boolean) =>
  new ProviderError(`scripted failed (HTTP ${status})`, { provider: 'scripted', retryable, status });

describe('writeScript', () => {
  it('an unusable answer gets one repair carrying the answer and the reason; the fallback never sees it', async () => {
    const writer = scripted([new UnusableAnswerError('there are 2 scenes, 1 was asked for', '{"scenes":[1,2]}'), good]);
    const script = await writeScript(writer, new LocalSceneWriter(), { story, scenes: 1, aspect: '9:16' });
    expect(script.writer).toBe('scripted');
    expect(writer.calls.map((c) => c.repair)).toEqual([
      undefined,
      { answer: '{"scenes":[1,2]}', reason: 'there are 2 scenes, 1 was asked for' },
    ]);
  });

  it('a repair refused by the service: that failure is the reason, and no third request', async () => {
    const writer = scripted([new UnusableAnswerError('the JSON is broken', '{'), failed(400, false)]);
    const script = await writeScript(writer, new LocalSceneWriter(), { story, aspect: '9:16' });
    expect(writer.calls).toHaveLength(2);
    expect(script.fallbackReason).toBe('scripted writer: scripted failed (HTTP 400); the local writer cut the scenes');
  });

  it('a crash is tried once more, then the local writer says why', async () => {
    const writer = scripted([new Error('boom'), new Error('boom again')]);
    const script = await writeScript(writer, new LocalSceneWriter(), { story, aspect: '9:16' });
    expect(writer.calls).toHaveLength(2);
    expect(script.writer).toBe('local');
    expect(script.fallbackReason).toBe('scripted writer: unexpected error: boom again; the local writer cut the scenes');
  });

  it('a script with no usable scene: the local writer at once', async () => {
    const writer = scripted([{ ...good, scenes: [{ index: 0, narration: '  ', imagePrompt: 'x' }] }]);
    const script = await writeScript(writer, new LocalSceneWriter(), { story, aspect: '9:16' });
    expect(writer.calls).toHaveLength(1);
    expect(script.fallbackReason).toBe(
      'scripted writer: unexpected error: The scripted writer returned no scenes.; the local writer cut the scenes',
    );
  });

  it('an abort while waiting to ask again ends it: no second request, no fallback', async () => {
    const controller = new AbortController();
    // 503 with Retry-After 2 s: a wait long enough to abort inside, short enough to be taken (3 s at most).
    const busy = new ProviderError('scripted is busy (HTTP 503)', {
      provider: 'scripted',
      retryable: true,
      status: 503,
      retryAfterMs: 2_000,
    });
    const writer = scripted([busy, good]);
    const fallback = scripted([good]);
    const pending = writeScript(writer, fallback, { story, aspect: '9:16', signal: controller.signal }).catch((e: unknown) => e);
    await expect.poll(() => writer.calls.length).toBe(1);
    controller.abort();
    expect(((await pending) as Error).name).toBe('AbortError');
    expect(writer.calls).toHaveLength(1);
    expect(fallback.calls).toHaveLength(0);
  });
});
