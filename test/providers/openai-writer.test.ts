import { afterEach, describe, expect, it } from 'vitest';
import { FAKE_BRIEF, FAKE_TITLE, startFakeLlm } from '../fakes/llm.js';
import type { FakeServer } from '../fakes/providers.js';
import { OpenAiSceneWriter, chatCompletionsUrl } from '../../src/providers/writers/openai.js';
import { LocalSceneWriter } from '../../src/providers/writers/local.js';
import { UnusableAnswerError } from '../../src/providers/writers/unusable-answer.js';
import { ProviderError } from '../../src/providers/errors.js';
import { writeScript } from '../../src/engine/write-script.js';
import type { WriteRequest } from '../../src/providers/types.js';
import { extractJson, parseSceneAnswer } from '../../src/providers/writers/parse-scenes.js';
import { fakeConfig, TEST_KEYS } from '../support/provider-config.js';
import { useCapturedLogs } from '../support/captured-logs.js';

let fake: FakeServer | undefined;
const logs = useCapturedLogs();
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const story = 'A fox found a lantern. It glowed in the snow. The fox carried it home. Its family cheered.';

/** The client alone: one request per call. */
async function client(apiKey = TEST_KEYS.llm, env: Record<string, string> = {}) {
  fake = await startFakeLlm({ apiKey });
  return new OpenAiSceneWriter(fakeConfig({ llm: fake.url }, env).writer.openai);
}

/** The client as the engine drives it: repair, one retry, then the offline writer (engine/write-script.ts). */
async function writer(apiKey = TEST_KEYS.llm, env: Record<string, string> = {}) {
  const openai = await client(apiKey, env);
  const local = new LocalSceneWriter();
  return { write: (req: WriteRequest) => writeScript(openai, local, req) };
}

const body = (i: number) =>
  JSON.parse(fake!.record[i]!.body) as {
    model: string;
    temperature: number;
    response_format: unknown;
    messages: { role: string; content: string }[];
  };

