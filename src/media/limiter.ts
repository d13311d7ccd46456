/**
 * The master stage, in TS on the mix's float PCM: a look-ahead peak limiter and the gain that puts
 * the limited signal at a loudness target. Limiting lowers loudness, so the gain is found by
 * iteration (measure, correct by a secant step, limit again: within 0.1 LU in two or three rounds), which a one-shot
 * ffmpeg `volume,alimiter` cannot do. The limiter never lets a sample past the ceiling: each
 * sample's needed gain is taken as the minimum over +-5 ms, then averaged over 5 ms (so the gain
 * ramps down smoothly before a peak and is still under what every sample near it needs), then
 * released exponentially (80 ms).
 */
import { integratedLoudness } from './loudness.js';

const LOOKAHEAD_SECONDS = 0.005;
const RELEASE_SECONDS = 0.08;
const MAX_ROUNDS = 6;
// 0.1 LU: far inside what a listener or a platform's normaliser notices (targets are +-1 LU); each
// round more is a limiter pass and a loudness measurement over the whole mix
const TOLERANCE_LU = 0.1;

/**
 * Each sample's peak neighbourhood: the largest |sample| within +-LOOKAHEAD (van Herk / Gil-Werman,
 * two sweeps, O(n)). It does not depend on the gain, so it is computed once for every round.
 */
export function peakEnvelope(samples: Float32Array, rate: number): Float32Array {
  const n = samples.length;
  const radius = Math.max(1, Math.round(LOOKAHEAD_SECONDS * rate));
  const width = 2 * radius + 1;
  const forward = new Float32Array(n);
  const backward = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = Math.abs(samples[i] as number);
    forward[i] = i % width === 0 || v > (forward[i - 1] as number) ? v : (forward[i - 1] as number);
  }
  for (let i = n - 1; i >= 0; i--) {
    const v = Math.abs(samples[i] as number);
    backward[i] = i === n - 1 || (i + 1) % width === 0 || v > (backward[i + 1] as number) ? v : (backward[i + 1] as number);
  }
  // [i - radius, i + radius] spans at most two blocks (at the ends, a clipped window may read a
  // little further: a larger peak, so more limiting, never less)
  for (let i = 0; i < n; i++) {
    const lo = backward[Math.max(i - radius, 0)] as number;
    const hi = forward[i + radius >= n ? n - 1 : i + radius] as number;
    forward[i] = Math.max(lo, hi);
  }
  // forward[] was overwritten front to back, and each write only read forward[i + radius] ahead of it
  return forward;
}

/**
 * `samples` x `gain`, limited to `ceiling` (linear), into `out`; `envelope` from peakEnvelope;
 * `allowed` a scratch array of the same length (kept across rounds: a 60 s mix is 2.9 M samples).
 */
function limitInto(
  out: Float32Array,
  samples: Float32Array,
  envelope: Float32Array,
  gain: number,
  ceiling: number,
  rate: number,
  allowed = new Float32Array(samples.length),
): void {
  const n = samples.length;
  const threshold = ceiling / gain;
  // the gain each sample's neighbourhood allows, once per sample; averaged over +-half it is still
  // under what the centre needs
  for (let i = 0; i < n; i++) {
    const peak = envelope[i] as number;
    allowed[i] = peak > threshold ? threshold / peak : 1;
  }
  const half = Math.max(1, Math.floor(Math.round(LOOKAHEAD_SECONDS * rate) / 2));
  const release = 1 - Math.exp(-1 / (RELEASE_SECONDS * rate));
  let sum = 0;
  for (let i = 0; i < half && i < n; i++) sum += allowed[i] as number;
  let g = 1;
  for (let i = 0; i < n; i++) {
    if (i + half < n) sum += allowed[i + half] as number;
    if (i - half - 1 >= 0) sum -= allowed[i - half - 1] as number;
    const count = (i + half < n ? i + half : n - 1) - Math.max(i - half, 0) + 1;
    const smoothed = sum / count;
    const released = g + (1 - g) * release;
    g = Math.min(smoothed, released);
    out[i] = (samples[i] as number) * gain * g;
  }
}

/** `samples` x `gain`, limited to `ceiling` (linear); a new array. */
export function limit(samples: Float32Array, gain: number, ceiling: number, rate: number): Float32Array {
  const out = new Float32Array(samples.length);
  limitInto(out, samples, peakEnvelope(samples, rate), gain, ceiling, rate);
  return out;
}

export interface Mastered {
  samples: Float32Array;
  /** The gain applied before the limiter, dB. */
  gainDb: number;
  /** The result's integrated loudness, LUFS. */
  loudness: number;
  /** How many times the signal was limited and measured. */
  rounds: number;
}

/** The gain (and limiting) that brings `samples` to `target` LUFS with no sample over `ceilingDb` dBFS. */
export function masterToTarget(samples: Float32Array, rate: number, target: number, ceilingDb: number): Mastered {
  const ceiling = 10 ** (ceilingDb / 20);
  const before = integratedLoudness(samples, rate);
  if (!Number.isFinite(before)) return { samples, gainDb: 0, loudness: before, rounds: 0 };
  // limiting makes loudness grow slower than gain: secant steps on (gain, loudness), slope kept in [0.2, 1]
  let gainDb = target - before;
  const envelope = peakEnvelope(samples, rate);
  const out = new Float32Array(samples.length);
  const scratch = new Float32Array(samples.length);
  limitInto(out, samples, envelope, 10 ** (gainDb / 20), ceiling, rate, scratch);
  let loudness = integratedLoudness(out, rate);
  let previous = { gainDb: 0, loudness: before };
  let rounds = 1;
  for (; rounds <= MAX_ROUNDS && Math.abs(target - loudness) > TOLERANCE_LU; rounds++) {
    const slope = Math.min(1, Math.max(0.2, (loudness - previous.loudness) / (gainDb - previous.gainDb || 1)));
    previous = { gainDb, loudness };
    gainDb += (target - loudness) / slope;
    limitInto(out, samples, envelope, 10 ** (gainDb / 20), ceiling, rate, scratch);
    loudness = integratedLoudness(out, rate);
  }
  return { samples: out, gainDb, loudness, rounds };
}
