import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeEdge, type FakeEdge } from '../fakes/providers.js';
import { EdgeVoiceProvider, type EdgeOptions } from '../../src/providers/voices/edge.js';
import {
  binaryFrame,
  boundariesToWords,
  parseBinaryFrame,
  secMsGec,
  ssmlMessage,
  wordBoundaries,
} from '../../src/providers/voices/edge-protocol.js';
import { failure } from '../support/provider-failure.js';

let fake: FakeEdge | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function edge(options: Partial<EdgeOptions> = {}, skewMs = 0) {
  fake = await startFakeEdge({ clockSkewMs: skewMs });
  return new EdgeVoiceProvider({ baseUrl: fake.url, voice: 'en-US-EmmaMultilingualNeural', concurrency: 4, timeoutMs: 20_000, ...options });
}

async function probeSeconds(audio: Buffer): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'edge-test-'));
  try {
    await writeFile(join(dir, 'a.mp3'), audio);
    const out = execFileSync('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'format=duration:stream=codec_name,sample_rate',
      '-of',
      'json',
      join(dir, 'a.mp3'),
    ]);
    const json = JSON.parse(out.toString()) as { format: { duration: string }; streams: { codec_name: string; sample_rate: string }[] };
    expect(json.streams[0]).toMatchObject({ codec_name: 'mp3', sample_rate: '24000' });
    return Number(json.format.duration);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('Edge read-aloud protocol (pure)', () => {
  it('the token is the SHA-256 of the 5-minute window in Windows file time and the client token', () => {
    const t = Date.UTC(2026, 11, 6, 15, 0, 0);
    expect(secMsGec(t)).toMatch(/^[0-9A-F]{64}$/);
    expect(secMsGec(t + 299_000)).toBe(secMsGec(t)); // same window
    expect(secMsGec(t + 300_000)).not.toBe(secMsGec(t));
  });

  it('binary frames round-trip; metadata gives word boundaries; SSML escapes the text', () => {
    const frame = parseBinaryFrame(binaryFrame({ Path: 'audio', 'Content-Type': 'audio/mpeg' }, Buffer.from([1, 2, 3])));
    expect(frame?.headers.path).toBe('audio');
    expect([...frame!.audio]).toEqual([1, 2, 3]);
    expect(parseBinaryFrame(Buffer.from([0xff, 0xff, 1]))).toBeUndefined();
    const body = JSON.stringify({
      Metadata: [
        { Type: 'WordBoundary', Data: { Offset: 1_000_000, Duration: 2_000_000, text: { Text: 'Hello' } } },
        { Type: 'SentenceBoundary', Data: { Offset: 0, Duration: 0, text: { Text: 'Hello, world' } } },
        { Type: 'WordBoundary', Data: { Offset: 3_500_000, Duration: 1_000_000, text: { Text: ',' } } },
        { Type: 'WordBoundary', Data: { Offset: 5_000_000, Duration: 4_000_000, text: { Text: 'world' } } },
      ],
    });
    expect(boundariesToWords(wordBoundaries(body), 0.8)).toEqual([
      { word: 'Hello,', start: 0.1, end: 0.3 },
      { word: 'world', start: 0.5, end: 0.8 }, // clamped into the audio
    ]);
    expect(wordBoundaries('not json')).toEqual([]);
    const ssml = ssmlMessage({
      requestId: 'r',
      voice: 'de-DE-KatjaNeural',
      text: `<b> & 'q'`,
      prosody: { ratePercent: -10, pitchHz: 5 },
      nowMs: 0,
    });
    expect(ssml).toContain("xml:lang='de-DE'");
    expect(ssml).toContain("rate='-10%'");
    expect(ssml).toContain("pitch='+5Hz'");
    expect(ssml).toContain('&lt;b&gt; &amp; &apos;q&apos;');
  });
});

