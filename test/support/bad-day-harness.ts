/**
 * The whole engine on real provider clients pointed at our fakes, for end-to-end "bad day" tests:
 * starts the fakes (and, when a test needs to pick on one scene, a routing proxy in front of the
 * Inworld fake), builds the config through the real loader, registers the secrets, captures every
 * log line at debug level and every progress event. Plus the checks those tests share: the video
 * plays (video + audio, sensible duration), no test key shows anywhere, overlap of recorded requests.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { startFakePollinations, type FakePollinationsOptions } from '../fakes/providers.js';
import { startFakeInworld, type FakeInworldOptions } from '../fakes/providers.js';
import { startFakeLlm, type FakeLlmOptions } from '../fakes/llm.js';
import { jsonReply, startFakeServer, type FakeReply, type FakeServer, type RecordedRequest } from '../fakes/providers.js';
import { fakeConfig, TEST_KEYS } from './provider-config.js';
import { engineFromConfig } from '../../src/engine-from-config.js';
import { resolveFfmpeg } from '../../src/media/binaries.js';
import { registerSecrets, setLogLevel, setLogSink } from '../../src/core/log.js';
import { secretsOf } from '../../src/config.js';
import type { ProgressEvent } from '../../src/engine/events.js';
import type { RenderResult } from '../../src/engine/render-story.js';
import { probeMedia, type MediaInfo } from '../../src/media/probe.js';

/** Four sentences: the local writer makes one scene of each, in order. */
export const FOUR_SCENES =
  'The fox found a lantern in the snow. It carried the light to the river. The heron saw it and smiled. Together they walked home.';

/** What a route does with one request: answer it itself, hang, or (undefined) pass it on. */
export type RouteAction = FakeReply | 'hang' | undefined;

/** Inworld's gRPC-style error body, with Retry-After when given. */
export function inworldError(status: number, message: string, retryAfterSeconds?: number): FakeReply {
  const codes: Record<number, number> = { 401: 16, 429: 8, 500: 13, 503: 14 };
  return jsonReply(
    status,
    { code: codes[status] ?? 2, message, details: [] },
    retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) },
  );
}

/** The `text` of a recorded TTS request ('' when the body is not JSON). */
export function ttsText(req: RecordedRequest): string {
  try {
    return String((JSON.parse(req.body) as { text?: unknown }).text ?? '');
  } catch {
    return '';
  }
}

/**
 * A proxy in front of a fake: `route` sees each request (with its body) and may answer it itself
 * or leave it hanging; everything else is passed to `target` and its answer returned as is.
 * Its own record shows every request, answered here or passed on.
 */
export function startRoutingProxy(target: string, route: (req: RecordedRequest) => RouteAction): Promise<FakeServer> {
  return startFakeServer({
    async handle(req) {
      const action = route(req);
      if (action === 'hang') return new Promise<FakeReply>(() => undefined);
      if (action) return action;
      const headers: Record<string, string> = {};
      for (const name of ['authorization', 'content-type', 'accept']) {
        const v = req.headers[name];
        if (typeof v === 'string') headers[name] = v;
      }
      const res = await fetch(target + req.path, { method: req.method, headers, body: req.method === 'GET' ? undefined : req.body });
      const out: Record<string, string> = { 'content-type': res.headers.get('content-type') ?? 'application/octet-stream' };
      const retryAfter = res.headers.get('retry-after');
      if (retryAfter) out['retry-after'] = retryAfter;
      return { status: res.status, headers: out, body: Buffer.from(await res.arrayBuffer()) };
    },
  });
}

export interface BadDayOptions {
  /** Options for the Pollinations fake; false: no Pollinations (local cards). */
  polli?: Partial<FakePollinationsOptions> | false;
  inworld?: Partial<FakeInworldOptions>;
  /** Start the LLM fake (with these options). */
  llm?: Partial<FakeLlmOptions> | boolean;
  /** Put a routing proxy in front of the Inworld fake. */
  inworldRoute?: (req: RecordedRequest) => RouteAction;
  /** Extra environment for the config loader (e.g. INWORLD_TIMEOUT_MS). */
  env?: Record<string, string>;
}

export interface BadDay {
  polli?: FakeServer;
  inworld: FakeServer;
  /** The routing proxy, when there is one: its record holds every voice request. */
  proxy?: FakeServer;
  llm?: FakeServer;
  events: ProgressEvent[];
  logs: string[];
  render(name: string, opts?: { story?: string; scenes?: number; maxBytes?: number; blockedWords?: string[] }): Promise<RenderResult>;
  close(): Promise<void>;
}