describe('OpenAiSceneWriter alone: one request per call', () => {
  it('an unusable answer throws UnusableAnswerError with the reason and the answer, and asks nothing more', async () => {
    const w = await client();
    fake!.script.push({ kind: 'too-many' });
    const error = await w.write({ story, scenes: 4, aspect: '9:16' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnusableAnswerError);
    expect((error as UnusableAnswerError).reason).toBe('there are 7 scenes, 4 were asked for');
    expect(JSON.parse((error as UnusableAnswerError).answer).scenes).toHaveLength(7);
    expect(fake!.record).toHaveLength(1);
  });

  it('a failing service throws its ProviderError after one request', async () => {
    const w = await client();
    fake!.script.push({ status: 503 });
    const error = await w.write({ story, aspect: '9:16' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).retryable).toBe(true);
    expect(fake!.record).toHaveLength(1);
  });

  it('with repair set, sends the previous answer and the reason back in the same request', async () => {
    const w = await client();
    const script = await w.write({
      story,
      scenes: 4,
      aspect: '9:16',
      repair: { answer: '{"scenes": [', reason: 'the JSON is broken (end of input)' },
    });
    expect(script.writer).toBe('openai');
    expect(fake!.record).toHaveLength(1);
    const sent = body(0).messages;
    expect(sent.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(sent[2]!.content).toBe('{"scenes": [');
    expect(sent[3]!.content).toMatch(/cannot be used: the JSON is broken \(end of input\)[\s\S]*exactly 4 scenes/);
  });
});

describe('OpenAiSceneWriter through the engine', () => {
  it.each(['good', 'prose', 'fence'])('uses a %s answer: title, visual brief, the asked number of scenes, one request', async (kind) => {
    const w = await writer();
    fake!.script.push({ kind });
    const script = await w.write({ story, scenes: 4, aspect: '9:16', style: 'watercolor' });
    expect(script).toMatchObject({ writer: 'openai', title: FAKE_TITLE, visualBrief: FAKE_BRIEF });
    expect(script.scenes.map((s) => s.index)).toEqual([0, 1, 2, 3]);
    expect(script.scenes[0]).toEqual({
      index: 0,
      narration: 'A fox found a lantern.',
      imagePrompt: 'a detailed picture of scene 1, warm light',
    });
    expect(script.fallbackReason).toBeUndefined();
    expect(fake!.record).toHaveLength(1);
    expect(fake!.record[0]!.headers.authorization).toBe(`Bearer ${TEST_KEYS.llm}`);
    const sent = body(0);
    expect(sent).toMatchObject({ model: 'gpt-4o-mini', response_format: { type: 'json_object' } });
    expect(sent.temperature).toBeLessThanOrEqual(0.7);
    expect(sent.messages[0]!.content).toMatch(/exactly 4 scenes[\s\S]*9:16[\s\S]*watercolor[\s\S]*JSON/);
    expect(sent.messages[0]!.content).toMatch(/Do not name an art style, medium or camera in an imagePrompt/);
    expect(sent.messages[1]!.content).toBe(`<story>\n${story}\n</story>`);
  });

  it.each([
    ['broken', /the JSON is broken/],
    ['too-many', /there are 7 scenes, 4 were asked for/],
    ['too-few', /there are 3 scenes, 4 were asked for/],
    ['empty-field', /a scene has an empty imagePrompt/],
    ['refusal', /the model refused/],
    ['cut-off', /cut off at the length limit/],
  ])('repairs a %s answer with one more request that says what was wrong', async (kind, reason) => {
    const w = await writer();
    fake!.script.push({ kind });
    const script = await w.write({ story, scenes: 4, aspect: '9:16' });
    expect(script.writer).toBe('openai');
    expect(script.scenes).toHaveLength(4);
    expect(fake!.record).toHaveLength(2);
    const repair = body(1).messages;
    expect(repair.at(-2)!.role).toBe('assistant');
    expect(repair.at(-1)!.content).toMatch(/cannot be used/);
    expect(repair.at(-1)!.content).toMatch(reason);
    expect(repair.at(-1)!.content).toMatch(/exactly 4 scenes/);
  });

  it('falls back to the offline writer after a failed repair, and says why', async () => {
    const w = await writer();
    fake!.script.push({ kind: 'broken' }, { kind: 'too-many' });
    const script = await w.write({ story, scenes: 2, aspect: '9:16' });
    expect(script.writer).toBe('local');
    expect(script.fallbackReason).toBe(
      'openai writer: its answer was unusable twice (there are 5 scenes, 2 were asked for); the local writer cut the scenes',
    );
    expect(script.scenes).toHaveLength(2);
    expect(fake!.record).toHaveLength(2);
  });

  it('asks once more after a passing failure (500, hang), and uses that answer', async () => {
    const w = await writer(TEST_KEYS.llm, { LLM_TIMEOUT_MS: '1000' });
    fake!.script.push({ status: 500 });
    expect((await w.write({ story, scenes: 3, aspect: '1:1' })).writer).toBe('openai');
    fake!.script.push({ kind: 'hang' });
    expect((await w.write({ story, scenes: 3, aspect: '1:1' })).writer).toBe('openai');
    expect(fake!.record.map((r) => r.status)).toEqual([500, 200, undefined, 200]);
  });

  it('falls back when the service fails twice, or asks for a long wait', async () => {
    const w = await writer();
    fake!.script.push({ status: 502 }, { status: 503 });
    const twice = await w.write({ story, aspect: '9:16' });
    expect(twice.writer).toBe('local');
    expect(twice.fallbackReason).toMatch(/^openai writer: openai failed \(HTTP 503: scripted 503\)/);
    fake!.script.push({ status: 429, retryAfter: 60 });
    const limited = await w.write({ story, aspect: '9:16' });
    expect(limited.fallbackReason).toMatch(/rate limiting us \(HTTP 429/);
    expect(fake!.record).toHaveLength(3);
  });

  it('a rejected key: no second request, fallback, and the key in no reason or log line', async () => {
    const w = await writer('sk-another-key-0000');
    const script = await w.write({ story, aspect: '9:16' });
    expect(script.writer).toBe('local');
    expect(script.fallbackReason).toMatch(/rejected the API key \(HTTP 401: Incorrect API key provided: sk-\**-456\.\)/);
    expect(fake!.record).toHaveLength(1);
    expect(logs.some((l) => l.includes('WARN [writer]'))).toBe(true);
    for (const text of [script.fallbackReason!, ...logs]) expect(text).not.toContain(TEST_KEYS.llm);
  });

  it("the caller's abort ends it at once: no fallback", async () => {
    const w = await writer();
    fake!.script.push({ kind: 'hang' });
    const controller = new AbortController();
    const pending = w.write({ story, aspect: '9:16', signal: controller.signal }).catch((e: unknown) => e);
    await expect.poll(() => fake!.inFlight()).toBe(1);
    controller.abort();
    expect(((await pending) as Error).name).toBe('AbortError');
    expect(fake!.record).toHaveLength(1);
  });

  it('takes a base URL with or without /v1', () => {
    expect(chatCompletionsUrl('https://api.openai.com')).toBe('https://api.openai.com/v1/chat/completions');
    expect(chatCompletionsUrl('https://api.openai.com/v1/')).toBe('https://api.openai.com/v1/chat/completions');
    expect(chatCompletionsUrl('http://127.0.0.1:11434/v1')).toBe('http://127.0.0.1:11434/v1/chat/completions');
  });
});

describe('parseSceneAnswer', () => {
  const scenes = (n: number) => Array.from({ length: n }, (_, i) => ({ narration: `Line ${i}.`, imagePrompt: `picture ${i}` }));

  it('finds the answer in prose and fences, never an inner object or a decoy', () => {
    expect(extractJson('Here: {"a": "}"} done')).toBe('{"a": "}"}');
    const answer = JSON.stringify({ title: 'T', scenes: scenes(2) });
    expect(extractJson(`Sure {as asked}: ${answer} bye`)).toBe(answer);
    expect(extractJson('```text\nnot it\n```\n```json\n' + answer + '\n```')).toBe(answer);
    expect(parseSceneAnswer(answer.slice(0, -2))).toMatchObject({ ok: false, reason: expect.stringMatching(/^the JSON is broken/) });
  });

  it('names what is wrong', () => {
    expect(parseSceneAnswer('no json here')).toEqual({ ok: false, reason: 'the answer holds no JSON object' });
    expect(parseSceneAnswer('{"scenes": []}')).toEqual({ ok: false, reason: 'there are no scenes' });
    expect(parseSceneAnswer('{"title": "x"}')).toEqual({ ok: false, reason: 'there is no "scenes" array' });
    expect(parseSceneAnswer(JSON.stringify({ scenes: scenes(21) }))).toEqual({ ok: false, reason: 'there are more than 20 scenes' });
    expect(parseSceneAnswer(JSON.stringify({ scenes: [{ narration: ' ', imagePrompt: 'x' }] }))).toEqual({
      ok: false,
      reason: 'a scene has an empty narration',
    });
    expect(parseSceneAnswer(JSON.stringify({ scenes: [{ narration: 'x', imagePrompt: 7 }] }))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^scenes\.0\.imagePrompt: /),
    });
    expect(parseSceneAnswer(JSON.stringify({ scenes: scenes(3) }), 2)).toEqual({
      ok: false,
      reason: 'there are 3 scenes, 2 were asked for',
    });
  });

  it('trims fields, collapses prompt whitespace and shortens an overlong title', () => {
    const result = parseSceneAnswer(
      JSON.stringify({
        title: `  ${'Long '.repeat(40)}`,
        visualBrief: ' a fox\n in a scarf ',
        scenes: [{ narration: '  Said.  ', imagePrompt: ' a\n\nfox ' }],
      }),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.title!.length).toBeLessThanOrEqual(100);
    expect(result.value.visualBrief).toBe('a fox in a scarf');
    expect(result.value.scenes).toEqual([{ narration: 'Said.', imagePrompt: 'a fox' }]);
  });
});
