/**
 * Pure argument builders for the video's one audio track, in two ffmpeg passes:
 * 1. the mix: each scene's narration resampled to 48 kHz mono, given its static gain (every scene
 *    at the same loudness), delayed by its lead-in and padded to exactly its scene's length, the
 *    scenes joined; under it the music bed, looped or cut to the video's length, faded in and out,
 *    and ducked by gain automation from the known speech times; written as raw 32-bit float PCM
 *    (no clipping before the master gain is known);
 * 2. the AAC encode (the final mux copies it) of the mastered PCM: between the two passes the
 *    caller brings the mix to the loudness target under a peak ceiling (src/media/limiter.ts).
 */
import { NARRATION_RATE, narrationEncoderArgs } from './audio-args.js';

export interface SoundtrackPart {
  path: string;
  /** The scene's whole length in the video (this part is padded or cut to it). */
  seconds: number;
  /** Seconds of silence before the narration starts within the scene. */
  lead: number;
  /** Static gain for this part, dB (brings every scene to the same loudness). */
  gainDb: number;
}

/** When someone speaks, in seconds of the video. */
export interface SpeechInterval {
  start: number;
  end: number;
}

export interface MusicBed {
  /** Any file ffmpeg reads; looped when shorter than the video. */
  path: string;
  /** Gain that puts the bed at its level between speech, dB. */
  gainDb: number;
  /** How much lower the bed is while someone speaks, dB. */
  duckDb: number;
}

/** The ducking's shape: down before speech starts, back up after it ends; pauses shorter than `bridge` stay down. */
export const DUCK = { attack: 0.15, release: 0.35, bridge: 0.4 } as const;
export const SPEECH_COMPRESSOR = 'acompressor=threshold=0.25:ratio=3:attack=5:release=80:knee=4';
export const MUSIC_FADE = { in: 1.0, out: 2.0 } as const;

const s6 = (n: number) => n.toFixed(6);
const db = (n: number) => `${n.toFixed(2)}dB`;

export function totalSeconds(parts: SoundtrackPart[]): number {
  return parts.reduce((sum, p) => sum + p.seconds, 0);
}

/** Speech intervals with the short pauses bridged (the bed does not pump between two close sentences). */
export function mergeSpeech(speech: SpeechInterval[], bridge: number = DUCK.bridge): SpeechInterval[] {
  const sorted = speech.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const merged: SpeechInterval[] = [];
  for (const s of sorted) {
    const last = merged.at(-1);
    if (last && s.start - last.end < bridge) last.end = Math.max(last.end, s.end);
    else merged.push({ ...s });
  }
  return merged;
}

/**
 * The bed's gain over time for the `volume` filter (evaluated per audio frame): 1 between speech,
 * 10^(-duckDb/20) while someone speaks, with linear ramps of DUCK.attack before and DUCK.release after.
 */
export function duckExpression(speech: SpeechInterval[], duckDb: number): string {
  const merged = mergeSpeech(speech);
  if (merged.length === 0 || duckDb <= 0) return '1';
  const { attack, release } = DUCK;
  const terms = merged.map((s) => `clip((t-${s6(s.start - attack)})/${attack},0,1)*clip((${s6(s.end + release)}-t)/${release},0,1)`);
  return `pow(10,-${duckDb.toFixed(3)}*min(1,${terms.join('+')})/20)`;
}

/** The filtergraph of pass 1: narration parts (inputs 0..n-1) and the optional bed (input n) into [mix]. */
export function mixGraph(input: {
  parts: SoundtrackPart[];
  music?: MusicBed;
  speech: SpeechInterval[];
  /** The bed alone, narration silenced (the bench measures the ducking on it). */
  muteNarration?: boolean;
  /** Input index of the first part (the bench's one-pass floor has the images first). */
  firstInput?: number;
}): string {
  const { parts, music } = input;
  const first = input.firstInput ?? 0;
  const total = totalSeconds(parts);
  const format = `aformat=sample_fmts=flt:channel_layouts=mono`;
  const chains = parts.map((part, i) => {
    const lead = Math.round(Math.max(0, part.lead) * NARRATION_RATE);
    const gain = input.muteNarration ? 'volume=0' : `volume=${db(part.gainDb)}`;
    return (
      `[${first + i}:a]aresample=${NARRATION_RATE},${format},${gain}` +
      (lead > 0 ? `,adelay=delays=${lead}S:all=1` : '') +
      `,apad=whole_dur=${s6(part.seconds)},atrim=end=${s6(part.seconds)},asetpts=N/SR/TB[n${i}]`
    );
  });
  const labels = parts.map((_, i) => `[n${i}]`).join('');
  // a gentle voice-over compressor (the parts are already at the target's level): speech peaks
  // stand 15-19 dB over its loudness, so the limiter has less to do
  const narration = `${labels}concat=n=${parts.length}:v=0:a=1,${SPEECH_COMPRESSOR}`;
  if (!music) return `${chains.join(';')};${narration}[mix]`;
  const fadeOut = Math.min(MUSIC_FADE.out, total / 2);
  const fadeIn = Math.min(MUSIC_FADE.in, total / 2);
  const bed =
    `[${first + parts.length}:a]aresample=${NARRATION_RATE},${format},atrim=end=${s6(total)},asetpts=N/SR/TB,` +
    `volume=${db(music.gainDb)},volume='${duckExpression(input.speech, music.duckDb)}':eval=frame,` +
    `afade=t=in:d=${s6(fadeIn)},afade=t=out:st=${s6(total - fadeOut)}:d=${s6(fadeOut)}[bed]`;
  return `${chains.join(';')};${narration}[voice];${bed};[voice][bed]amix=inputs=2:duration=first:normalize=0[mix]`;
}

/**
 * The master in one ffmpeg filter chain (a fixed gain, then a sample-peak limiter): the bench's
 * one-pass floor does the same filtering work as the soundtrack's mastering, without its measuring.
 */
export function onePassMaster(gainDb: number, ceilingDb: number): string {
  return `volume=${db(gainDb)},alimiter=limit=${(10 ** (ceilingDb / 20)).toFixed(5)}:attack=5:release=80:level=0:latency=1`;
}

/** Pass 1: the mix as raw 32-bit float mono PCM at 48 kHz (`out`). */
export function buildMixArgs(input: {
  parts: SoundtrackPart[];
  music?: MusicBed;
  speech: SpeechInterval[];
  out: string;
  muteNarration?: boolean;
}): string[] {
  return [
    ...input.parts.flatMap((part) => ['-i', part.path]),
    ...(input.music ? ['-stream_loop', '-1', '-i', input.music.path] : []),
    '-filter_complex',
    mixGraph(input),
    '-map',
    '[mix]',
    '-f',
    'f32le',
    '-ar',
    String(NARRATION_RATE),
    '-ac',
    '1',
    input.out,
  ];
}

/** Pass 2: the mastered PCM (src/media/limiter.ts) encoded as the AAC the final mux copies. */
export function buildEncodeArgs(input: { pcm: string; audioKbps: number; out: string }): string[] {
  return ['-f', 'f32le', '-ar', String(NARRATION_RATE), '-ac', '1', '-i', input.pcm, ...narrationEncoderArgs(input.audioKbps), input.out];
}
