import { writeWav } from '../core/wav.js';

/** A silent mono 16-bit WAV: the narration of a scene whose every voice failed. */
export function silentWav(seconds: number, sampleRate = 24_000): Buffer {
  const samples = Math.max(1, Math.round(seconds * sampleRate));
  return writeWav({ sampleRate, channels: 1, samples: Buffer.alloc(samples * 2) });
}

/** How long a text takes to say, roughly: for a silent stand-in and for early size plans. */
export function estimateSpeechSeconds(text: string): number {
  const words = text.split(/\s+/).filter(Boolean).length;
  const cjk = (text.match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu) ?? []).length;
  return Math.max(1.5, words / 2.6 + cjk / 5);
}
