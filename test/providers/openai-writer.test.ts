import { afterEach, describe, expect, it } from 'vitest';
import { startFakeLlm } from '../fakes/llm.js';
import type { FakeServer as FakeService } from '../fakes/fake-server.js';
import { OpenAiSceneWriter } from '../../src/providers/writers/openai.js';
import { LocalSceneWriter } from '../../src/providers/writers/local.js';
import { extractJson, parseSceneAnswer } from '../../src/providers/writers/parse-scenes.js';
import { fakeConfig, TEST_KEYS } from '../support/provider-config.js';

let fake: FakeService;
afterEach(async () => fake?.close());

const story = 'A fox found a lantern. It glowed in the snow. The fox carried it home. Its family cheered.';
const writer = () => new OpenAiSceneWriter(fakeConfig({ llm: fake.url }).writer.openai, new LocalSceneWriter());

describe('OpenAiSceneWriter against the fake', () => {
  it.each(['good', 'prose', 'fence'])('uses a %s answer with its visual brief', async (kind) => {
    fake = await startFakeLlm({ apiKey: TEST_KEYS.llm });
    fake.script.push({ kind });
    const script = await writer().write({ story, scenes: 4, aspect: '9:16' });
    expect(script).toMatchObject({ writer: 'openai', title: 'The Fake Story', visualBrief: expect.stringContaining('red fox') });
    expect(script.scenes).toHaveLength(4);
    expect(script.fallbackReason).toBeUndefined();
    expect(fake.record).toHaveLength(1);
    expect(fake.record[0]!.headers.authorization).toBe(`Bearer ${TEST_KEYS.llm}`);
  });

  it.each(['broken', 'too-many', 'too-few', 'empty-field'])('repairs a %s answer with one more request', async (kind) => {
    fake = await startFakeLlm({ apiKey: TEST_KEYS.llm });
    fake.script.push({ kind });
    const script = await writer().write({ story, scenes: 4, aspect: '9:16' });
    expect(script.writer).toBe('openai');
    expect(script.scenes).toHaveLength(4);
    expect(fake.record).toHaveLength(2);
    const repair = JSON.parse(fake.record[1]!.body).messages.at(-1).content as string;
    expect(repair).toMatch(/cannot be used/);
  });

  it('falls back to the offline writer after a failed repair, and says why', async () => {
    fake = await startFakeLlm({ apiKey: TEST_KEYS.llm });
    fake.script.push({ kind: 'broken' }, { kind: 'too-many' });
    const script = await writer().write({ story, scenes: 2, aspect: '9:16' });
    expect(script.writer).toBe('local');
    expect(script.fallbackReason).toMatch(/unusable twice \(there are 5 scenes, 2 were asked for\)/);
    expect(script.scenes).toHaveLength(2);
  });

  it('falls back when the service is down, without the key in the reason', async () => {
    fake = await startFakeLlm({ apiKey: 'other' });
    const script = await writer().write({ story, aspect: '9:16' });
    expect(script.writer).toBe('local');
    expect(script.fallbackReason).toMatch(/rejected the API key/);
    expect(script.fallbackReason).not.toContain(TEST_KEYS.llm);
  });
});

describe('parseSceneAnswer', () => {
  it('finds JSON in prose and fences, and names what is wrong', () => {
    expect(extractJson('Here: {"a": "}"} done')).toBe('{"a": "}"}');
    expect(parseSceneAnswer('no json here')).toEqual({ ok: false, reason: 'the answer holds no JSON object' });
    expect(parseSceneAnswer('{"scenes": []}')).toEqual({ ok: false, reason: 'there are no scenes' });
    const many = JSON.stringify({ scenes: Array.from({ length: 21 }, () => ({ narration: 'a', imagePrompt: 'b' })) });
    expect(parseSceneAnswer(many)).toEqual({ ok: false, reason: 'there are more than 20 scenes' });
  });
});
