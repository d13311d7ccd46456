/**
 * Fake Inworld TTS on 127.0.0.1: `POST /tts/v1/voice` with `Authorization: Basic <key>`.
 * Real speech: espeak-ng says the text, ffmpeg turns it into the requested encoding (LINEAR16/WAV:
 * a 16-bit mono WAV at sampleRateHertz; PCM: the bare samples; MP3), returned base64 in
 * `audioContent` with `usage`, and with `timestampType: 'WORD'` a `timestampInfo.wordAlignment`
 * spread over the span where the audio is actually voiced (by word length). `alignment: 'tokens'`
 * lists spaces and punctuation as tokens too, as Inworld's newer models do.
 * Errors use Inworld's gRPC-style body `{code, message, details}`: 400 for text over 2,000
 * characters or a bad body, 401 for a bad key; scripted statuses, 'hang', 'reset', and the kinds
 * 'no-audio', 'bad-audio', 'silent', 'no-timestamps', 'bad-timestamps'.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonReply, startFakeServer, type FakeReply, type FakeServer, type FakeServerOptions } from './fake-server.js';

export interface FakeInworldOptions extends FakeServerOptions {
  /** The Base64 credential requests must carry as `Basic <apiKey>`. */
  apiKey: string;
  /** 'words' (default): one entry per word, punctuation attached; 'tokens': spaces and punctuation listed too. */
  alignment?: 'words' | 'tokens';
}

const GRPC_CODES: Record<number, number> = { 400: 3, 401: 16, 403: 7, 404: 5, 429: 8, 500: 13, 503: 14, 504: 4 };
const errorReply = (status: number, message: string): FakeReply =>
  jsonReply(status, { code: GRPC_CODES[status] ?? 2, message, details: [] });
const ENCODINGS = ['LINEAR16', 'WAV', 'PCM', 'MP3'] as const;
type Encoding = (typeof ENCODINGS)[number];

interface Spoken {
  audio: Buffer;
  seconds: number;
  /** Where speech starts and ends in the audio, in seconds. */
  voiced: [number, number];
}

