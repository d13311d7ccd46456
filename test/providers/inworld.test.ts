import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { speak, startFakeInworld, type FakeInworldOptions } from '../fakes/providers.js';
import type { FakeServer } from '../fakes/providers.js';
import { InworldVoiceProvider, INWORLD_SAMPLE_RATE, alignmentToWords, basicAuth } from '../../src/providers/voices/inworld.js';
import { splitForLimit } from '../../src/providers/voices/split-text.js';
import { pcmSeconds, readWav } from '../../src/core/wav.js';
import { httpRequest } from '../../src/providers/http.js';
import { failure } from '../support/provider-failure.js';
import { fakeConfig, TEST_KEYS } from '../support/provider-config.js';
import { useCapturedLogs } from '../support/captured-logs.js';

let fake: FakeServer | undefined;
const logs = useCapturedLogs();
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function voice(options: Partial<FakeInworldOptions> = {}, env: Record<string, string> = {}) {
  fake = await startFakeInworld({ apiKey: TEST_KEYS.inworld, ...options });
  return new InworldVoiceProvider(fakeConfig({ inworld: fake.url }, env).voices.inworld);
}

const sent = (i: number) =>
  JSON.parse(fake!.record[i]!.body) as {
    text: string;
    voiceId: string;
    modelId: string;
    timestampType: string;
    audioConfig: Record<string, unknown>;
  };

function ffprobeSeconds(path: string): number {
  return Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', path]).toString().trim());
}