export async function startBadDay(opts: BadDayOptions = {}): Promise<BadDay> {
  const started: FakeServer[] = [];
  const polli = opts.polli === false ? undefined : await startFakePollinations({ apiKey: TEST_KEYS.pollinations, ...opts.polli });
  if (polli) started.push(polli);
  const inworld = await startFakeInworld({ apiKey: TEST_KEYS.inworld, ...opts.inworld });
  started.push(inworld);
  const proxy = opts.inworldRoute ? await startRoutingProxy(inworld.url, opts.inworldRoute) : undefined;
  if (proxy) started.push(proxy);
  const llm = opts.llm ? await startFakeLlm({ apiKey: TEST_KEYS.llm, ...(typeof opts.llm === 'object' ? opts.llm : {}) }) : undefined;
  if (llm) started.push(llm);
  // Its own folder for the videos (up to a few MB each), removed by close().
  const dir = await mkdtemp(join(tmpdir(), 'sr-baddays2-'));

  const config = fakeConfig(
    { pollinations: polli?.url, inworld: (proxy ?? inworld).url, llm: llm?.url },
    { DATA_DIR: join(dir, 'data'), ...opts.env },
  );
  registerSecrets(secretsOf(config));
  const logs: string[] = [];
  setLogLevel('debug');
  setLogSink((line) => logs.push(line));
  const events: ProgressEvent[] = [];
  const engine = engineFromConfig(config, resolveFfmpeg(), { cache: false });
  return {
    polli,
    inworld,
    proxy,
    llm,
    events,
    logs,
    render: (name, r = {}) =>
      engine.render({
        story: r.story ?? FOUR_SCENES,
        out: join(dir, `${name}-${process.pid}-${Date.now()}.mp4`),
        options: { aspect: '9:16', scenes: r.scenes ?? 4, maxBytes: r.maxBytes ?? 3_000_000, seed: 1 },
        onProgress: (e) => events.push(e),
        blockedWords: r.blockedWords,
      }),
    close: async () => {
      setLogLevel('info');
      setLogSink((line) => process.stderr.write(line + '\n'));
      await Promise.all(started.map((f) => f.close()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The MP4 is there and plays: H.264 video and an audio stream, a duration in range, within the size. */
export async function expectPlayable(result: RenderResult, range: { min: number; max: number }, maxBytes = 3_000_000): Promise<MediaInfo> {
  const info = await probeMedia(resolveFfmpeg().ffprobe, result.out);
  expect(info.video?.codec).toBe('h264');
  expect(info.audio?.codec).toBe('aac');
  expect(info.durationSeconds).toBeGreaterThanOrEqual(range.min);
  expect(info.durationSeconds).toBeLessThanOrEqual(range.max);
  expect(info.audio!.durationSeconds).toBeGreaterThan(range.min * 0.8);
  expect(result.sizeBytes).toBeLessThanOrEqual(maxBytes);
  return info;
}

/** No test key, raw or Base64-encoded, in anything given (events, logs, results, error texts). */
export function expectNoKeys(...things: unknown[]): void {
  const everything = JSON.stringify(things, (_k, v: unknown) => (v instanceof Error ? `${v.name}: ${v.message}\n${v.stack ?? ''}` : v));
  for (const key of Object.values(TEST_KEYS)) {
    expect(everything).not.toContain(key);
    expect(everything).not.toContain(Buffer.from(key).toString('base64'));
  }
}

/** Most requests in flight at once, from their recorded start and end times (an end at t frees its slot before a start at t). */
export function maxOverlap(record: readonly RecordedRequest[]): number {
  const points: [number, number][] = [];
  for (const r of record) {
    points.push([r.startedAt, +1]);
    points.push([r.endedAt ?? Number.POSITIVE_INFINITY, -1]);
  }
  points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let most = 0;
  for (const [, d] of points) {
    now += d;
    most = Math.max(most, now);
  }
  return most;
}

type AssetEvent = Extract<ProgressEvent, { type: 'asset' }>;
/** Asset events of one kind, state and (optionally) scene. */
export function assetEvents(events: ProgressEvent[], kind: 'image' | 'voice', state: AssetEvent['state'], scene?: number): AssetEvent[] {
  return events.filter(
    (e): e is AssetEvent => e.type === 'asset' && e.kind === kind && e.state === state && (scene === undefined || e.scene === scene),
  );
}

/** The error text of a retrying/failed/fallback event ('' for the others). */
export function errorOf(e: ProgressEvent): string {
  return 'error' in e ? e.error : '';
}