function run(cmd: string, args: string[], input?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}: ${err.trim().split('\n').at(-1)}`))));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

/** First and last sample louder than a whisper, in seconds (16-bit mono PCM). */
export function voicedSpan(samples: Buffer, sampleRate: number): [number, number] {
  const n = samples.length >> 1;
  let first = 0;
  let last = n - 1;
  while (first < n && Math.abs(samples.readInt16LE(first * 2)) < 600) first++;
  while (last > first && Math.abs(samples.readInt16LE(last * 2)) < 600) last--;
  return first >= n ? [0, n / sampleRate] : [first / sampleRate, (last + 1) / sampleRate];
}

const spoken = new Map<string, Promise<Spoken>>();

/** espeak-ng -> ffmpeg: real speech in the requested encoding, made once per (text, encoding, rate, speed). */
export function speak(text: string, encoding: Encoding, sampleRate: number, speakingRate = 1): Promise<Spoken> {
  const key = JSON.stringify([text, encoding, sampleRate, speakingRate]);
  let result = spoken.get(key);
  if (!result) {
    result = (async () => {
      const dir = await mkdtemp(join(tmpdir(), 'fake-inworld-'));
      try {
        const said = join(dir, 'said.wav');
        const wav = join(dir, 'out.wav');
        await run('espeak-ng', ['-v', 'en-us', '-s', String(Math.round(175 * speakingRate)), '-w', said, '--stdin'], text);
        await run('ffmpeg', [
          '-v',
          'error',
          '-i',
          said,
          '-ac',
          '1',
          '-ar',
          String(sampleRate),
          '-c:a',
          'pcm_s16le',
          '-map_metadata',
          '-1',
          '-fflags',
          '+bitexact',
          wav,
        ]);
        const pcmWav = await readFile(wav);
        const samples = pcmWav.subarray(pcmWav.indexOf('data') + 8);
        const seconds = samples.length / 2 / sampleRate;
        const voiced = voicedSpan(samples, sampleRate);
        if (encoding === 'LINEAR16' || encoding === 'WAV') return { audio: pcmWav, seconds, voiced };
        if (encoding === 'PCM') return { audio: Buffer.from(samples), seconds, voiced };
        const mp3 = join(dir, 'out.mp3');
        await run('ffmpeg', ['-v', 'error', '-i', wav, '-c:a', 'libmp3lame', '-b:a', '64k', mp3]);
        return { audio: await readFile(mp3), seconds, voiced };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    })();
    spoken.set(key, result);
    result.catch(() => spoken.delete(key));
  }
  return result;
}

/** Word timings over the voiced span, shared out by word length; tokens style adds spaces and punctuation. */
export function alignWords(text: string, [from, to]: [number, number], style: 'words' | 'tokens') {
  const words = text.split(/\s+/).filter(Boolean);
  const weights = words.map((w) => w.replace(/[^\p{L}\p{N}]/gu, '').length + 1);
  const total = weights.reduce((a, b) => a + b, 0);
  const round = (t: number) => Math.round(t * 1000) / 1000;
  const out = { words: [] as string[], wordStartTimeSeconds: [] as number[], wordEndTimeSeconds: [] as number[] };
  const add = (token: string, start: number, end: number) => {
    out.words.push(token);
    out.wordStartTimeSeconds.push(round(start));
    out.wordEndTimeSeconds.push(round(end));
  };
  let t = from;
  words.forEach((word, i) => {
    const d = ((to - from) * weights[i]!) / total;
    if (style === 'words') add(word, t, t + d * 0.92);
    else {
      const [, lead, core, trail] = /^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$/u.exec(word)!;
      if (i > 0) add(' ', t, t);
      if (lead) add(lead, t, t);
      add(core || word, t, t + d * 0.92);
      if (trail) add(trail, t + d * 0.92, t + d * 0.92);
    }
    t += d;
  });
  return out;
}

interface TtsBody {
  text?: unknown;
  voiceId?: unknown;
  modelId?: unknown;
  timestampType?: unknown;
  audioConfig?: { audioEncoding?: unknown; sampleRateHertz?: unknown; speakingRate?: unknown };
}

export function startFakeInworld(options: FakeInworldOptions): Promise<FakeServer> {
  return startFakeServer(
    {
      errorReply,
      admit(req) {
        if (req.method !== 'POST' || req.path !== '/tts/v1/voice') return errorReply(404, 'Not Found');
        if (req.headers.authorization !== `Basic ${options.apiKey}`)
          return errorReply(401, 'Unauthenticated: invalid authorization credentials');
        return undefined;
      },
      async handle(req, { step }) {
        let body: TtsBody;
        try {
          body = JSON.parse(req.body) as TtsBody;
        } catch {
          return errorReply(400, 'Invalid JSON payload received.');
        }
        const { text, voiceId, modelId, audioConfig = {} } = body;
        if (typeof text !== 'string' || !text.trim()) return errorReply(400, 'text must not be empty');
        const length = [...text].length;
        if (length > 2000) return errorReply(400, `text is too long: ${length} characters, the maximum is 2000`);
        if (typeof voiceId !== 'string' || !voiceId) return errorReply(400, 'voiceId is required');
        if (typeof modelId !== 'string' || !modelId) return errorReply(400, 'modelId is required');
        const encoding = (audioConfig.audioEncoding ?? 'MP3') as Encoding;
        if (!ENCODINGS.includes(encoding)) return errorReply(400, `unsupported audioEncoding ${String(encoding)}`);
        const sampleRate = Number(audioConfig.sampleRateHertz ?? 48_000);
        const speakingRate = Number(audioConfig.speakingRate ?? 1);
        if (!(sampleRate >= 8000 && sampleRate <= 48_000)) return errorReply(400, 'sampleRateHertz must be within 8000-48000');
        if (!(speakingRate >= 0.5 && speakingRate <= 1.5)) return errorReply(400, 'speakingRate must be within 0.5-1.5');

        const usage = { processedCharactersCount: length, modelId };
        if (step?.kind === 'no-audio') return jsonReply(200, { usage });
        if (step?.kind === 'bad-audio')
          return jsonReply(200, { audioContent: Buffer.from('<html>not audio</html>').toString('base64'), usage });
        const speech = await speak(text, encoding, sampleRate, speakingRate);
        const audio = step?.kind === 'silent' ? speech.audio.subarray(0, 44) : speech.audio;
        const answer: Record<string, unknown> = { audioContent: audio.toString('base64'), usage };
        if (body.timestampType === 'WORD' && step?.kind !== 'no-timestamps') {
          const wordAlignment = alignWords(text, speech.voiced, options.alignment ?? 'words');
          if (step?.kind === 'bad-timestamps') wordAlignment.wordEndTimeSeconds.pop();
          answer.timestampInfo = { wordAlignment };
        }
        return jsonReply(200, answer);
      },
    },
    options,
  );
}
