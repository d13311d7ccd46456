/**
 * `npm run bench`'s peers section (issue 14): storyreel's render against the one-pass floor and
 * the naive one-pass, on the same prepared scenes, rounds rotated; then SSIM against a
 * near-lossless reference of the same timeline; then two stories rendered at once against one
 * after the other.
 */
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Engine } from '../engine/create-engine.js';
import type { RenderResult } from '../engine/render-story.js';
import type { StoryOptions } from '../core/story.js';
import type { ImageProvider, VoiceProvider } from '../providers/types.js';
import type { FfmpegBinaries } from '../media/binaries.js';
import type { EncodingPlan } from '../core/timeline.js';
import { runFfmpeg } from '../media/run.js';
import { buildFloorArgs, buildNaiveArgs, buildReferenceArgs } from './one-pass-args.js';
import { moodLoop } from '../engine/music.js';
import { BED_LEVEL } from '../engine/soundtrack.js';
import { DEFAULT_MUSIC } from '../media/music-recipes.js';
import { prepareScenes } from './prepare-scenes.js';
import { comparePeers, measureOnce, type Contender, type Measurement, type PeerFigures } from './peers.js';
import { ssim } from './ssim.js';

export interface PeersReport {
  rounds: number;
  videoSeconds: number;
  contenders: PeerFigures[];
  /** storyreel CPU-seconds / the floor's (target <= 1.15). */
  cpuRatio: number;
  ssim: { storyreel: number; floor: number; storyreelBytes: number; floorBytes: number; referenceBytes: number };
  twoJobs: { oneAfterOther: Measurement; together: Measurement };
  /** The plan the prepared story was encoded with (the motion section uses it). */
  plan: EncodingPlan;
}

export interface PeersInput {
  engine: Engine;
  ffmpeg: FfmpegBinaries;
  story: string;
  options: StoryOptions;
  pipeline: RenderResult;
  images: ImageProvider;
  voices: VoiceProvider;
  dir: string;
  rounds: number;
  /** The fakes' pid: not part of any contender's tree. */
  exclude: Set<number>;
  say: (text: string) => void;
}

export async function runPeers(input: PeersInput): Promise<PeersReport> {
  const { engine, ffmpeg, dir, say } = input;
  const assets = join(dir, 'prepared');
  await mkdir(assets, { recursive: true });
  const prepared = await prepareScenes({
    script: input.pipeline.script,
    seeds: input.pipeline.seeds,
    aspect: input.options.aspect,
    maxBytes: input.options.maxBytes,
    images: input.images,
    voices: input.voices,
    dir: assets,
  });
  // the bed storyreel's render mixes in (the default mood, its loop already made by the pipeline)
  const music = { path: await moodLoop(ffmpeg.ffmpeg, DEFAULT_MUSIC, join(dir, 'music')), gainDb: -6, duckDb: BED_LEVEL.duckDb };
  const render = (name: string) => engine.render({ story: input.story, options: input.options, out: join(dir, `${name}.mp4`) });
  const outputs = { storyreel: '', floor: '' };
  const contenders: Contender[] = [
    {
      name: 'storyreel',
      countsNode: true,
      run: async (r) => (outputs.storyreel = (await render(`peer-storyreel-${r}`)).out),
    },
    {
      name: 'floor',
      countsNode: false,
      run: async (r) => {
        const out = join(dir, `peer-floor-${r}.mp4`);
        await runFfmpeg(
          ffmpeg.ffmpeg,
          buildFloorArgs({ timeline: prepared.timeline, timelineSubtitles: prepared.timelineSubtitles, out, music }),
        );
        outputs.floor = out;
        return out;
      },
    },
    {
      name: 'naive',
      countsNode: false,
      run: async (r) => {
        const out = join(dir, `peer-naive-${r}.mp4`);
        await runFfmpeg(ffmpeg.ffmpeg, buildNaiveArgs({ timeline: prepared.timeline, timelineSubtitles: prepared.timelineSubtitles, out }));
        return out;
      },
    },
  ];
  const figures = await comparePeers(contenders, input.rounds, input.exclude, say);

  say('  SSIM against a near-lossless render of the same timeline…');
  const reference = join(dir, 'reference.mp4');
  await runFfmpeg(
    ffmpeg.ffmpeg,
    buildReferenceArgs({ timeline: prepared.timeline, timelineSubtitles: prepared.timelineSubtitles, out: reference }),
  );
  const [storyreelSsim, floorSsim] = [
    await ssim(ffmpeg.ffmpeg, outputs.storyreel, reference),
    await ssim(ffmpeg.ffmpeg, outputs.floor, reference),
  ];
  const sizeOf = async (p: string) => (await stat(p)).size;

  say('  two stories at once against one after the other…');
  const oneAfterOther = await measureOnce(
    {
      name: 'sequential',
      countsNode: true,
      run: async () => {
        await render('two-a');
        return (await render('two-b')).out;
      },
    },
    0,
    input.exclude,
  );
  const together = await measureOnce(
    { name: 'together', countsNode: true, run: async () => (await Promise.all([render('two-c'), render('two-d')]))[1].out },
    0,
    input.exclude,
  );

  const byName = (n: string) => figures.find((f) => f.name === n)!;
  return {
    rounds: input.rounds,
    videoSeconds: Number(prepared.durationSeconds.toFixed(2)),
    contenders: figures,
    cpuRatio: byName('storyreel').cpuRatio,
    ssim: {
      storyreel: storyreelSsim,
      floor: floorSsim,
      storyreelBytes: await sizeOf(outputs.storyreel),
      floorBytes: await sizeOf(outputs.floor),
      referenceBytes: await sizeOf(reference),
    },
    twoJobs: { oneAfterOther, together },
    plan: prepared.plan,
  };
}
