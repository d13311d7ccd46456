/**
 * One Pollinations key does it all (issue 16): with only POLLINATIONS_API_KEY set, the scenes are
 * written by Pollinations' OpenAI-compatible gateway through the real client, end to end against a
 * fake gateway on 127.0.0.1 (the chat fake answers `/v1/chat/completions` with its Bearer check;
 * image requests pass on to the Pollinations fake). Bad days as for the other writers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { expectNoKeys, expectPlayable, startBadDay, startRoutingProxy, type BadDay } from '../support/bad-day-harness.js';
import { chatRoute, FAKE_BRIEF, FAKE_TITLE } from '../fakes/llm.js';
import { startFakePollinations } from '../fakes/providers.js';
import type { FakeServer } from '../fakes/providers.js';
import { TEST_KEYS } from '../support/provider-config.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { engineFromConfig } from '../../src/engine-from-config.js';
import { resolveFfmpeg } from '../../src/media/binaries.js';

let day: BadDay | undefined;
let fakes: FakeServer[] = [];
afterEach(async () => {
  await day?.close();
  day = undefined;
  await Promise.all(fakes.map((f) => f.close()));
  fakes = [];
});

/** The gateway: chat answered by the chat fake with the Pollinations key, images by the Pollinations fake. */
async function startGateway(): Promise<{ gateway: FakeServer; images: FakeServer }> {
  const images = await startFakePollinations({ apiKey: TEST_KEYS.pollinations });
  const gateway = await startRoutingProxy(images.url, chatRoute(TEST_KEYS.pollinations));
  fakes.push(gateway, images);
  return { gateway, images };
}

async function pollinationsDay(): Promise<{ gateway: FakeServer; images: FakeServer }> {
  const fakes = await startGateway();
  // Only the Pollinations key and its base URL: SCENE_WRITER stays auto.
  day = await startBadDay({
    polli: false,
    env: { POLLINATIONS_BASE_URL: fakes.gateway.url, POLLINATIONS_API_KEY: TEST_KEYS.pollinations },
  });
  return fakes;
}

const chats = (f: FakeServer) => f.record.filter((r) => r.path === '/v1/chat/completions');
const imageRequests = (f: FakeServer) => f.record.filter((r) => r.path.startsWith('/image/'));

describe('which writer the configuration picks', () => {
  it('only POLLINATIONS_API_KEY: Pollinations writes the scenes, model "openai" on the gateway; the start-up names it', () => {
    const config = loadConfig({ POLLINATIONS_API_KEY: 'sk_only_key' });
    expect(config.writer.provider).toBe('pollinations');
    expect(config.writer.pollinations).toEqual({
      baseUrl: 'https://gen.pollinations.ai',
      apiKey: 'sk_only_key',
      model: 'openai',
      timeoutMs: 60_000,
    });
    expect(engineFromConfig(config, resolveFfmpeg(), { cache: false }).providers).toMatchObject({
      writer: 'pollinations',
      image: 'pollinations',
    });
  });

  it('the model is configurable; the gateway base URL follows POLLINATIONS_BASE_URL', () => {
    const config = loadConfig({
      POLLINATIONS_API_KEY: 'sk_only_key',
      POLLINATIONS_TEXT_MODEL: 'mistral',
      POLLINATIONS_BASE_URL: 'http://127.0.0.1:9/',
    });
    expect(config.writer.pollinations).toMatchObject({ baseUrl: 'http://127.0.0.1:9', model: 'mistral' });
  });

  it("an LLM endpoint of the user's own wins; SCENE_WRITER forces a choice", () => {
    const key = { POLLINATIONS_API_KEY: 'sk_only_key' };
    expect(loadConfig({ ...key, LLM_BASE_URL: 'http://127.0.0.1:9', LLM_API_KEY: 'k123' }).writer.provider).toBe('openai');
    // A base URL without a key (a local server) is not "auto", and it is not Pollinations either.
    expect(loadConfig({ ...key, LLM_BASE_URL: 'http://127.0.0.1:9' }).writer.provider).toBe('local');
    expect(loadConfig({ ...key, SCENE_WRITER: 'local' }).writer.provider).toBe('local');
    expect(
      loadConfig({ ...key, SCENE_WRITER: 'pollinations', LLM_BASE_URL: 'http://127.0.0.1:9', LLM_API_KEY: 'k123' }).writer.provider,
    ).toBe('pollinations');
    expect(loadConfig({}).writer.provider).toBe('local');
    expect(() => loadConfig({ SCENE_WRITER: 'pollinations' })).toThrow(ConfigError);
    expect(() => loadConfig({ SCENE_WRITER: 'pollinations' })).toThrow(
      /^Invalid POLLINATIONS_API_KEY: required when SCENE_WRITER=pollinations$/,
    );
  });
});

