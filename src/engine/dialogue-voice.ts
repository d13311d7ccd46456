/**
 * A scene read by several voices (the narrator and its characters): each segment is its own
 * request to the same provider (cached on its own), and the parts are joined into one WAV with
 * every word's timing shifted by the audio before it. Compressed parts (Edge's MP3) are decoded
 * by ffmpeg first.
 */
import type { Speech } from '../providers/types.js';
import type { WordTiming } from '../core/story.js';
import { readWav, type Pcm } from '../core/wav.js';
import { joinParts } from '../providers/voices/inworld.js';
import { speakableText } from '../providers/voices/speakable-text.js';
import { decodeToPcm } from '../media/decode-to-wav.js';

export interface VoiceSegment {
  text: string;
  /** The primary provider's voice for it; undefined: the narrator's. */
  voice?: string;
  /** The stand-in's voice for it; undefined: the narrator's. */
  fallbackVoice?: string;
}

export interface SegmentSpeech {
  speech: Speech;
  cached: boolean;
  key: string;
}

export interface JoinContext {
  /** ffmpeg, to decode compressed parts (required only when a part is not WAV). */
  ffmpeg?: string;
  /** A path in the job's workspace for a scratch file of this name. */
  file(name: string): string;
  scene: number;
  signal?: AbortSignal;
  /** Words of a part without its own timings (estimated from its audio). */
  timed(speech: Speech, text: string): { words?: WordTiming[]; timings: string };
}

/** Decoded parts share the first WAV part's rate (Edge: 24 kHz). */
const DEFAULT_RATE = 24_000;

/**
 * Every segment spoken by `speak` (in parallel: the provider's gate bounds it), then joined.
 * `fallback` picks the stand-in's voices. Throws when a segment cannot be spoken.
 */
export async function speakSegments(
  segments: readonly VoiceSegment[],
  fallback: boolean,
  speak: (text: string, voice: string | undefined) => Promise<SegmentSpeech>,
  ctx: JoinContext,
): Promise<SegmentSpeech & { value: Speech }> {
  const spoken = segments
    .map((s) => ({ text: speakableText(s.text), voice: fallback ? s.fallbackVoice : s.voice }))
    .filter((s) => s.text !== '');
  const results = await Promise.all(spoken.map((s) => speak(s.text, s.voice)));
  const rate = results.map((r) => (r.speech.format === 'wav' ? readWav(r.speech.audio)?.sampleRate : undefined)).find(Boolean);
  const parts = await Promise.all(
    results.map(async (r, i) => {
      const pcm = await toPcm(r.speech, rate ?? DEFAULT_RATE, i, ctx);
      const timed = ctx.timed(r.speech, spoken[i]!.text);
      return { pcm, words: timed.words, estimated: timed.timings === 'estimated' };
    }),
  );
  const joined = joinParts(parts, 'voices');
  return {
    speech: joined,
    value: joined,
    cached: results.every((r) => r.cached),
    key: results.map((r) => r.key).join('+'),
  };
}

async function toPcm(speech: Speech, rate: number, i: number, ctx: JoinContext): Promise<Pcm> {
  const wav = speech.format === 'wav' ? readWav(speech.audio) : undefined;
  if (wav && wav.sampleRate === rate && wav.channels === 1) return wav;
  if (!ctx.ffmpeg) throw new Error(`a ${speech.format} part cannot be joined without ffmpeg`);
  const name = `voice-${ctx.scene}-part-${i}`;
  return decodeToPcm(
    ctx.ffmpeg,
    speech.audio,
    { input: ctx.file(`${name}.${speech.format}`), output: ctx.file(`${name}.wav`) },
    { sampleRate: rate, signal: ctx.signal },
  );
}
