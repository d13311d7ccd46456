/**
 * Fake Inworld TTS: `POST /tts/v1/voice` with Basic auth; real speech (espeak-ng) returned as a
 * base64 WAV with word timestamps spread over the real audio; 400 for text over 2,000
 * characters; 401 for a bad key; scripted 429 / 500 / hang.
 */
import { spawnSync } from 'node:child_process';
import { startFakeService, jsonError, type FakeService, type FakeServiceOptions } from './fake-service.js';
import { fixStreamedWavSizes } from '../../src/providers/voices/espeak.js';
import { pcmSeconds, readWav } from '../../src/providers/voices/wav.js';

export interface FakeInworldOptions extends FakeServiceOptions {
  apiKey: string;
}

export function speak(text: string): Buffer {
  const out = spawnSync('espeak-ng', ['-v', 'en-us', '--stdin', '--stdout'], { input: text });
  return fixStreamedWavSizes(out.stdout);
}

export function startFakeInworld(options: FakeInworldOptions): Promise<FakeService> {
  return startFakeService(async (req, step) => {
    if (req.method !== 'POST' || req.path !== '/tts/v1/voice') return jsonError(404, 'not found');
    if (req.headers.authorization !== `Basic ${options.apiKey}`) return { status: 401, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: 16, message: 'Unauthenticated' }) };
    const body = JSON.parse(req.body) as { text?: string; voiceId?: string; timestampType?: string };
    const text = body.text ?? '';
    if (!text.trim()) return jsonError(400, 'text is required');
    if (text.length > 2000) return jsonError(400, 'text exceeds 2000 characters');
    if (step?.kind === 'no-audio') return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ usage: {} }) };
    const wav = speak(text);
    const seconds = pcmSeconds(readWav(wav)!);
    const words = text.split(/\s+/).filter(Boolean);
    const weights = words.map((w) => w.length + 1);
    const total = weights.reduce((a, b) => a + b, 0);
    let t = 0.05;
    const starts: number[] = [];
    const ends: number[] = [];
    for (const w of weights) {
      const d = ((seconds - 0.2) * w) / total;
      starts.push(Number(t.toFixed(3)));
      ends.push(Number((t + d * 0.9).toFixed(3)));
      t += d;
    }
    const answer = {
      audioContent: wav.toString('base64'),
      usage: { processedCharactersCount: text.length, modelId: 'inworld-tts-1.5-mini' },
      ...(body.timestampType === 'WORD' ? { timestampInfo: { wordAlignment: { words, wordStartTimeSeconds: starts, wordEndTimeSeconds: ends } } } : {}),
    };
    return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(answer) };
  }, options);
}
