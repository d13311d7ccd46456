/**
 * The video's one audio track: every scene's narration brought to the same loudness (a static
 * gain per scene, measured on its PCM), the music bed under it, ducked while someone speaks, and
 * the whole mix brought to -14 LUFS with its true peak under -1 dBTP. Two ffmpeg passes (mix,
 * then master + AAC encode) with a measurement in between; it runs in a render slot while the
 * clips render, off the critical path's tail.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { FfmpegBinaries } from '../media/binaries.js';
import { integratedLoudness, pcmToFloat } from '../media/loudness.js';
import { NARRATION_RATE } from '../media/audio-args.js';
import { buildEncodeArgs, buildMixArgs, type SoundtrackPart, type SpeechInterval } from '../media/soundtrack-args.js';
import { readWav } from '../core/wav.js';
import { runFfmpeg } from '../media/run.js';
import { masterToTarget } from '../media/limiter.js';
import { resolveMusic } from './music.js';
import type { Workspace } from './workspace.js';

/** Where every video lands: what TikTok, Reels, Shorts and YouTube normalise to. */
export const LOUDNESS_TARGET = { integrated: -14, truePeak: -1 } as const;
/** The limiter's sample-peak ceiling: under the true-peak limit by what inter-sample peaks and the AAC encode add back. */
export const LIMITER_CEILING_DB = -2;
/** The bed between speech sits this far under the speech, and goes this much further down while someone speaks. */
export const BED_LEVEL = { underSpeechDb: 9, duckDb: 9 } as const;
/** A scene's gain stays within these bounds (a whisper is not turned into a roar). */
const PART_GAIN_DB = { min: -20, max: 24 };

export interface NarrationInput {
  path: string;
  /** The scene's whole length in the video. */
  seconds: number;
  /** Silence before the narration starts within the scene. */
  lead: number;
  /** How long the narration speaks. */
  spokenSeconds: number;
}

export interface SoundtrackReport {
  /** Each scene's loudness as the voice gave it (LUFS; -Infinity when silent) and the gain it got. */
  parts: { loudness: number; gainDb: number }[];
  speech: SpeechInterval[];
  /** The mix's loudness before the master gain, and that gain. */
  mixLoudness: number;
  masterGainDb: number;
  music?: { choice: string; loudness: number; gainDb: number };
}

/** A WAV's loudness in TS (every voice here is 16-bit PCM); anything else counts as unmeasured. */
async function partLoudness(path: string): Promise<number | undefined> {
  const pcm = readWav(await readFile(path));
  return pcm ? integratedLoudness(pcmToFloat(pcm), pcm.sampleRate) : undefined;
}

export function partGainDb(loudness: number | undefined, target: number = LOUDNESS_TARGET.integrated): number {
  if (loudness === undefined || !Number.isFinite(loudness)) return 0;
  return Math.min(PART_GAIN_DB.max, Math.max(PART_GAIN_DB.min, target - loudness));
}

/** When each scene's narration speaks, in seconds of the video. */
export function speechIntervals(parts: NarrationInput[]): SpeechInterval[] {
  let at = 0;
  return parts.map((p) => {
    const start = at + p.lead;
    at += p.seconds;
    return { start, end: Math.min(at, start + p.spokenSeconds) };
  });
}

async function readFloat(path: string): Promise<Float32Array> {
  const bytes = await readFile(path);
  return new Float32Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.length / 4));
}

export interface SoundtrackContext {
  ffmpeg: FfmpegBinaries;
  workspace: Workspace;
  signal?: AbortSignal;
  /** Where the generated music loops are kept. */
  musicDir: string;
}

/** The parts and bed of pass 1, as the soundtrack and the bench's music stem both build them. */
export async function prepareMix(
  ctx: SoundtrackContext,
  input: { parts: NarrationInput[]; music?: string },
): Promise<{
  parts: SoundtrackPart[];
  loudness: (number | undefined)[];
  speech: SpeechInterval[];
  report: SoundtrackReport['music'];
  bed?: { path: string; gainDb: number; duckDb: number };
}> {
  const loudness = await Promise.all(input.parts.map((p) => partLoudness(p.path)));
  const parts = input.parts.map((p, i) => ({ path: p.path, seconds: p.seconds, lead: p.lead, gainDb: partGainDb(loudness[i]) }));
  const speech = speechIntervals(input.parts);
  const total = parts.reduce((sum, p) => sum + p.seconds, 0);
  const source = await resolveMusic({
    ffmpeg: ctx.ffmpeg.ffmpeg,
    choice: input.music ?? 'none',
    dir: ctx.musicDir,
    scratch: ctx.workspace.file('music.wav'),
    seconds: total,
    signal: ctx.signal,
  });
  if (!source) return { parts, loudness, speech, report: undefined };
  const gainDb = LOUDNESS_TARGET.integrated - BED_LEVEL.underSpeechDb - source.loudness;
  return {
    parts,
    loudness,
    speech,
    report: { choice: input.music!, loudness: source.loudness, gainDb },
    bed: { path: source.path, gainDb, duckDb: BED_LEVEL.duckDb },
  };
}

export async function renderSoundtrack(
  ctx: SoundtrackContext,
  input: { parts: NarrationInput[]; music?: string; audioKbps: number; out: string },
): Promise<SoundtrackReport> {
  const { parts, loudness, speech, report, bed } = await prepareMix(ctx, input);
  const mix = ctx.workspace.file('mix.f32');
  await runFfmpeg(ctx.ffmpeg.ffmpeg, buildMixArgs({ parts, music: bed, speech, out: mix }), { signal: ctx.signal });
  const raw = await readFloat(mix);
  const mixLoudness = integratedLoudness(raw, NARRATION_RATE);
  const mastered = masterToTarget(raw, NARRATION_RATE, LOUDNESS_TARGET.integrated, LIMITER_CEILING_DB);
  const pcm = ctx.workspace.file('master.f32');
  await writeFile(pcm, new Uint8Array(mastered.samples.buffer, mastered.samples.byteOffset, mastered.samples.byteLength));
  ctx.signal?.throwIfAborted();
  await runFfmpeg(ctx.ffmpeg.ffmpeg, buildEncodeArgs({ pcm, audioKbps: input.audioKbps, out: input.out }), { signal: ctx.signal });
  const masterGainDb = mastered.gainDb;
  return {
    parts: parts.map((p, i) => ({ loudness: loudness[i] ?? Number.NEGATIVE_INFINITY, gainDb: p.gainDb })),
    speech,
    mixLoudness,
    masterGainDb,
    ...(report ? { music: report } : {}),
  };
}
