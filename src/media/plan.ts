/**
 * How big the video may be decides how it is encoded: the bitrate comes from the size limit and
 * the real duration, and the resolution from the bitrate (1080p only when there are bits for it).
 */
import type { Aspect } from '../core/story.js';
import type { EncodingPlan } from '../core/timeline.js';

export type { EncodingPlan };

/**
 * 24 frames a second, not 30: a fifth less to encode and to move (every frame of a shot is
 * resampled at sub-pixel precision, media/motion.ts), and the rate of cinema.
 */
export const FPS = 24;
/** Share of the limit the streams may use; the rest is container overhead and encoder overshoot. */
const SAFETY = 0.9;
const MIN_VIDEO_KBPS = 100;
/** Mono speech stays clear at 64 kbit/s AAC; only the tightest budgets use it. */
const MIN_AUDIO_KBPS = 64;
const MAX_VIDEO_KBPS = 6000;
/** Below this many kbit/s, 1080p looks worse than 720p. */
const FULL_HD_KBPS = 2500;

const SIZES: Record<Aspect, { sd: [number, number]; hd: [number, number] }> = {
  '9:16': { sd: [720, 1280], hd: [1080, 1920] },
  '16:9': { sd: [1280, 720], hd: [1920, 1080] },
  '1:1': { sd: [720, 720], hd: [1080, 1080] },
};

export function planEncoding(input: { aspect: Aspect; maxBytes: number; durationSeconds: number }): EncodingPlan {
  const seconds = Math.max(1, input.durationSeconds);
  const totalKbps = (input.maxBytes * 8 * SAFETY) / seconds / 1000;
  const audioKbps = totalKbps >= 1500 ? 128 : totalKbps >= 600 ? 96 : MIN_AUDIO_KBPS;
  const videoKbps = Math.round(Math.min(MAX_VIDEO_KBPS, Math.max(MIN_VIDEO_KBPS, totalKbps - audioKbps)));
  const [width, height] = videoKbps >= FULL_HD_KBPS ? SIZES[input.aspect].hd : SIZES[input.aspect].sd;
  return { width, height, fps: FPS, videoKbps, audioKbps };
}

/** A size for people: "9.5 MiB", or "29 KiB" below one MiB. */
export function formatSize(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.round(bytes / 1024)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** The longest video that fits in `maxBytes` at the lowest rates this plan uses (10 MiB: 7.7 min). */
export function longestFitSeconds(maxBytes: number): number {
  return (maxBytes * 8 * SAFETY) / 1000 / (MIN_VIDEO_KBPS + MIN_AUDIO_KBPS);
}

/** A second try after the file came out `actualBytes` big: scale the video rate down with margin. */
export function refitPlan(plan: EncodingPlan, actualBytes: number, maxBytes: number): EncodingPlan {
  const ratio = (maxBytes / actualBytes) * 0.9;
  return { ...plan, videoKbps: Math.max(MIN_VIDEO_KBPS / 2, Math.floor(plan.videoKbps * ratio)) };
}
