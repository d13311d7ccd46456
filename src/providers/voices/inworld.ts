/**
 * Inworld narration: `POST {base}/tts/v1/voice` with `Authorization: Basic <key>`. The key is the
 * "Basic (Base64)" credential Inworld Portal shows, sent as given (their docs: do not encode it
 * again); only a raw "id:secret" pair, recognisable by its colon, is Base64-encoded here.
 *
 * We ask for LINEAR16 (16-bit PCM, which Inworld wraps in a WAV header) at 24 kHz and for WORD
 * timestamps. Text over the 2,000-character limit goes in parts cut at sentence ends, one request
 * after another; the PCM of the parts is joined into one WAV (exact: no decoding, no gaps) and
 * each part's word timings are shifted by the duration of the audio before it.
 *
 * Inworld's timestamps are "experimental" outside English and Spanish: there they are checked
 * (word-timing-check.ts) and, when they fail, replaced by word times estimated from the audio.
 */
import { z } from 'zod';
import type { WordTiming } from '../../core/story.js';
import type { Speech, SpeechRequest, VoiceProvider } from '../types.js';
import { ProviderError } from '../errors.js';
import { httpRequest } from '../http.js';
import { splitForLimit } from './split-text.js';
import { pcmSeconds, readWav, writeWav, type Pcm } from '../../core/wav.js';
import { detectLanguage } from '../../core/detect-language.js';
import { createLogger } from '../../core/log.js';
import { estimateWordTimes } from './estimate-word-times.js';
import { RELIABLE_TIMESTAMP_LANGUAGES, wordTimingProblem } from './word-timing-check.js';

const log = createLogger('inworld');

/** What this provider needs (src/config.ts maps the environment to it). */
export interface InworldOptions {
  apiKey?: string;
  baseUrl: string;
  model: string;
  voice: string;
  concurrency: number;
  timeoutMs: number;
}

export const INWORLD_TEXT_LIMIT = 2000;
export const INWORLD_SAMPLE_RATE = 24_000;
const MIN_AUDIO_SECONDS = 0.05;

const alignmentSchema = z.object({
  words: z.array(z.string()),
  wordStartTimeSeconds: z.array(z.number()),
  wordEndTimeSeconds: z.array(z.number()),
});
type Alignment = z.infer<typeof alignmentSchema>;

const responseSchema = z.object({
  audioContent: z.string().min(1),
  usage: z.object({ processedCharactersCount: z.number().optional(), modelId: z.string().optional() }).optional(),
  timestampInfo: z.object({ wordAlignment: alignmentSchema.optional() }).optional(),
});

/**
 * Inworld's word alignment -> caption words. Newer models list every token of the input, spaces and
 * punctuation included: spaces are dropped, punctuation after a space (an opening quote) goes to
 * the next word and other punctuation to the word before it. Times are clamped into the audio and
 * kept in order. Arrays of different lengths or non-finite times give undefined.
 */
export function alignmentToWords(a: Alignment, durationSeconds: number): WordTiming[] | undefined {
  const n = a.words.length;
  if (n === 0 || a.wordStartTimeSeconds.length !== n || a.wordEndTimeSeconds.length !== n) return undefined;
  const clamp = (t: number) => Math.min(durationSeconds, Math.max(0, t));
  const out: WordTiming[] = [];
  let afterSpace = true;
  let lead = '';
  for (let i = 0; i < n; i++) {
    const raw = a.words[i]!;
    const start = a.wordStartTimeSeconds[i]!;
    const end = a.wordEndTimeSeconds[i]!;
    if (!Number.isFinite(start) || !Number.isFinite(end)) return undefined;
    const token = raw.trim();
    if (!token) {
      afterSpace = true;
      continue;
    }
    const prev = out.at(-1);
    if (!/[\p{L}\p{N}]/u.test(token)) {
      if (afterSpace || !prev) lead += token;
      else {
        prev.word += token;
        prev.end = Math.max(prev.end, clamp(end));
      }
      continue;
    }
    const s = Math.max(clamp(start), prev?.start ?? 0);
    out.push({ word: lead + token, start: s, end: Math.max(s, clamp(end)) });
    lead = '';
    afterSpace = /\s$/.test(raw);
  }
  if (lead && out.length > 0) out.at(-1)!.word += lead;
  return out.length > 0 ? out : undefined;
}

/** The Authorization value: the portal's Base64 credential as is; a raw "id:secret" pair encoded. */
export function basicAuth(apiKey: string): string {
  const key = apiKey.trim();
  return `Basic ${key.includes(':') ? Buffer.from(key).toString('base64') : key}`;
}

interface Part {
  pcm: Pcm;
  words?: WordTiming[];
  /** The words were estimated from the audio (Inworld's own failed their check). */
  estimated?: boolean;
}

export class InworldVoiceProvider implements VoiceProvider {
  readonly name = 'inworld';
  readonly model: string;
  readonly defaultVoice: string;
  readonly concurrency: number;
  private readonly authorization: string;

