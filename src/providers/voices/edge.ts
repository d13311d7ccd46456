/**
 * Free neural narration: Microsoft Edge's read-aloud service, the voices of the Edge browser's
 * "Read aloud" (hundreds of voices, about a hundred languages, no key), with a word-boundary
 * event for every word, turned into the same word timings Inworld gives.
 *
 * An unofficial endpoint: it may change or go away, so VOICE_PROVIDER=auto only picks it when a
 * start-up check answers (check-edge.ts), and espeak-ng stays the fallback. Our own small client
 * on `ws` (edge-protocol.ts): the npm clients (node-edge-tts, msedge-tts, edge-tts-universal)
 * document no way to set the service's address (msedge-tts takes an http.Agent, not a URL), and
 * tests must reach a fake on 127.0.0.1. (They were read about, not installed and measured here.)
 *
 * One WebSocket per request: speech.config, the SSML, then MP3 audio frames and metadata frames
 * until turn.end. A 403 at the handshake usually means our clock is off the service's (the token
 * is valid for a 5-minute window): the clock is corrected from the answer's Date and tried again once.
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import type { WordTiming } from '../../core/story.js';
import type { Speech, SpeechRequest, VoiceProvider } from '../types.js';
import { ProviderError } from '../errors.js';
import { splitForLimit } from './split-text.js';
import {
  EDGE_HEADERS,
  boundariesToWords,
  configMessage,
  parseBinaryFrame,
  splitHeaders,
  ssmlMessage,
  synthesisUrl,
  wordBoundaries,
  type Prosody,
  type WordBoundary,
} from './edge-protocol.js';

export interface EdgeOptions {
  /** `wss://speech.platform.bing.com/consumer/speech/synthesize/readaloud` (EDGE_BASE_URL). */
  baseUrl: string;
  voice: string;
  concurrency: number;
  timeoutMs: number;
  prosody?: Prosody;
}

/** Characters per request: the service refuses SSML much over 4 KB; parts are cut at sentence ends. */
export const EDGE_TEXT_LIMIT = 1500;
/** The MP3 the service sends is 48 kbit/s constant bit rate: bytes -> seconds. */
const MP3_BYTES_PER_SECOND = 48_000 / 8;

interface Part {
  audio: Buffer;
  boundaries: WordBoundary[];
}

export class EdgeVoiceProvider implements VoiceProvider {
  readonly name = 'edge';
  readonly model = 'edge-read-aloud';
  readonly defaultVoice: string;
  readonly concurrency: number;
  /** Our clock minus the service's, learnt from a 403's Date header. */
  private skewMs = 0;

  constructor(private readonly cfg: EdgeOptions) {
    this.defaultVoice = cfg.voice;
    this.concurrency = cfg.concurrency;
  }

  async synthesize(req: SpeechRequest): Promise<Speech> {
    const parts = splitForLimit(req.text, EDGE_TEXT_LIMIT);
    if (parts.length === 0) throw new ProviderError(`${this.name} was given no text to say`, { provider: this.name, retryable: false });
    const voice = req.voice?.trim() || this.defaultVoice;
    const audio: Buffer[] = [];
    const words: WordTiming[] = [];
    let offset = 0;
    let timed = true;
    for (const text of parts) {
      req.signal?.throwIfAborted();
      const part = await this.synthesizePart(text, voice, req.signal, req.onAudio);
      const seconds = part.audio.length / MP3_BYTES_PER_SECOND;
      const partWords = boundariesToWords(part.boundaries, seconds);
      if (!partWords) timed = false;
      for (const w of partWords ?? []) words.push({ word: w.word, start: w.start + offset, end: w.end + offset });
      audio.push(part.audio);
      offset += seconds;
    }
    return { audio: Buffer.concat(audio), format: 'mp3', words: timed ? words : undefined };
  }

  private async synthesizePart(text: string, voice: string, signal?: AbortSignal, onAudio?: () => void): Promise<Part> {
    try {
      return await this.exchange(text, voice, signal, onAudio);
    } catch (error) {
      const skew = (error as { skewMs?: number }).skewMs;
      if (skew === undefined) throw error;
      this.skewMs = skew;
      return this.exchange(text, voice, signal, onAudio);
    }
  }

  private exchange(text: string, voice: string, signal?: AbortSignal, onAudio?: () => void): Promise<Part> {
    const provider = this.name;
    const now = () => Date.now() - this.skewMs;
    return new Promise<Part>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const ws = new WebSocket(synthesisUrl(this.cfg.baseUrl, now()), {
        headers: EDGE_HEADERS,
        handshakeTimeout: this.cfg.timeoutMs,
        maxPayload: 16 * 1024 * 1024,
      });
      const audio: Buffer[] = [];
      const boundaries: WordBoundary[] = [];
      let settled = false;
      const finish = (error?: Error, part?: Part) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        ws.removeAllListeners();
        ws.on('error', () => {});
        if (ws.readyState === WebSocket.OPEN) ws.close(1000);
        else ws.terminate();
        if (error) reject(error);
        else resolve(part!);
      };
      const fail = (message: string, extra: Partial<ProviderError['info']> = {}) =>
        finish(new ProviderError(`${provider} ${message}`, { provider, retryable: true, ...extra }));
      const onAbort = () => finish(signal!.reason as Error);
      signal?.addEventListener('abort', onAbort, { once: true });
      const timer = setTimeout(() => fail(`did not finish within ${this.cfg.timeoutMs} ms`), this.cfg.timeoutMs);

      ws.on('unexpected-response', (_req, res) => {
        const status = res.statusCode ?? 0;
        const serverDate = Date.parse(String(res.headers.date ?? ''));
        res.resume();
        if (status === 403 && this.skewMs === 0 && !Number.isNaN(serverDate)) {
          // the token's 5-minute window is computed from our clock: take the service's and try once more
          const error = new ProviderError(`${provider} refused the token (403)`, { provider, retryable: true, status });
          return finish(Object.assign(error, { skewMs: Date.now() - serverDate }));
        }
        const retryAfter = Number(res.headers['retry-after']);
        fail(`refused the connection (${status})`, {
          status,
          retryable: status === 429 || status >= 500 || status === 403,
          ...(status === 429 ? { rateLimited: true } : {}),
          ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
        });
      });
      ws.on('error', (error) => fail(`could not be reached (${(error as NodeJS.ErrnoException).code ?? error.message})`));
      ws.on('open', () => {
        const requestId = randomUUID().replaceAll('-', '');
        ws.send(configMessage(now()));
        ws.send(ssmlMessage({ requestId, voice, text, prosody: this.cfg.prosody ?? { ratePercent: 0, pitchHz: 0 }, nowMs: now() }));
      });
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        if (isBinary) {
          const frame = parseBinaryFrame(data);
          if (!frame) return fail('sent a binary frame we cannot read');
          if (frame.headers.path === 'audio' && frame.audio.length > 0) {
            audio.push(frame.audio);
            onAudio?.();
          }
          return;
        }
        const { headers, body } = splitHeaders(data.toString('utf8'));
        if (headers.path === 'audio.metadata') boundaries.push(...wordBoundaries(body));
        else if (headers.path === 'turn.end') {
          const bytes = Buffer.concat(audio);
          if (bytes.length < MP3_BYTES_PER_SECOND / 20) return fail('sent no audio (is the voice name right?)', { retryable: false });
          finish(undefined, { audio: bytes, boundaries });
        }
      });
      ws.on('close', (code) => fail(`closed the connection before the end (${code})`));
    });
  }
}
