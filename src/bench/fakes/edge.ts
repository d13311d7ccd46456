/**
 * Fake Edge read-aloud service on 127.0.0.1, the other side of providers/voices/edge-protocol.ts:
 * - `GET /voices/list?trustedclienttoken=…`: the voice list (JSON);
 * - WebSocket `/edge/v1?TrustedClientToken=…&Sec-MS-GEC=…&ConnectionId=…`: checks the token
 *   against its own clock (403 with its Date when it does not match: an "expired token"), the
 *   browser origin, then reads speech.config and the SSML, and answers as the service does:
 *   turn.start, one audio.metadata WordBoundary per word, binary Path:audio frames (real speech:
 *   espeak-ng, as MP3 24 kHz 48 kbit/s mono), turn.end.
 * Bad days, one per connection from `script`: `{ status: 429, retryAfter }` or any status at the
 * handshake, `{ kind: 'hang' }` (never answers after the SSML), `{ kind: 'drop' }` (closes
 * mid-audio), `{ kind: 'no-audio' }` (turn.end without audio). `clockSkewMs` sets its clock apart.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { EDGE_HEADERS, TRUSTED_CLIENT_TOKEN, binaryFrame, secMsGec, splitHeaders } from '../../providers/voices/edge-protocol.js';
import { alignWords, speak } from './inworld.js';

export interface EdgeStep {
  status?: number;
  retryAfter?: number;
  kind?: 'hang' | 'drop' | 'no-audio';
}

export interface EdgeRequest {
  voice: string;
  /** The SSML's text, unescaped. */
  text: string;
  ssml: string;
  outputFormat?: string;
  wordBoundaries: boolean;
  /** The word offsets sent, in seconds. */
  words: { word: string; start: number; end: number }[];
}

export interface FakeEdge {
  /** The base URL the client takes (ws://127.0.0.1:PORT). */
  url: string;
  script: EdgeStep[];
  requests: EdgeRequest[];
  /** Handshakes refused, by status. */
  refused: number[];
  voiceListRequests: number;
  clockSkewMs: number;
  close(): Promise<void>;
}

export const FAKE_EDGE_VOICES = [
  { ShortName: 'en-US-EmmaMultilingualNeural', Gender: 'Female', Locale: 'en-US' },
  { ShortName: 'en-US-AndrewMultilingualNeural', Gender: 'Male', Locale: 'en-US' },
  { ShortName: 'de-DE-KatjaNeural', Gender: 'Female', Locale: 'de-DE' },
  { ShortName: 'ja-JP-NanamiNeural', Gender: 'Female', Locale: 'ja-JP' },
];

const unescapeXml = (s: string) =>
  s.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e]!);

