/**
 * The bench's sound figures (issue 20, items 6-7), on the pipeline's own video:
 * - loudness: integrated (LUFS) and true peak (dBTP), measured by ffmpeg's `ebur128=peak=true`;
 * - ducking: the music bed alone (the same mix graph with the narration silenced, on the video's
 *   own timeline and music), its level while someone speaks against its level between speech,
 *   ramps and fades left out;
 * - cost: the soundtrack (both passes and the TS mastering) on stand-in narration with the same
 *   timeline, CPU-seconds, against the old narration-only graph.
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import type { FfmpegBinaries } from '../media/binaries.js';
import { parseEbur128Summary } from '../media/loudness.js';
import { NARRATION_RATE, buildNarrationArgs } from '../media/audio-args.js';
import { buildMixArgs, DUCK, MUSIC_FADE, mergeSpeech, type SpeechInterval } from '../media/soundtrack-args.js';
import { runFfmpeg } from '../media/run.js';
import { prepareMix, renderSoundtrack, type NarrationInput } from '../engine/soundtrack.js';
import { silentWav } from '../engine/silence.js';
import type { Workspace } from '../engine/workspace.js';
import { cpuSince, cpuTimes } from './process-usage.js';

export interface SoundReport {
  music: string;
  integratedLufs: number;
  truePeakDbtp: number;
  /** The bed's level (dBFS RMS, on the bed alone) while someone speaks and between speech; undefined between when there is no pause long enough to measure. */
  ducking: { speechDb: number; betweenDb?: number; depthDb?: number; betweenSeconds: number; undockedDb?: number; underSpeechDb?: number };
  /** CPU-seconds of the soundtrack (ffmpeg passes + node's mastering) and of the old narration-only graph, on the same timeline. */
  cost: { soundtrackCpuSeconds: number; soundtrackNodeCpuSeconds: number; narrationOnlyCpuSeconds: number };
}

/** ffmpeg's ebur128 summary of a file (it logs to stderr). */
export function measureLoudness(ffmpeg: string, path: string): Promise<{ integrated: number; truePeak?: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, ['-hide_banner', '-nostats', '-i', path, '-af', 'ebur128=peak=true:framelog=verbose', '-f', 'null', '-']);
    let log = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
    child.on('error', reject);
    child.on('close', () => {
      const summary = parseEbur128Summary(log);
      if (summary) resolve(summary);
      else reject(new Error(`no ebur128 summary for ${path}`));
    });
  });
}

/** Mean power (dB) of the samples inside `windows` (seconds). */
function windowsDb(samples: Float32Array, rate: number, windows: SpeechInterval[]): { db: number; seconds: number } {
  let sum = 0;
  let count = 0;
  for (const w of windows) {
    const to = Math.min(samples.length, Math.round(w.end * rate));
    for (let i = Math.max(0, Math.round(w.start * rate)); i < to; i++) sum += (samples[i] as number) ** 2;
    count += Math.max(0, to - Math.round(w.start * rate));
  }
  return { db: count ? 10 * Math.log10(sum / count + 1e-20) : Number.NEGATIVE_INFINITY, seconds: count / rate };
}

/**
 * The bed's level while someone speaks against between speech: speech windows are the (bridged)
 * speech intervals, between windows the rest, both without the duck's ramps and the fades.
 */
export function duckingDepth(bed: Float32Array, rate: number, speech: SpeechInterval[], total: number): SoundReport['ducking'] {
  const merged = mergeSpeech(speech);
  const during = merged.map((s) => ({ start: s.start, end: s.end })).filter((w) => w.end > w.start);
  const between: SpeechInterval[] = [];
  let at: number = MUSIC_FADE.in;
  for (const s of merged) {
    between.push({ start: at, end: s.start - DUCK.attack });
    at = Math.max(at, s.end + DUCK.release * 2);
  }
  between.push({ start: at, end: total - MUSIC_FADE.out });
  const gaps = between.filter((w) => w.end - w.start >= 0.1);
  const speechLevel = windowsDb(bed, rate, during);
  const betweenLevel = gaps.length ? windowsDb(bed, rate, gaps) : undefined;
  const r = (n: number) => Number(n.toFixed(1));
  return {
    speechDb: r(speechLevel.db),
    betweenSeconds: r(betweenLevel?.seconds ?? 0),
    ...(betweenLevel ? { betweenDb: r(betweenLevel.db), depthDb: r(betweenLevel.db - speechLevel.db) } : {}),
  };
}

/** Stand-in narration for the cost figure: noise of each scene's spoken length, 24 kHz mono like Inworld's. */
async function standInNarration(ffmpeg: string, workspace: Workspace, scenes: NarrationInput[]): Promise<NarrationInput[]> {
  return Promise.all(
    scenes.map(async (s, i) => {
      const path = workspace.file(`bench-voice-${i}.wav`);
      const args = ['-f', 'lavfi', '-i', `anoisesrc=c=pink:r=24000:a=0.1:seed=${i + 1}:d=${s.spokenSeconds.toFixed(3)}`, '-ac', '1', path];
      await runFfmpeg(ffmpeg, args);
      return { ...s, path };
    }),
  );
}