describe('EdgeVoiceProvider against the fake read-aloud service', () => {
  it('speaks the text as MP3 with word timings equal to the service word boundaries', async () => {
    const voice = await edge();
    const text = 'The keeper climbed the stairs <slowly> & lit the lamp.';
    const speech = await voice.synthesize({ text });
    expect(speech.format).toBe('mp3');
    const seconds = await probeSeconds(speech.audio);
    expect(seconds).toBeGreaterThan(1);
    const request = fake!.requests[0]!;
    expect(request).toMatchObject({
      voice: 'en-US-EmmaMultilingualNeural',
      text,
      outputFormat: 'audio-24khz-48kbitrate-mono-mp3',
      wordBoundaries: true,
    });
    // the service reports no boundary for a word without letters ("&"); every other word has one
    const sentWords = request.words.filter((w) => /[\p{L}\p{N}]/u.test(w.word));
    expect(sentWords.length).toBe(9);
    expect(speech.words).toHaveLength(sentWords.length);
    speech.words!.forEach((w, i) => {
      expect(Math.abs(w.start - sentWords[i]!.start)).toBeLessThan(0.001);
      expect(w.end).toBeLessThanOrEqual(seconds + 0.05);
    });
    expect(speech.words!.map((w) => w.word).join(' ')).toContain('keeper climbed');
  });

  it('a voice named in the request wins over the default', async () => {
    const voice = await edge();
    await voice.synthesize({ text: 'Guten Morgen.', voice: 'de-DE-KatjaNeural' });
    expect(fake!.requests[0]!.voice).toBe('de-DE-KatjaNeural');
  });

  it('an expired token (our clock off the service by ten minutes): corrected from its Date and tried once more', async () => {
    const voice = await edge({}, 10 * 60_000);
    const speech = await voice.synthesize({ text: 'Still here.' });
    expect(speech.audio.length).toBeGreaterThan(1000);
    expect(fake!.refused).toEqual([403]);
    expect(fake!.requests).toHaveLength(1);
  });

  it('429 with Retry-After is a rate limit with the wait the service asked for', async () => {
    const voice = await edge();
    fake!.script.push({ status: 429, retryAfter: 7 });
    const error = await failure(voice.synthesize({ text: 'Too many.' }));
    expect(error.info).toMatchObject({ status: 429, rateLimited: true, retryAfterMs: 7000, retryable: true });
  });

  it('a 5xx at the handshake is worth another try; a connection dropped mid-audio too', async () => {
    const voice = await edge();
    fake!.script.push({ status: 503 }, { kind: 'drop' });
    expect((await failure(voice.synthesize({ text: 'Down.' }))).info).toMatchObject({ status: 503, retryable: true });
    const dropped = await failure(voice.synthesize({ text: 'A longer sentence so that the audio needs more than one frame to arrive.' }));
    expect(dropped.message).toMatch(/closed the connection before the end/);
    expect(dropped.retryable).toBe(true);
  });

  it('a service that never finishes times out; an unknown voice gets no audio and is not retried', async () => {
    const voice = await edge({ timeoutMs: 500 });
    fake!.script.push({ kind: 'hang' });
    expect((await failure(voice.synthesize({ text: 'Hello?' }))).message).toMatch(/did not finish within 500 ms/);
    const unknown = await failure(voice.synthesize({ text: 'Hello.', voice: 'xx-XX-NobodyNeural' }));
    expect(unknown.message).toMatch(/sent no audio/);
    expect(unknown.retryable).toBe(false);
  });

  it('an abort ends the request with the caller’s reason', async () => {
    const voice = await edge();
    fake!.script.push({ kind: 'hang' });
    const controller = new AbortController();
    const pending = voice.synthesize({ text: 'Stop me.', signal: controller.signal });
    while (fake!.requests.length === 0) await new Promise((r) => setTimeout(r, 10));
    controller.abort(new Error('cancelled by the member'));
    await expect(pending).rejects.toThrow('cancelled by the member');
  });

  it('the service is unreachable: a clear, retryable error', async () => {
    const voice = await edge();
    await fake!.close();
    fake = undefined;
    const error = await failure(voice.synthesize({ text: 'Anyone?' }));
    expect(error.message).toMatch(/could not be reached/);
  });
});
