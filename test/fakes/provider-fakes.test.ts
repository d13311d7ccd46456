/**
 * The fakes themselves: they must answer as the services do (real images and audio, real error
 * shapes) and their scripting, latency, failure and overlap record must be trustworthy, since the
 * provider tests and the benchmark lean on them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonReply, seededRandom, startFakeServer, type FakeServer } from './providers.js';
import { startFakePollinations } from './providers.js';
import { startFakeInworld } from './providers.js';
import { startFakeLlm } from './llm.js';

const fakes: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});
async function track<T extends FakeServer>(p: Promise<T>): Promise<T> {
  const f = await p;
  fakes.push(f);
  return f;
}

function probe(bytes: Buffer, ext: string): Promise<Record<string, string>> {
  return (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sr-fake-'));
    try {
      const path = join(dir, `x.${ext}`);
      await writeFile(path, bytes);
      const out = execFileSync('ffprobe', [
        '-v',
        'error',
        '-show_entries',
        'stream=codec_name,width,height,sample_rate:format=duration',
        '-of',
        'default=nw=1',
        path,
      ]).toString();
      return Object.fromEntries(
        out
          .trim()
          .split('\n')
          .map((l) => l.split('=') as [string, string]),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  })();
}

describe('fake server', () => {
  it('seeded RNG: same seed, same sequence; values in [0, 1)', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const c = seededRandom(8);
    const xs = Array.from({ length: 50 }, () => a());
    expect(Array.from({ length: 50 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 50 }, () => c())).not.toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('random failures follow the seed, and the script runs in order before them', async () => {
    const statuses: number[][] = [];
    for (let run = 0; run < 2; run++) {
      const f = await track(startFakeServer({ handle: () => jsonReply(200, { ok: true }) }, { failureRate: 0.5, seed: 3 }));
      f.script.push({ status: 418 }, { status: 200 });
      const got: number[] = [];
      for (let i = 0; i < 12; i++) got.push((await fetch(`${f.url}/x`)).status);
      statuses.push(got);
      expect(f.record.map((r) => r.status)).toEqual(got);
      expect(f.record[0]!.step).toEqual({ status: 418 });
    }
    expect(statuses[0]).toEqual(statuses[1]);
    expect(statuses[0]!.slice(0, 2)).toEqual([418, 200]);
    expect(statuses[0]!.slice(2)).toContain(500);
    expect(statuses[0]!.slice(2)).toContain(200);
  });

  it('records overlap: five at once peak at five; one after another peak at one', async () => {
    const together = await track(startFakeServer({ handle: () => jsonReply(200, {}) }, { latencyMs: [200, 300] }));
    await Promise.all(Array.from({ length: 5 }, () => fetch(`${together.url}/x`).then((r) => r.arrayBuffer())));
    expect(together.maxConcurrent()).toBe(5);
    const apart = await track(startFakeServer({ handle: () => jsonReply(200, {}) }, { latencyMs: 20 }));
    for (let i = 0; i < 3; i++) await (await fetch(`${apart.url}/x`)).arrayBuffer();
    expect(apart.maxConcurrent()).toBe(1);
    expect(apart.record.every((r) => r.endedAt! >= r.startedAt)).toBe(true);
  });

  it("'reset' drops the connection, 'hang' never answers until close()", async () => {
    const f = await startFakeServer({ handle: () => jsonReply(200, {}) });
    f.script.push({ kind: 'reset' }, { kind: 'hang' });
    await expect(fetch(`${f.url}/x`)).rejects.toThrow();
    const hanging = fetch(`${f.url}/x`).then(
      () => 'answered',
      () => 'dropped',
    );
    await expect.poll(() => f.inFlight()).toBe(1);
    await f.close();
    expect(await hanging).toBe('dropped');
    expect(f.record.map((r) => r.status)).toEqual([0, undefined]);
    expect(f.record[1]!.endedAt).toBeDefined();
  });
});

describe('fake Pollinations', () => {
  it('answers a real JPEG of the requested size, and refuses what the service refuses', async () => {
    const f = await track(startFakePollinations({ apiKey: 'sk_fake' }));
    const res = await fetch(`${f.url}/image/a%20fox?width=512&height=768`, { headers: { authorization: 'Bearer sk_fake' } });
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(await probe(Buffer.from(await res.arrayBuffer()), 'jpg')).toMatchObject({ codec_name: 'mjpeg', width: '512', height: '768' });
    expect((await fetch(`${f.url}/image/a%20fox`)).status).toBe(401);
    expect((await fetch(`${f.url}/image/a%20fox`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    expect((await fetch(`${f.url}/image/a?width=5000`, { headers: { authorization: 'Bearer sk_fake' } })).status).toBe(400);
    expect((await fetch(`${f.url}/elsewhere`)).status).toBe(404);
    expect(f.record[0]!.path).toBe('/image/a fox');
  });

  it('anonymous queue: a token holder is not queued; an anonymous second request is', async () => {
    const f = await track(startFakePollinations({ apiKey: 'sk_fake', anonymousQueue: true, latencyMs: 200 }));
    const anon = () => fetch(`${f.url}/prompt/x?width=256&height=256`).then((r) => r.status);
    const withToken = () =>
      fetch(`${f.url}/prompt/x?width=256&height=256`, { headers: { authorization: 'Bearer sk_fake' } }).then((r) => r.status);
    expect((await Promise.all([anon(), withToken(), withToken()])).sort()).toEqual([200, 200, 200]);
    const statuses = await Promise.all([anon(), anon()]);
    expect(statuses.sort()).toEqual([200, 402]);
    const refused = f.record.find((r) => r.status === 402)!;
    const served = f.record.at(-1)!.status === 402 ? f.record.at(-2)! : f.record.at(-1)!;
    expect(refused.endedAt!).toBeLessThanOrEqual(served.endedAt!); // refused while the other was still in the queue
  });
});

describe('fake Inworld', () => {
  const post = (url: string, body: unknown, key = 'a2V5') =>
    fetch(`${url}/tts/v1/voice`, {
      method: 'POST',
      headers: { authorization: `Basic ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('speaks real MP3 and PCM, with Inworld-style errors', async () => {
    const f = await track(startFakeInworld({ apiKey: 'a2V5' }));
    const text = 'The lighthouse keeper climbed the stairs.';
    const mp3 = (await (
      await post(f.url, {
        text,
        voiceId: 'Ashley',
        modelId: 'm',
        audioConfig: { audioEncoding: 'MP3', sampleRateHertz: 24000 },
        timestampType: 'WORD',
      })
    ).json()) as {
      audioContent: string;
      timestampInfo: { wordAlignment: { words: string[]; wordEndTimeSeconds: number[] } };
    };
    const info = await probe(Buffer.from(mp3.audioContent, 'base64'), 'mp3');
    expect(info).toMatchObject({ codec_name: 'mp3', sample_rate: '24000' });
    expect(Number(info.duration)).toBeGreaterThan(1);
    expect(mp3.timestampInfo.wordAlignment.words).toEqual(text.split(' '));
    expect(mp3.timestampInfo.wordAlignment.wordEndTimeSeconds.at(-1)).toBeLessThanOrEqual(Number(info.duration));

    const pcm = (await (
      await post(f.url, { text, voiceId: 'Ashley', modelId: 'm', audioConfig: { audioEncoding: 'PCM', sampleRateHertz: 16000 } })
    ).json()) as { audioContent: string; timestampInfo?: unknown };
    expect(Buffer.from(pcm.audioContent, 'base64').length % 2).toBe(0);
    expect(pcm.timestampInfo).toBeUndefined();

    const bad = await post(f.url, { text, modelId: 'm' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ code: 3, message: 'voiceId is required', details: [] });
    expect((await post(f.url, { text, voiceId: 'a', modelId: 'm' }, 'wrong')).status).toBe(401);
  });
});

describe('fake LLM', () => {
  it('answers in the chat.completion shape and refuses what OpenAI refuses', async () => {
    const f = await track(startFakeLlm({ apiKey: 'sk-fake-1234567' }));
    const call = (body: unknown, key = 'sk-fake-1234567') =>
      fetch(`${f.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const ok = (await (
      await call({
        model: 'm',
        messages: [
          { role: 'system', content: 'Answer in JSON with exactly 2 scenes' },
          { role: 'user', content: 'A. B. C.' },
        ],
      })
    ).json()) as {
      object: string;
      choices: { message: { content: string }; finish_reason: string }[];
    };
    expect(ok.object).toBe('chat.completion');
    expect(JSON.parse(ok.choices[0]!.message.content).scenes).toHaveLength(2);
    const noJsonWord = await call({ model: 'm', messages: [{ role: 'user', content: 'hi' }], response_format: { type: 'json_object' } });
    expect(noJsonWord.status).toBe(400);
    const wrongKey = await call({ model: 'm', messages: [] }, 'sk-wrong-key-9999');
    expect(wrongKey.status).toBe(401);
    expect(((await wrongKey.json()) as { error: { message: string; code: string } }).error).toMatchObject({
      code: 'invalid_api_key',
      message: 'Incorrect API key provided: sk-**********9999.',
    });
  });
});