export async function measureSound(input: {
  ffmpeg: FfmpegBinaries;
  video: string;
  /** Each scene's length, lead-in and spoken seconds, as the video's timeline has them. */
  scenes: { seconds: number; lead: number; spokenSeconds: number }[];
  music: string;
  musicDir: string;
  workspace: Workspace;
  audioKbps: number;
}): Promise<SoundReport> {
  const { ffmpeg, workspace } = input;
  const loudness = await measureLoudness(ffmpeg.ffmpeg, input.video);
  const silent = workspace.file('bench-silent.wav');
  await writeFile(silent, silentWav(0.1));
  const timeline = input.scenes.map((s) => ({ path: silent, ...s }));
  const ctx = { ffmpeg, workspace, musicDir: input.musicDir };
  const { parts, speech, bed } = await prepareMix(ctx, { parts: timeline, music: input.music });
  const stem = workspace.file('bench-bed.f32');
  await runFfmpeg(ffmpeg.ffmpeg, buildMixArgs({ parts, music: bed, speech, out: stem, muteNarration: true }));
  const bytes = await readFile(stem);
  const samples = new Float32Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.length / 4));
  const total = timeline.reduce((sum, s) => sum + s.seconds, 0);
  const ducking = duckingDepth(samples, NARRATION_RATE, speech, total);
  // the same bed with nobody speaking, in the same windows: how far the duck takes it down, on a
  // story whose pauses are too short to measure the bed between speech
  const flat = workspace.file('bench-bed-flat.f32');
  await runFfmpeg(ffmpeg.ffmpeg, buildMixArgs({ parts, music: bed, speech: [], out: flat, muteNarration: true }));
  const flatBytes = await readFile(flat);
  const undocked = duckingDepth(
    new Float32Array(flatBytes.buffer, flatBytes.byteOffset, Math.floor(flatBytes.length / 4)),
    NARRATION_RATE,
    speech,
    total,
  );
  ducking.undockedDb = undocked.speechDb;
  ducking.underSpeechDb = Number((undocked.speechDb - ducking.speechDb).toFixed(1));

  const voices = await standInNarration(ffmpeg.ffmpeg, workspace, timeline);
  const before = cpuTimes();
  await renderSoundtrack(ctx, { parts: voices, music: input.music, audioKbps: input.audioKbps, out: workspace.file('bench-sound.m4a') });
  const sound = cpuSince(before);
  const old = cpuTimes();
  await runFfmpeg(ffmpeg.ffmpeg, buildNarrationArgs({ inputs: voices, audioKbps: input.audioKbps, out: workspace.file('bench-old.m4a') }));
  const narrationOnly = cpuSince(old);
  const r2 = (n: number) => Number(n.toFixed(2));
  return {
    music: input.music,
    integratedLufs: loudness.integrated,
    truePeakDbtp: loudness.truePeak ?? Number.NaN,
    ducking,
    cost: {
      soundtrackCpuSeconds: r2(sound.self + sound.children),
      soundtrackNodeCpuSeconds: r2(sound.self),
      narrationOnlyCpuSeconds: r2(narrationOnly.self + narrationOnly.children),
    },
  };
}

export function formatSound(s: SoundReport): string {
  const d = s.ducking;
  const rows: [string, string, string][] = [
    ['loudness (ebur128)', `${s.integratedLufs} LUFS, true peak ${s.truePeakDbtp} dBTP`, 'target -14 +-2 LUFS, <= -1 dBTP'],
    [
      `music "${s.music}": bed under speech / between`,
      d.depthDb === undefined
        ? `${d.speechDb} dB / no pause of 0.1 s or more`
        : `${d.speechDb} / ${d.betweenDb} dB (${d.betweenSeconds} s between): ducked ${d.depthDb} dB`,
      'target >= 6 dB',
    ],
    [
      'music ducked under speech',
      d.underSpeechDb === undefined ? 'not measured' : `${d.underSpeechDb} dB (${d.undockedDb} dB with nobody speaking)`,
      'target >= 6 dB',
    ],
    [
      'soundtrack CPU (mix, master, AAC)',
      `${s.cost.soundtrackCpuSeconds} CPU s (node ${s.cost.soundtrackNodeCpuSeconds})`,
      `narration alone was ${s.cost.narrationOnlyCpuSeconds} CPU s`,
    ],
  ];
  return rows.map(([a, b, c]) => `${a.padEnd(36)} ${b.padEnd(44)} ${c}`).join('\n') + '\n';
}
