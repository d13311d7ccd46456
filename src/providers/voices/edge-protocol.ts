/**
 * The wire format of Microsoft Edge's read-aloud service (the free neural voices of the Edge
 * browser), as pure functions: the connection URL with its Sec-MS-GEC token, the two text
 * messages a client sends (speech.config, then the SSML), and the frames the service answers
 * with: text frames (turn.start, response, audio.metadata with WordBoundary events, turn.end)
 * and binary frames (a 2-byte big-endian header length, the headers, then audio bytes).
 * The client that speaks it is edge.ts; the fake in test/fakes/edge.ts speaks the other side.
 */
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { WordTiming } from '../../core/story.js';

/** The token every Edge browser sends; public, the same for everyone (not a secret of ours). */
export const TRUSTED_CLIENT_TOKEN = '6A5AA1D4EAFF4E9FB37E23D68491D6F4';
/** The browser version the token scheme belongs to (Sec-MS-GEC-Version). */
export const CHROMIUM_VERSION = '130.0.2849.68';
/** What we ask for: the format every Edge voice serves (PCM formats are refused by this endpoint). */
export const EDGE_AUDIO_FORMAT = 'audio-24khz-48kbitrate-mono-mp3';

/** 100-ns ticks between 1601-01-01 (Windows file time) and 1970-01-01. */
const EPOCH_TICKS = 116_444_736_000_000_000n;
/** Tokens are valid for a 5-minute window: ticks rounded down to it. */
const WINDOW_TICKS = 3_000_000_000n;

/** Sec-MS-GEC: SHA-256 (upper-case hex) of the window's Windows file time and the client token. */
export function secMsGec(nowMs: number): string {
  const ticks = BigInt(Math.floor(nowMs)) * 10_000n + EPOCH_TICKS;
  const window = ticks - (ticks % WINDOW_TICKS);
  return createHash('sha256').update(`${window}${TRUSTED_CLIENT_TOKEN}`).digest('hex').toUpperCase();
}

/** The WebSocket URL of one synthesis: `{base}/edge/v1?TrustedClientToken=…&Sec-MS-GEC=…`. */
export function synthesisUrl(baseUrl: string, nowMs: number, connectionId = randomUUID().replaceAll('-', '')): string {
  const url = new URL(`${baseUrl.replace(/\/+$/, '')}/edge/v1`);
  url.searchParams.set('TrustedClientToken', TRUSTED_CLIENT_TOKEN);
  url.searchParams.set('Sec-MS-GEC', secMsGec(nowMs));
  url.searchParams.set('Sec-MS-GEC-Version', `1-${CHROMIUM_VERSION}`);
  url.searchParams.set('ConnectionId', connectionId);
  return url.toString();
}

/** The voice list, over HTTPS beside the WebSocket (`wss:` -> `https:`). */
export function voiceListUrl(baseUrl: string, nowMs: number): string {
  const url = new URL(`${baseUrl.replace(/\/+$/, '').replace(/^ws/, 'http')}/voices/list`);
  url.searchParams.set('trustedclienttoken', TRUSTED_CLIENT_TOKEN);
  url.searchParams.set('Sec-MS-GEC', secMsGec(nowMs));
  url.searchParams.set('Sec-MS-GEC-Version', `1-${CHROMIUM_VERSION}`);
  return url.toString();
}

/** Headers the service expects of a browser; it refuses a handshake without this origin. */
export const EDGE_HEADERS = {
  origin: 'chrome-extension://jdiccldimpdaibmpdkjnbmckianbfold',
  'user-agent': `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${CHROMIUM_VERSION.split('.')[0]}.0.0.0 Safari/537.36 Edg/${CHROMIUM_VERSION.split('.')[0]}.0.0.0`,
};

const stamp = (nowMs: number) => new Date(nowMs).toISOString();

/** First message: the audio format, and word boundaries on (sentence boundaries off). */
export function configMessage(nowMs: number): string {
  const body = {
    context: {
      synthesis: {
        audio: { metadataoptions: { sentenceBoundaryEnabled: 'false', wordBoundaryEnabled: 'true' }, outputFormat: EDGE_AUDIO_FORMAT },
      },
    },
  };
  return `X-Timestamp:${stamp(nowMs)}\r\nContent-Type:application/json; charset=utf-8\r\nPath:speech.config\r\n\r\n${JSON.stringify(body)}`;
}

/** XML text: the five characters SSML must not carry raw. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

export interface Prosody {
  /** Percent faster (+) or slower (-) than the voice's own pace, e.g. -10. */
  ratePercent: number;
  /** Hz up (+) or down (-), e.g. -5. */
  pitchHz: number;
}