describe('the Pollinations writer, end to end', () => {
  it('the chat request reaches the gateway with the Bearer key, and its scenes are used', async () => {
    const { gateway, images } = await pollinationsDay();
    const result = await day!.render('polli-writer');

    await expectPlayable(result, { min: 4, max: 40 });
    const [chat, ...more] = chats(gateway);
    expect(more).toEqual([]);
    expect(chat!.method).toBe('POST');
    expect(chat!.headers.authorization).toBe(`Bearer ${TEST_KEYS.pollinations}`);
    expect(JSON.parse(chat!.body)).toMatchObject({ model: 'openai', response_format: { type: 'json_object' } });
    expect(chat!.status).toBe(200);

    expect(result.script).toMatchObject({ writer: 'pollinations', title: FAKE_TITLE, visualBrief: FAKE_BRIEF });
    expect(result.script.fallbackReason).toBeUndefined();
    expect(result.providers).toMatchObject({ writer: 'pollinations', image: 'pollinations' });
    // The writer's scenes drive the images: its prompts and brief are what FLUX is asked for.
    expect(imageRequests(images)).toHaveLength(4);
    for (const r of imageRequests(images))
      expect(r.path).toMatch(/a detailed picture of scene \d, warm light[\s\S]*red fox with a green scarf/);
    expect(day!.logs.some((l) => / WARN /.test(l))).toBe(false);
    expectNoKeys(day!.events, day!.logs, result);
  });

  it('a broken answer twice: one repair, then the local writer, with the reason printed once', async () => {
    const { gateway, images } = await pollinationsDay();
    gateway.script.push({ kind: 'broken' }, { kind: 'broken' });
    const result = await day!.render('polli-writer-broken');

    await expectPlayable(result, { min: 4, max: 40 });
    expect(chats(gateway)).toHaveLength(2);
    expect(JSON.parse(chats(gateway)[1]!.body).messages.at(-1).content).toMatch(/That answer cannot be used: the JSON is broken/);
    expect(result.script.writer).toBe('local');
    expect(result.providers.writer).toBe('local');
    expect(result.script.fallbackReason).toMatch(
      /^pollinations writer: its answer was unusable twice \(the JSON is broken .*\); the local writer cut the scenes$/,
    );
    expect(result.fallbackScenes).toEqual([]);
    expect(imageRequests(images)).toHaveLength(4);

    const printed = day!.logs.filter((l) => !l.includes(' DEBUG ') && l.includes('the JSON is broken'));
    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatch(/WARN \[writer\] the scene writer failed; the offline writer stands in/);
    const scriptEvent = day!.events.find((e) => e.type === 'script');
    expect(scriptEvent).toMatchObject({ writer: 'local', fallbackReason: result.script.fallbackReason });
    expectNoKeys(day!.events, day!.logs, result);
  });

  it('a rate limit asking for a long wait: no second chat request, the local writer at once', async () => {
    const { gateway } = await pollinationsDay();
    gateway.script.push({ status: 429, retryAfter: 60 });
    const result = await day!.render('polli-writer-429');

    await expectPlayable(result, { min: 4, max: 40 });
    expect(chats(gateway)).toHaveLength(1);
    expect(result.script.fallbackReason).toMatch(/^pollinations writer: pollinations is rate limiting us \(HTTP 429/);
    expectNoKeys(day!.events, day!.logs, result);
  });
});