function toMp3(wav: Buffer): Promise<Buffer> {
  return (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fake-edge-'));
    try {
      await writeFile(join(dir, 'in.wav'), wav);
      await new Promise<void>((resolve, reject) => {
        const child = spawn('ffmpeg', [
          '-v',
          'error',
          '-i',
          join(dir, 'in.wav'),
          '-ac',
          '1',
          '-ar',
          '24000',
          '-c:a',
          'libmp3lame',
          '-b:a',
          '48k',
          join(dir, 'out.mp3'),
        ]);
        child.on('error', reject);
        child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited ${code}`))));
      });
      return await readFile(join(dir, 'out.mp3'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  })();
}

const textFrame = (path: string, body: string) =>
  `X-RequestId:fake\r\nContent-Type:application/json; charset=utf-8\r\nPath:${path}\r\n\r\n${body}`;

export async function startFakeEdge(opts: { clockSkewMs?: number; voices?: typeof FAKE_EDGE_VOICES } = {}): Promise<FakeEdge> {
  const voices = opts.voices ?? FAKE_EDGE_VOICES;
  const wss = new WebSocketServer({ noServer: true });
  const sockets = new Set<Socket>();
  const fake: FakeEdge = {
    url: '',
    script: [],
    requests: [],
    refused: [],
    voiceListRequests: 0,
    clockSkewMs: opts.clockSkewMs ?? 0,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const clock = () => Date.now() + fake.clockSkewMs;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (req.method === 'GET' && url.pathname === '/voices/list' && url.searchParams.get('trustedclienttoken') === TRUSTED_CLIENT_TOKEN) {
      fake.voiceListRequests++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(voices));
      return;
    }
    res.writeHead(404).end('Not Found');
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const refuse = (status: number, headers: Record<string, string> = {}) => {
      fake.refused.push(status);
      const lines = Object.entries({ date: new Date(clock()).toUTCString(), connection: 'close', ...headers }).map(
        ([k, v]) => `${k}: ${v}`,
      );
      socket.end(`HTTP/1.1 ${status} Refused\r\n${lines.join('\r\n')}\r\n\r\n`);
    };
    if (url.pathname !== '/edge/v1' || url.searchParams.get('TrustedClientToken') !== TRUSTED_CLIENT_TOKEN) return refuse(404);
    if (req.headers.origin !== EDGE_HEADERS.origin) return refuse(403);
    if (url.searchParams.get('Sec-MS-GEC') !== secMsGec(clock())) return refuse(403);
    const step = fake.script.shift();
    if (step?.status) return refuse(step.status, step.retryAfter ? { 'retry-after': String(step.retryAfter) } : {});
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws, step));
  });

  const serve = (ws: WebSocket, step: EdgeStep | undefined) => {
    let config: { outputFormat?: string; wordBoundaries: boolean } | undefined;
    ws.on('message', async (data: Buffer, isBinary: boolean) => {
      if (isBinary) return ws.close(1007, 'unexpected binary');
      const { headers, body } = splitHeaders(data.toString('utf8'));
      if (headers.path === 'speech.config') {
        const audio = (JSON.parse(body) as { context: { synthesis: { audio: Record<string, unknown> } } }).context.synthesis.audio;
        const meta = audio.metadataoptions as { wordBoundaryEnabled?: string } | undefined;
        config = { outputFormat: audio.outputFormat as string | undefined, wordBoundaries: meta?.wordBoundaryEnabled === 'true' };
        return;
      }
      if (headers.path !== 'ssml' || !config) return ws.close(1007, 'ssml before speech.config');
      const voice = /<voice name='([^']+)'>/.exec(body)?.[1] ?? '';
      const text = unescapeXml(/<prosody[^>]*>([\s\S]*)<\/prosody>/.exec(body)?.[1] ?? '');
      const request: EdgeRequest = { voice, text, ssml: body, ...config, words: [] };
      fake.requests.push(request);
      if (step?.kind === 'hang') return;
      ws.send(textFrame('turn.start', '{}'));
      const known = voices.some((v) => v.ShortName === voice);
      if (!known || step?.kind === 'no-audio') return ws.send(textFrame('turn.end', '{}'));
      const speech = await speak(text, 'LINEAR16', 24_000);
      const mp3 = await toMp3(speech.audio);
      const aligned = alignWords(text, speech.voiced, 'words');
      request.words = aligned.words.map((word, i) => ({
        word,
        start: aligned.wordStartTimeSeconds[i]!,
        end: aligned.wordEndTimeSeconds[i]!,
      }));
      if (config.wordBoundaries) {
        for (const w of request.words) {
          const event = {
            Type: 'WordBoundary',
            Data: {
              Offset: Math.round(w.start * 1e7),
              Duration: Math.round((w.end - w.start) * 1e7),
              text: { Text: w.word.replace(/[^\p{L}\p{N}'-]+$/u, ''), Length: w.word.length, BoxType: 'Word' },
            },
          };
          ws.send(textFrame('audio.metadata', JSON.stringify({ Metadata: [event] })));
        }
      }
      const chunk = 4096;
      for (let at = 0; at < mp3.length; at += chunk) {
        if (step?.kind === 'drop' && at >= chunk) return ws.terminate();
        ws.send(binaryFrame({ 'X-RequestId': 'fake', 'Content-Type': 'audio/mpeg', Path: 'audio' }, mp3.subarray(at, at + chunk)), {
          binary: true,
        });
      }
      ws.send(textFrame('turn.end', '{}'));
    });
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
