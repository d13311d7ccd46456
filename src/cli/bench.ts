/**
 * `npm run bench [-- --json] [--check] [--scenes N] [--image-latency A-B] [--voice-latency A-B] [--rounds N] [--only peers] [--trace]`
 * Every target is marked met or missed at the end (src/bench/targets.ts); `--check` exits 1 when one is missed.
 * Starts the Pollinations and Inworld fakes (another process, 127.0.0.1) with injected latency and
 * measures, on the same story: storyreel's pipeline (cold cache, with node's event-loop delay),
 * rendering alone from the finished assets (720p, and 1080p), the old way (one asset at a time,
 * then render everything), and the peers: storyreel's render against one-pass ffmpeg renders of
 * the same scenes, SSIM, and two jobs at once (src/bench/peers-section.ts); and Redo a scene against
 * the full render (src/bench/redo-section.ts, also `npm run bench:redo`); and the pipeline video's
 * sound: loudness, the music's ducking and the soundtrack's cost (src/bench/sound-section.ts); and motion smoothness
 * (held and uneven frame pairs, src/bench/motion-section.ts).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, cpus, totalmem, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig } from '../config.js';
import { resolveFfmpeg } from '../media/binaries.js';
import { engineFromConfig } from '../engine-from-config.js';
import { PollinationsImageProvider } from '../providers/images/pollinations.js';
import { InworldVoiceProvider } from '../providers/voices/inworld.js';
import { imageSizeFor } from '../engine/timeline.js';
import { composeImagePrompt } from '../engine/styles.js';
import type { ProgressEvent } from '../engine/events.js';
import type { RenderResult } from '../engine/render-story.js';
import { benchStory } from '../bench/bench-story.js';
import { runPeers } from '../bench/peers-section.js';
import { formatRedo, measureRedo } from '../bench/redo-section.js';
import { formatMotion, measureMotion } from '../bench/motion-section.js';
import { formatVoices, measureVoices } from '../bench/voice-section.js';
import { startFakeEdge } from '../bench/fakes/edge.js';
import { EdgeVoiceProvider } from '../providers/voices/edge.js';
import { EspeakVoiceProvider } from '../providers/voices/espeak.js';
import { formatReport, type StandardFigures } from './bench-report.js';
import { formatSound, measureSound } from '../bench/sound-section.js';
import { createWorkspace } from '../engine/workspace.js';
import { planEncoding } from '../media/plan.js';
import { checkOutcome, checkTargets, formatTargets } from '../bench/targets.js';

const KEYS = { pollinations: 'sk_bench_key', inworld: 'YmVuY2gta2V5' };

function range(text: string, name: string): [number, number] {
  const m = /^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/.exec(text);
  if (!m || Number(m[1]) > Number(m[2])) throw new Error(`--${name} must look like 3-8 (seconds)`);
  return [Number(m[1]) * 1000, Number(m[2]) * 1000];
}

async function startFakes(imageLatency: [number, number], voiceLatency: [number, number]) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      resolve(import.meta.dirname, '../bench/serve-fakes.ts'),
      JSON.stringify({ apiKey: KEYS.pollinations, inworldKey: KEYS.inworld, imageLatency, voiceLatency, seed: 20261124 }),
    ],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const line = await new Promise<string>((res, rej) => {
    createInterface({ input: child.stdout! }).once('line', res);
    child.once('exit', (code) => rej(new Error(`the fakes exited (${code})`)));
  });
  return { urls: JSON.parse(line) as { pollinations: string; inworld: string }, pid: child.pid!, stop: () => child.stdin!.end() };
}

function sampleRss(): { stop: () => number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss) / 1024 / 1024;
    },
  };
}

const seconds = (ms: number) => Number((ms / 1000).toFixed(2));

/** One line per progress event of the cold pipeline: when, what, which scene. */
function traceLines(events: ProgressEvent[]): string {
  return events
    .map((e) => {
      const { type, atMs, ...rest } = e;
      const detail = Object.entries(rest)
        .filter(([k]) => ['scene', 'kind', 'state', 'ms'].includes(k))
        .map(([k, v]) => `${k}=${String(v)}`);
      return `  ${(atMs / 1000).toFixed(2).padStart(6)} s  ${type} ${detail.join(' ')}\n`;
    })
    .join('');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      // exit 1 when a target is missed (each is marked either way)
      check: { type: 'boolean', default: false },
      scenes: { type: 'string', default: '10' },
      'image-latency': { type: 'string', default: '3-8' },
      'voice-latency': { type: 'string', default: '0.5-2' },
      'max-bytes': { type: 'string', default: String(10 * 1024 * 1024) },
      rounds: { type: 'string', default: '3' },
      // `--only peers`: the cold pipeline (it fills the cache), then the peers section alone
      only: { type: 'string' },
      // `--trace`: the cold pipeline's progress events with their times, to stderr
      trace: { type: 'boolean', default: false },
    },
  });
  const scenes = Number(values.scenes);
  if (!Number.isInteger(scenes) || scenes < 1 || scenes > 20) throw new Error('--scenes must be 1-20');
  const maxBytes = Number(values['max-bytes']);
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 20) throw new Error('--rounds must be 1-20');
  if (values.only !== undefined && values.only !== 'peers') throw new Error('--only takes: peers');
  const all = values.only === undefined;
  const say = (text: string) => !values.json && process.stderr.write(text + '\n');
  const fakes = await startFakes(range(values['image-latency']!, 'image-latency'), range(values['voice-latency']!, 'voice-latency'));
  const dir = await mkdtemp(join(tmpdir(), 'storyreel-bench-'));
  try {
    const config = loadConfig({
      POLLINATIONS_BASE_URL: fakes.urls.pollinations,
      POLLINATIONS_API_KEY: KEYS.pollinations,
      POLLINATIONS_CONCURRENCY: '10',
      INWORLD_BASE_URL: fakes.urls.inworld,
      INWORLD_API_KEY: KEYS.inworld,
      INWORLD_CONCURRENCY: '10',
      SCENE_WRITER: 'local', // the bench measures images and voices; the Pollinations key alone would write the scenes too
      DATA_DIR: dir,
    });
    const ffmpeg = resolveFfmpeg(config.ffmpeg);
    const engine = engineFromConfig(config, ffmpeg);
    const story = benchStory(scenes);
    const options = { aspect: '9:16' as const, scenes, maxBytes, seed: 1234 };

    say(
      `storyreel bench: ${scenes} scenes, image latency ${values['image-latency']} s, voice ${values['voice-latency']} s, ${cpus().length} cores`,
    );
    say('1/5 pipeline (cold cache)…');
    const rss = sampleRss();
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const events: ProgressEvent[] = [];
    const t0 = Date.now();
    const pipeline = await engine.render({ story, options, out: join(dir, 'pipeline.mp4'), onProgress: (e) => events.push(e) });
    const pipelineMs = Date.now() - t0;
    if (values.trace) process.stderr.write(traceLines(events));
    const peakRssMB = rss.stop();
    loop.disable();
    const eventLoopDelay = { p99Ms: Number((loop.percentile(99) / 1e6).toFixed(1)), maxMs: Number((loop.max / 1e6).toFixed(1)) };

    say("   and its sound: loudness, the music bed's ducking, what the soundtrack costs…");
    const soundScratch = await createWorkspace(dir);
    const sound = await measureSound({
      ffmpeg,
      video: join(dir, 'pipeline.mp4'),
      scenes: pipeline.timeline.scenes.map((s) => ({
        seconds: s.duration,
        lead: s.narration?.lead ?? 0,
        spokenSeconds: s.narration?.seconds ?? 0,
      })),
      music: config.defaultMusic,
      musicDir: join(dir, 'music'),
      workspace: soundScratch,
      audioKbps: planEncoding({ aspect: options.aspect, maxBytes, durationSeconds: pipeline.durationSeconds }).audioKbps,
    }).finally(() => soundScratch.remove());

    const lastAssetMs = pipeline.timings.lastAssetMs;
    const images = new PollinationsImageProvider(config.images.pollinations);
    const voices = new InworldVoiceProvider(config.voices.inworld);
    const base = {
      scenes: pipeline.scenes,
      videoSeconds: Number(pipeline.durationSeconds.toFixed(2)),
      width: pipeline.width,
      height: pipeline.height,
      pipelineSeconds: seconds(pipelineMs),
      lastAssetSeconds: seconds(lastAssetMs),
      tailSeconds: seconds(pipelineMs - lastAssetMs),
      sizeBytes: pipeline.sizeBytes,
      peakRssMB: Math.round(peakRssMB),
      eventLoopDelay,
      machine: `${cpus().length} cores, ${Math.round(totalmem() / 1024 ** 3)} GiB, node ${process.version}, load ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    };

    let standard: StandardFigures | undefined;
    if (all) {
      say('2/5 rendering alone from the finished assets (720p)…');
      // One clip's render time: scenes rendered together in one ffmpeg report the batch's time
      // each (done at the same moment), so a batch counts as its time shared among its scenes.
      const renderAlone = async (name: string, bytes: number): Promise<{ ms: number; result: RenderResult; clipMs: number }> => {
        const batches = new Map<number, { ms: number; scenes: number }>();
        const t = Date.now();
        const result = await engine.render({
          story,
          options: { ...options, maxBytes: bytes },
          out: join(dir, `${name}.mp4`),
          onProgress: (e) => {
            if (e.type !== 'clip' || e.ms === undefined) return;
            const b = batches.get(e.atMs) ?? { ms: e.ms, scenes: 0 };
            batches.set(e.atMs, { ms: b.ms, scenes: b.scenes + 1 });
          },
        });
        return { ms: Date.now() - t, result, clipMs: Math.max(...[...batches.values()].map((b) => b.ms / b.scenes)) };
      };
      const render720 = await renderAlone('render-720', maxBytes);
      say('3/5 rendering alone at 1080p…');
      const render1080 = await renderAlone('render-1080', 64 * 1024 * 1024);

      say('4/5 the old way: one asset at a time, then render everything…');
      const size = imageSizeFor(options.aspect);
      const t1 = Date.now();
      for (const [i, scene] of pipeline.script.scenes.entries()) {
        await images.generate({ prompt: composeImagePrompt(scene.imagePrompt, undefined, undefined), ...size, seed: 99_000 + i });
        await voices.synthesize({ text: scene.narration });
      }
      const sequentialFetchMs = Date.now() - t1;
      const sequentialMs = sequentialFetchMs + render720.ms;
      standard = {
        sequentialSeconds: seconds(sequentialMs),
        speedup: Number((sequentialMs / pipelineMs).toFixed(2)),
        renderSeconds: seconds(render720.ms),
        renderRealtimeFactor: Number((render720.result.durationSeconds / (render720.ms / 1000)).toFixed(2)),
        renderRealtimeFactor1080: Number((render1080.result.durationSeconds / (render1080.ms / 1000)).toFixed(2)),
        render1080: `${render1080.result.width}x${render1080.result.height}`,
        clipRenderSeconds: seconds(render720.clipMs),
        sequentialFetchSeconds: seconds(sequentialFetchMs),
        criticalPathRatio: Number((pipelineMs / (lastAssetMs + render720.clipMs)).toFixed(3)),
      };
    }

    say(`5/5 peers: storyreel's render, the one-pass floor and the naive one-pass, ${rounds} rounds…`);
    const peers = await runPeers({
      engine,
      ffmpeg,
      story,
      options,
      pipeline,
      images,
      voices,
      dir,
      rounds,
      exclude: new Set([fakes.pid]),
      say,
    });
    say('and Redo a scene: one scene of ten made again, against the full render (offline providers)…');
    const redo = all && scenes >= 2 ? await measureRedo(scenes) : undefined;
    say('and motion: shots of a textured still at the 720p plan, shift per frame pair by phase correlation…');
    const motion = await measureMotion({ ffmpeg: ffmpeg.ffmpeg, dir, plan: peers.plan, seeds: [1, 2, 3, 4, 5, 6], seconds: 6 });
    say('and voices: time to first audio per provider (Inworld and Edge fakes, espeak-ng here)…');
    const edgeFake = await startFakeEdge();
    const voiceTimings = await measureVoices(
      [voices, new EdgeVoiceProvider({ ...config.voices.edge, baseUrl: edgeFake.url }), new EspeakVoiceProvider()],
      pipeline.script.scenes[0]!.narration,
    ).finally(() => edgeFake.close());
    const figures = { ...base, sound, ...standard, peers, ...(redo ? { redo } : {}), motion, voices: voiceTimings };
    const targets = checkTargets(figures);
    const report = { ...figures, targets };
    if (values.json) process.stdout.write(JSON.stringify(report) + '\n');
    else
      process.stdout.write(
        formatReport(base, standard, peers, maxBytes) +
          formatSound(sound) +
          (redo ? formatRedo(redo) : '') +
          formatMotion(motion) +
          formatVoices(voiceTimings) +
          '\n' +
          formatTargets(targets),
      );
    const outcome = checkOutcome(targets, values.check ?? false);
    if (outcome.line) process.stderr.write(`${outcome.line}\n`);
    process.exitCode = outcome.exitCode;
  } finally {
    fakes.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${(error as Error).message}\n`);
  process.exit(1);
});
