/**
 * The master stage, in TS on the mix's float PCM: a look-ahead peak limiter and the gain that puts
 * the limited signal at a loudness target. Limiting lowers loudness, so the gain is found by
 * iteration (measure, correct by a secant step, limit again: within 0.05 LU in two to four rounds), which a one-shot
 * ffmpeg `volume,alimiter` cannot do. The limiter never lets a sample past the ceiling: each
 * sample's needed gain is taken as the minimum over +-5 ms, then averaged over 5 ms (so the gain
 * ramps down smoothly before a peak and is still under what every sample near it needs), then
 * released exponentially (80 ms).
 */
import { integratedLoudness } from './loudness.js';

const LOOKAHEAD_SECONDS = 0.005;
const RELEASE_SECONDS = 0.08;
const MAX_ROUNDS = 6;
const TOLERANCE_LU = 0.05;

/** Sliding minimum of `values` over [i - radius, i + radius] (monotonic deque, O(n)). */
function slidingMin(values: Float32Array, radius: number): Float32Array {
  const n = values.length;
  const out = new Float32Array(n);
  const deque = new Int32Array(n + 2 * radius + 1);
  let head = 0;
  let tail = 0;
  for (let j = 0; j < n + radius; j++) {
    if (j < n) {
      while (tail > head && values[deque[tail - 1]!]! >= values[j]!) tail--;
      deque[tail++] = j;
    }
    const i = j - radius;
    if (i < 0) continue;
    while (deque[head]! < i - radius) head++;
    out[i] = values[deque[head]!]!;
  }
  return out;
}

/** `samples` x `gain`, limited to `ceiling` (linear); a new array. */
export function limit(samples: Float32Array, gain: number, ceiling: number, rate: number): Float32Array {
  const n = samples.length;
  const radius = Math.max(1, Math.round(LOOKAHEAD_SECONDS * rate));
  const need = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = Math.abs(samples[i]! * gain);
    need[i] = a > ceiling ? ceiling / a : 1;
  }
  const minimum = slidingMin(need, radius);
  // box average over +-radius/2: every value in it is <= the need of the centre sample
  const half = Math.max(1, Math.floor(radius / 2));
  const release = 1 - Math.exp(-1 / (RELEASE_SECONDS * rate));
  const out = new Float32Array(n);
  let sum = 0;
  for (let i = 0; i < Math.min(n, half); i++) sum += minimum[i]!;
  let g = 1;
  for (let i = 0; i < n; i++) {
    const add = i + half;
    const drop = i - half - 1;
    if (add < n) sum += minimum[add]!;
    if (drop >= 0) sum -= minimum[drop]!;
    const count = Math.min(n - 1, i + half) - Math.max(0, i - half) + 1;
    const smoothed = Math.min(sum / count, need[i]!);
    g = Math.min(smoothed, g + (1 - g) * release);
    out[i] = samples[i]! * gain * g;
  }
  return out;
}

export interface Mastered {
  samples: Float32Array;
  /** The gain applied before the limiter, dB. */
  gainDb: number;
  /** The result's integrated loudness, LUFS. */
  loudness: number;
}

/** The gain (and limiting) that brings `samples` to `target` LUFS with no sample over `ceilingDb` dBFS. */
export function masterToTarget(samples: Float32Array, rate: number, target: number, ceilingDb: number): Mastered {
  const ceiling = 10 ** (ceilingDb / 20);
  const before = integratedLoudness(samples, rate);
  if (!Number.isFinite(before)) return { samples, gainDb: 0, loudness: before };
  // limiting makes loudness grow slower than gain: secant steps on (gain, loudness), slope kept in [0.2, 1]
  let gainDb = target - before;
  let out = limit(samples, 10 ** (gainDb / 20), ceiling, rate);
  let loudness = integratedLoudness(out, rate);
  let previous = { gainDb: 0, loudness: before };
  for (let round = 0; round < MAX_ROUNDS && Math.abs(target - loudness) > TOLERANCE_LU; round++) {
    const slope = Math.min(1, Math.max(0.2, (loudness - previous.loudness) / (gainDb - previous.gainDb || 1)));
    previous = { gainDb, loudness };
    gainDb += (target - loudness) / slope;
    out = limit(samples, 10 ** (gainDb / 20), ceiling, rate);
    loudness = integratedLoudness(out, rate);
  }
  return { samples: out, gainDb, loudness };
}