describe('Inworld requests', () => {
  it('returns real speech as a WAV with word timings; sends Basic auth as given, voice, model, LINEAR16 and WORD', async () => {
    const v = await voice();
    const speech = await v.synthesize({ text: 'The fox lit the lantern in the snow.', voice: 'Dennis' });
    expect(speech.format).toBe('wav');
    const pcm = readWav(speech.audio)!;
    expect(pcm).toMatchObject({ sampleRate: INWORLD_SAMPLE_RATE, channels: 1 });
    expect(pcmSeconds(pcm)).toBeGreaterThan(1);
    expect(speech.words?.map((w) => w.word)).toEqual(['The', 'fox', 'lit', 'the', 'lantern', 'in', 'the', 'snow.']);
    expect(speech.words!.at(-1)!.end).toBeLessThanOrEqual(pcmSeconds(pcm));
    expect(sent(0)).toEqual({
      text: 'The fox lit the lantern in the snow.',
      voiceId: 'Dennis',
      modelId: 'inworld-tts-1.5-mini',
      audioConfig: { audioEncoding: 'LINEAR16', sampleRateHertz: 24000, speakingRate: 1 },
      timestampType: 'WORD',
    });
    expect(fake!.record[0]!.headers.authorization).toBe(`Basic ${TEST_KEYS.inworld}`);

    const dir = await mkdtemp(join(tmpdir(), 'sr-inworld-'));
    try {
      await writeFile(join(dir, 'v.wav'), speech.audio);
      expect(ffprobeSeconds(join(dir, 'v.wav'))).toBeCloseTo(pcmSeconds(pcm), 2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('uses a model named for this request (per job), the configured one otherwise', async () => {
    const v = await voice();
    await v.synthesize({ text: 'Hello there.', model: 'inworld-tts-1-max' });
    await v.synthesize({ text: 'Hello again.' });
    expect(sent(0).modelId).toBe('inworld-tts-1-max');
    expect(sent(1).modelId).toBe('inworld-tts-1.5-mini');
  });

  it('uses the configured voice when the request names none', async () => {
    const v = await voice({}, { INWORLD_VOICE: 'Olivia' });
    await v.synthesize({ text: 'Hello there.' });
    expect(sent(0).voiceId).toBe('Olivia');
  });

  it('token-style alignment (spaces and punctuation as tokens) becomes clean caption words', async () => {
    const v = await voice({ alignment: 'tokens' });
    const speech = await v.synthesize({ text: 'Wait, the fox said "go!"' });
    expect(speech.words?.map((w) => w.word)).toEqual(['Wait,', 'the', 'fox', 'said', '"go!"']);
  });

  it("splits 4,500 characters at sentence ends and shifts each part's word timings by the audio before it", async () => {
    const v = await voice();
    const sentence = 'The keeper climbed the long stairs of the old tower again tonight. ';
    const text = sentence.repeat(68).trim();
    expect(text.length).toBeGreaterThan(4400);
    const speech = await v.synthesize({ text });
    expect(fake!.record).toHaveLength(3);
    const parts = fake!.record.map((_, i) => sent(i).text);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(2000);
      expect(part.endsWith('tonight.')).toBe(true);
    }
    expect(parts.join(' ')).toBe(text);

    // Each part's own audio, as the fake made it: the joined WAV is exactly their sum.
    const durations = await Promise.all(parts.map(async (p) => (await speak(p, 'LINEAR16', INWORLD_SAMPLE_RATE)).seconds));
    const total = pcmSeconds(readWav(speech.audio)!);
    expect(total).toBeCloseTo(
      durations.reduce((a, b) => a + b, 0),
      3,
    );

    const words = speech.words!;
    expect(words).toHaveLength(text.split(/\s+/).length);
    for (let i = 1; i < words.length; i++) expect(words[i]!.start).toBeGreaterThanOrEqual(words[i - 1]!.start);
    let offset = 0;
    let index = 0;
    for (const [k, part] of parts.entries()) {
      const count = part.split(/\s+/).length;
      const own = words.slice(index, index + count);
      expect(own[0]!.start).toBeGreaterThanOrEqual(offset);
      expect(own.at(-1)!.end).toBeLessThanOrEqual(offset + durations[k]! + 1e-6);
      offset += durations[k]!;
      index += count;
    }
    expect(words.at(-1)!.end).toBeLessThanOrEqual(total + 1e-6);
  });

  it('a raw "id:secret" key is Base64-encoded; the portal\'s Base64 credential is sent as given', () => {
    expect(basicAuth('abc:def')).toBe(`Basic ${Buffer.from('abc:def').toString('base64')}`);
    expect(basicAuth(` ${TEST_KEYS.inworld} `)).toBe(`Basic ${TEST_KEYS.inworld}`);
  });
});

describe('Inworld bad days', () => {
  it.each([
    [
      { status: 429, retryAfter: 3 },
      { retryable: true, status: 429, retryAfterMs: 3000 },
    ],
    [{ status: 500 }, { retryable: true, status: 500 }],
    [{ status: 503 }, { retryable: true, status: 503 }],
    [{ status: 400 }, { retryable: false, status: 400 }],
    [{ kind: 'no-audio' }, { retryable: true, status: 200 }],
    [{ kind: 'bad-audio' }, { retryable: true, status: 200 }],
    [{ kind: 'silent' }, { retryable: true, status: 200 }],
    [{ kind: 'reset' }, { retryable: true }],
  ])('%j -> %j', async (step, info) => {
    const v = await voice();
    fake!.script.push(step);
    expect((await failure(v.synthesize({ text: 'Hello.' }))).info).toMatchObject(info);
  });

  it('the service refuses text over 2,000 characters (400, final): why the client splits', async () => {
    fake = await startFakeInworld({ apiKey: TEST_KEYS.inworld });
    const error = await failure(
      httpRequest({
        provider: 'inworld',
        url: `${fake.url}/tts/v1/voice`,
        method: 'POST',
        headers: { authorization: `Basic ${TEST_KEYS.inworld}`, 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'a'.repeat(2001), voiceId: 'Ashley', modelId: 'inworld-tts-1.5-mini' }),
        timeoutMs: 5000,
      }),
    );
    expect(error.info).toMatchObject({ retryable: false, status: 400 });
    expect(error.message).toMatch(/2001 characters, the maximum is 2000/);
  });

  it('missing or inconsistent timestamps: the audio is kept, the words are left out', async () => {
    const v = await voice();
    fake!.script.push({ kind: 'no-timestamps' }, { kind: 'bad-timestamps' });
    for (let i = 0; i < 2; i++) {
      const speech = await v.synthesize({ text: 'The heron smiled.' });
      expect(pcmSeconds(readWav(speech.audio)!)).toBeGreaterThan(0.5);
      expect(speech.words).toBeUndefined();
    }
  });

  it('a failure on the second of three parts fails the whole narration (one attempt; the engine retries)', async () => {
    const v = await voice();
    fake!.script.push({}, { status: 500 });
    const text = 'The keeper climbed the long stairs of the old tower again tonight. '.repeat(68);
    expect((await failure(v.synthesize({ text }))).info).toMatchObject({ retryable: true, status: 500 });
    expect(fake!.record).toHaveLength(2);
  });

  it('a hang times out, retryable', async () => {
    const v = await voice({}, { INWORLD_TIMEOUT_MS: '1000' });
    fake!.script.push({ kind: 'hang' });
    const error = await failure(v.synthesize({ text: 'Hello.' }));
    expect(error.message).toBe('inworld did not answer within 1 s');
    expect(error.info.retryable).toBe(true);
  });

  it('a bad key is final and never echoed, in messages or logs', async () => {
    fake = await startFakeInworld({ apiKey: 'dGhlLXJpZ2h0LWtleQ==' });
    const v = new InworldVoiceProvider(fakeConfig({ inworld: fake.url }).voices.inworld);
    const error = await failure(v.synthesize({ text: 'Hello.' }));
    expect(error.info).toMatchObject({ retryable: false, status: 401 });
    expect(error.message).toMatch(/inworld rejected the API key \(HTTP 401: Unauthenticated/);
    for (const text of [error.message, ...logs]) expect(text).not.toContain(TEST_KEYS.inworld);
  });
});

describe('alignmentToWords and splitForLimit', () => {
  it('drops space tokens, attaches punctuation, clamps into the audio and keeps order', () => {
    const words = alignmentToWords(
      {
        words: ['Hi', ',', ' ', 'you', ' ', 'there', '!'],
        wordStartTimeSeconds: [0, 0.3, 0.3, 0.4, 0.6, 0.35, 2.9],
        wordEndTimeSeconds: [0.3, 0.3, 0.4, 0.6, 0.6, 3.5, 3.5],
      },
      3,
    );
    expect(words).toEqual([
      { word: 'Hi,', start: 0, end: 0.3 },
      { word: 'you', start: 0.4, end: 0.6 },
      { word: 'there!', start: 0.4, end: 3 },
    ]);
    expect(alignmentToWords({ words: ['a', 'b'], wordStartTimeSeconds: [0], wordEndTimeSeconds: [1, 2] }, 3)).toBeUndefined();
    expect(alignmentToWords({ words: [' '], wordStartTimeSeconds: [0], wordEndTimeSeconds: [0] }, 3)).toBeUndefined();
  });

  it('never cuts inside a word or a character, and keeps all the text', () => {
    const text = 'word '.repeat(900).trim();
    const parts = splitForLimit(text, 2000);
    expect(parts.every((p) => p.length <= 2000)).toBe(true);
    expect(parts.join(' ')).toBe(text);
    const emoji = '🦊'.repeat(30); // one 60-unit "word"
    const cut = splitForLimit(emoji, 25);
    expect(cut.join('')).toBe(emoji);
    expect(cut.every((p) => p.length <= 25 && !/^[\uDC00-\uDFFF]/.test(p))).toBe(true);
    expect(splitForLimit('One. Two. Three.', 9)).toEqual(['One. Two.', 'Three.']);
    expect(splitForLimit('   ', 10)).toEqual([]);
  });
});