  constructor(
    private readonly cfg: InworldOptions,
    private readonly speakingRate = 1,
  ) {
    if (!cfg.apiKey) throw new Error('Inworld needs INWORLD_API_KEY');
    if (!(speakingRate >= 0.5 && speakingRate <= 1.5)) throw new RangeError('Inworld speakingRate must be within 0.5-1.5');
    this.model = cfg.model;
    this.defaultVoice = cfg.voice;
    this.concurrency = cfg.concurrency;
    this.authorization = basicAuth(cfg.apiKey);
  }

  async synthesize(req: SpeechRequest): Promise<Speech> {
    const parts = splitForLimit(req.text, INWORLD_TEXT_LIMIT);
    if (parts.length === 0) throw new ProviderError(`${this.name} was given no text to say`, { provider: this.name, retryable: false });
    const voiceId = req.voice?.trim() || this.defaultVoice;
    const modelId = req.model?.trim() || this.model;
    const done: Part[] = [];
    for (const text of parts) {
      req.signal?.throwIfAborted();
      done.push(await this.synthesizePart(text, voiceId, modelId, req.signal));
      // Inworld answers each part whole
      req.onAudio?.();
    }
    return joinParts(done, this.name);
  }

  private async synthesizePart(text: string, voiceId: string, modelId: string, signal?: AbortSignal): Promise<Part> {
    const res = await httpRequest({
      provider: this.name,
      url: `${this.cfg.baseUrl}/tts/v1/voice`,
      method: 'POST',
      headers: { authorization: this.authorization, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        text,
        voiceId,
        modelId,
        audioConfig: { audioEncoding: 'LINEAR16', sampleRateHertz: INWORLD_SAMPLE_RATE, speakingRate: this.speakingRate },
        timestampType: 'WORD',
      }),
      timeoutMs: this.cfg.timeoutMs,
      signal,
    });
    const fail = (why: string) =>
      new ProviderError(`${this.name} answered ${res.status} ${why}`, { provider: this.name, retryable: true, status: res.status });
    let json: unknown;
    try {
      json = JSON.parse(res.body.toString('utf8'));
    } catch {
      throw fail('with something that is not JSON');
    }
    const parsed = responseSchema.safeParse(json);
    if (!parsed.success) throw fail(`without usable audio (${parsed.error.issues[0]!.path.join('.') || 'body'} invalid)`);
    const bytes = Buffer.from(parsed.data.audioContent, 'base64');
    const pcm = readWav(bytes);
    if (!pcm) throw fail(`with audio that is not a 16-bit PCM WAV (${bytes.length} bytes)`);
    const seconds = pcmSeconds(pcm);
    if (seconds < MIN_AUDIO_SECONDS) throw fail(`with (almost) no audio (${seconds.toFixed(3)} s)`);
    const alignment = parsed.data.timestampInfo?.wordAlignment;
    const words = alignment ? alignmentToWords(alignment, seconds) : undefined;
    return checkedTimings(text, pcm, alignment, words);
  }
}

/**
 * A part's words as Inworld timed them, unless its language is one where Inworld's timestamps are
 * experimental and they fail the sanity check: then estimated from the audio.
 */
export function checkedTimings(text: string, pcm: Pcm, alignment: Alignment | undefined, words: WordTiming[] | undefined): Part {
  const language = detectLanguage(text).language;
  if (RELIABLE_TIMESTAMP_LANGUAGES.has(language)) return { pcm, words };
  const problem = alignment && words ? wordTimingProblem(alignment, pcm, text) : 'none given';
  if (!problem) return { pcm, words };
  const estimate = estimateWordTimes(text, pcm);
  if (alignment) log.warn(`word timings for a ${language} text failed their check (${problem}): estimated from the audio instead`);
  return estimate ? { pcm, words: estimate, estimated: true } : { pcm, words };
}

/** Parts -> one WAV; word timings shifted by the audio before them (all parts timed, or none). */
export function joinParts(parts: Part[], provider: string): Speech {
  const first = parts[0]!.pcm;
  if (parts.some((p) => p.pcm.sampleRate !== first.sampleRate || p.pcm.channels !== first.channels)) {
    throw new ProviderError(`${provider} returned parts in different audio formats`, { provider, retryable: true });
  }
  const timed = parts.every((p) => p.words !== undefined);
  const words: WordTiming[] = [];
  let offset = 0;
  for (const part of parts) {
    if (timed) for (const w of part.words!) words.push({ word: w.word, start: w.start + offset, end: w.end + offset });
    offset += pcmSeconds(part.pcm);
  }
  // Whole frames only: a stray odd byte would shift every sample after it.
  const frame = first.channels * 2;
  const samples = Buffer.concat(parts.map(({ pcm }) => pcm.samples.subarray(0, pcm.samples.length - (pcm.samples.length % frame))));
  const audio = writeWav({ ...first, samples });
  const estimated = timed && parts.some((p) => p.estimated);
  return { audio, format: 'wav', words: timed ? words : undefined, ...(estimated ? { wordTimings: 'estimated' as const } : {}) };
}