const signed = (n: number, unit: string) => `${n >= 0 ? '+' : ''}${Math.round(n)}${unit}`;

/** The voice name's locale ("de-DE-KatjaNeural" -> "de-DE"), for xml:lang. */
export function voiceLocale(voice: string): string {
  return /^([a-z]{2,3}-[A-Za-z]{2,4})-/.exec(voice)?.[1] ?? 'en-US';
}

/** Second message: what to say, with which voice, as SSML. */
export function ssmlMessage(input: { requestId: string; voice: string; text: string; prosody: Prosody; nowMs: number }): string {
  const { voice, prosody } = input;
  const ssml =
    `<speak version='1.0' xmlns='http://www.w3.org/2001/10/synthesis' xml:lang='${voiceLocale(voice)}'>` +
    `<voice name='${escapeXml(voice)}'><prosody pitch='${signed(prosody.pitchHz, 'Hz')}' rate='${signed(prosody.ratePercent, '%')}' volume='+0%'>` +
    `${escapeXml(input.text)}</prosody></voice></speak>`;
  return `X-RequestId:${input.requestId}\r\nContent-Type:application/ssml+xml\r\nX-Timestamp:${stamp(input.nowMs)}Z\r\nPath:ssml\r\n\r\n${ssml}`;
}

/** Headers ("Name:value" lines) and body of a text frame, or of a binary frame's header block. */
export function splitHeaders(text: string): { headers: Record<string, string>; body: string } {
  const end = text.indexOf('\r\n\r\n');
  const head = end < 0 ? text : text.slice(0, end);
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body: end < 0 ? '' : text.slice(end + 4) };
}

/** A binary frame: its headers and, for Path:audio, the audio bytes after them. */
export function parseBinaryFrame(frame: Buffer): { headers: Record<string, string>; audio: Buffer } | undefined {
  if (frame.length < 2) return undefined;
  const length = frame.readUInt16BE(0);
  if (2 + length > frame.length) return undefined;
  const { headers } = splitHeaders(`${frame.toString('utf8', 2, 2 + length)}\r\n\r\n`);
  return { headers, audio: frame.subarray(2 + length) };
}

/** The same, built (for the fake service, and to test the parser against). */
export function binaryFrame(headers: Record<string, string>, audio: Buffer): Buffer {
  const head = Buffer.from(
    Object.entries(headers)
      .map(([k, v]) => `${k}:${v}`)
      .join('\r\n'),
  );
  const length = Buffer.alloc(2);
  length.writeUInt16BE(head.length);
  return Buffer.concat([length, head, audio]);
}

const metadataSchema = z.object({
  Metadata: z.array(
    z.object({
      Type: z.string(),
      Data: z.object({
        Offset: z.number(),
        Duration: z.number().optional(),
        text: z.object({ Text: z.string() }).optional(),
      }),
    }),
  ),
});

/** One WordBoundary: its word and times in 100-ns ticks from the start of the audio. */
export interface WordBoundary {
  text: string;
  offset: number;
  duration: number;
}

/** The WordBoundary events of an audio.metadata body (other event types, and invalid bodies, give none). */
export function wordBoundaries(body: string): WordBoundary[] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return [];
  }
  const parsed = metadataSchema.safeParse(json);
  if (!parsed.success) return [];
  return parsed.data.Metadata.filter((m) => m.Type === 'WordBoundary' && m.Data.text).map((m) => ({
    text: m.Data.text!.Text,
    offset: m.Data.Offset,
    duration: m.Data.Duration ?? 0,
  }));
}

const TICKS_PER_SECOND = 10_000_000;

/**
 * Word boundaries -> caption words, in seconds. Punctuation-only boundaries (Edge reports some)
 * join the word before; times are kept in order and inside the audio.
 */
export function boundariesToWords(boundaries: WordBoundary[], durationSeconds: number): WordTiming[] | undefined {
  const clamp = (t: number) => Math.min(durationSeconds, Math.max(0, t));
  const out: WordTiming[] = [];
  for (const b of boundaries) {
    const word = b.text.trim();
    if (!word) continue;
    const start = clamp(b.offset / TICKS_PER_SECOND);
    const end = clamp((b.offset + b.duration) / TICKS_PER_SECOND);
    const prev = out.at(-1);
    if (!/[\p{L}\p{N}]/u.test(word) && prev) {
      prev.word += word;
      continue;
    }
    const s = Math.max(start, prev?.start ?? 0);
    out.push({ word, start: s, end: Math.max(s, end) });
  }
  return out.length > 0 ? out : undefined;
}
