/**
 * Inworld narration: `POST {base}/tts/v1/voice` with Basic auth (the key as Inworld Studio shows
 * it is already the Base64 credential). Asks for 16-bit PCM in a WAV and word timestamps; text
 * over the 2,000-character limit is sent in parts cut at sentence ends, the PCM joined and the
 * word timings shifted by the parts before them.
 */
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { WordTiming } from '../../engine/types.js';
import type { Speech, SpeechRequest, VoiceProvider } from '../types.js';
import { ProviderError } from '../errors.js';
import { httpRequest } from '../http.js';
import { splitForLimit } from './split-text.js';
import { pcmSeconds, readWav, writeWav, type Pcm } from './wav.js';

export type InworldConfig = Config['voices']['inworld'];

export const INWORLD_TEXT_LIMIT = 2000;
const SAMPLE_RATE = 24_000;

const responseSchema = z.object({
  audioContent: z.string().min(1),
  timestampInfo: z
    .object({
      wordAlignment: z
        .object({
          words: z.array(z.string()),
          wordStartTimeSeconds: z.array(z.number()),
          wordEndTimeSeconds: z.array(z.number()),
        })
        .optional(),
    })
    .optional(),
});

export class InworldVoiceProvider implements VoiceProvider {
  readonly name = 'inworld';
  readonly model: string;
  readonly defaultVoice: string;
  readonly concurrency: number;

  constructor(private readonly cfg: InworldConfig) {
    this.model = cfg.model;
    this.defaultVoice = cfg.voice;
    this.concurrency = cfg.concurrency;
  }

  async synthesize(req: SpeechRequest): Promise<Speech> {
    const parts = splitForLimit(req.text, INWORLD_TEXT_LIMIT);
    const pcms: Pcm[] = [];
    const words: WordTiming[] = [];
    let offset = 0;
    for (const text of parts) {
      const { pcm, words: partWords } = await this.synthesizePart(text, req.voice ?? this.defaultVoice, req.signal);
      pcms.push(pcm);
      words.push(...partWords.map((w) => ({ word: w.word, start: w.start + offset, end: w.end + offset })));
      offset += pcmSeconds(pcm);
    }
    const first = pcms[0]!;
    if (pcms.some((p) => p.sampleRate !== first.sampleRate || p.channels !== first.channels)) {
      throw new ProviderError(`${this.name} returned parts in different audio formats`, { provider: this.name, retryable: true });
    }
    const audio = writeWav({ ...first, samples: Buffer.concat(pcms.map((p) => p.samples)) });
    return { audio, format: 'wav', words: words.length > 0 ? words : undefined };
  }

  private async synthesizePart(text: string, voiceId: string, signal?: AbortSignal): Promise<{ pcm: Pcm; words: WordTiming[] }> {
    const res = await httpRequest({
      provider: this.name,
      url: `${this.cfg.baseUrl}/tts/v1/voice`,
      method: 'POST',
      headers: { authorization: `Basic ${this.cfg.apiKey ?? ''}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        text,
        voiceId,
        modelId: this.cfg.model,
        audioConfig: { audioEncoding: 'LINEAR16', sampleRateHertz: SAMPLE_RATE },
        timestampType: 'WORD',
      }),
      timeoutMs: this.cfg.timeoutMs,
      signal,
    });
    let json: unknown;
    try {
      json = JSON.parse(res.body.toString('utf8'));
    } catch {
      throw new ProviderError(`${this.name} answered 200 with something that is not JSON`, { provider: this.name, retryable: true, status: res.status });
    }
    const parsed = responseSchema.safeParse(json);
    if (!parsed.success) {
      throw new ProviderError(`${this.name} answered 200 without audio (${parsed.error.issues[0]!.path.join('.') || 'body'} invalid)`, { provider: this.name, retryable: true });
    }
    const bytes = Buffer.from(parsed.data.audioContent, 'base64');
    // LINEAR16 comes as a WAV; tolerate bare PCM too.
    const pcm = readWav(bytes) ?? { sampleRate: SAMPLE_RATE, channels: 1, samples: bytes };
    if (pcm.samples.length < SAMPLE_RATE * 2 * 0.05) {
      throw new ProviderError(`${this.name} returned (almost) no audio`, { provider: this.name, retryable: true });
    }
    const a = parsed.data.timestampInfo?.wordAlignment;
    const words = a ? a.words.map((word, i) => ({ word, start: a.wordStartTimeSeconds[i] ?? 0, end: a.wordEndTimeSeconds[i] ?? 0 })) : [];
    return { pcm, words };
  }
}
