/**
 * Loudness as ITU-R BS.1770-4 / EBU R128 measure it, computed on PCM we already hold (no ffmpeg):
 * K-weighting (a high shelf and a high pass, coefficients for any sample rate the way libebur128
 * derives them), mean square over 400 ms blocks overlapping by 75%, the absolute gate at -70 LUFS
 * and the relative gate 10 LU under the gated mean. Mono only (every narration here is mono).
 * Also reads the summary ffmpeg's `ebur128` filter prints, for measuring what ffmpeg produced.
 */
import type { Pcm } from '../core/wav.js';

/** Samples of a 16-bit PCM buffer, channels averaged, as floats in [-1, 1). */
export function pcmToFloat(pcm: Pcm): Float32Array {
  const { channels } = pcm;
  const frames = Math.floor(pcm.samples.length / (2 * channels));
  const bytes = pcm.samples;
  // a view when the samples are 2-byte aligned (they are in any WAV read into its own buffer), else a copy
  const ints =
    bytes.byteOffset % 2 === 0
      ? new Int16Array(bytes.buffer, bytes.byteOffset, frames * channels)
      : new Int16Array(Uint8Array.prototype.slice.call(bytes, 0, frames * channels * 2).buffer);
  const out = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += ints[i * channels + c] as number;
    out[i] = sum / channels / 32768;
  }
  return out;
}

interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

/** The two K-weighting stages for a sample rate (libebur128's analogue prototypes, bilinear transform). */
function kWeighting(rate: number): [Biquad, Biquad] {
  let f0 = 1681.974450955533;
  const gainDb = 3.999843853973347;
  let q = 0.7071752369554196;
  let k = Math.tan((Math.PI * f0) / rate);
  const vh = 10 ** (gainDb / 20);
  const vb = vh ** 0.4996667741545416;
  let a0 = 1 + k / q + k * k;
  const shelf: Biquad = {
    b0: (vh + (vb * k) / q + k * k) / a0,
    b1: (2 * (k * k - vh)) / a0,
    b2: (vh - (vb * k) / q + k * k) / a0,
    a1: (2 * (k * k - 1)) / a0,
    a2: (1 - k / q + k * k) / a0,
  };
  f0 = 38.13547087602444;
  q = 0.5003270373238773;
  k = Math.tan((Math.PI * f0) / rate);
  a0 = 1 + k / q + k * k;
  const highPass: Biquad = { b0: 1, b1: -2, b2: 1, a1: (2 * (k * k - 1)) / a0, a2: (1 - k / q + k * k) / a0 };
  return [shelf, highPass];
}

const toLufs = (meanSquare: number) => -0.691 + 10 * Math.log10(meanSquare);

/**
 * Mean squares of the K-weighted signal over 400 ms blocks, a new block every 100 ms: both
 * filter stages and the squares in one loop over the samples, no array as long as the signal.
 */
function blockPowers(samples: Float32Array, rate: number): number[] {
  const [f, g] = kWeighting(rate);
  // coefficients in locals: the loop below is the hot one
  const { b0: fb0, b1: fb1, b2: fb2, a1: fa1, a2: fa2 } = f;
  const { b0: gb0, b1: gb1, b2: gb2, a1: ga1, a2: ga2 } = g;
  const step = Math.round(rate * 0.1);
  const steps: number[] = [];
  let x1 = 0;
  let x2 = 0;
  let y1 = 0;
  let y2 = 0;
  let z1 = 0;
  let z2 = 0;
  let sum = 0;
  let inStep = 0;
  for (let i = 0; i < samples.length; i++) {
    const x = samples[i] as number;
    const y = fb0 * x + fb1 * x1 + fb2 * x2 - fa1 * y1 - fa2 * y2;
    x2 = x1;
    x1 = x;
    const z = gb0 * y + gb1 * y1 + gb2 * y2 - ga1 * z1 - ga2 * z2;
    y2 = y1;
    y1 = y;
    z2 = z1;
    z1 = z;
    sum += z * z;
    if (++inStep === step) {
      steps.push(sum);
      sum = 0;
      inStep = 0;
    }
  }
  const powers: number[] = [];
  for (let s = 0; s + 4 <= steps.length; s++) powers.push((steps[s]! + steps[s + 1]! + steps[s + 2]! + steps[s + 3]!) / (4 * step));
  return powers;
}

/** Integrated (gated) loudness in LUFS; -Infinity for silence or anything shorter than one 400 ms block. */
export function integratedLoudness(samples: Float32Array, rate: number): number {
  const powers = blockPowers(samples, rate).filter((p) => p > 0 && toLufs(p) > -70);
  if (powers.length === 0) return Number.NEGATIVE_INFINITY;
  const relative = toLufs(powers.reduce((a, b) => a + b, 0) / powers.length) - 10;
  const gated = powers.filter((p) => toLufs(p) > relative);
  return toLufs(gated.reduce((a, b) => a + b, 0) / gated.length);
}

/** What ffmpeg's `ebur128=peak=true` says in its summary: integrated loudness (LUFS) and true peak (dBTP). */
export interface Ebur128Summary {
  integrated: number;
  truePeak?: number;
}

/** The last summary in ffmpeg's log (`-af ebur128=peak=true -f null -`); undefined if none. */
export function parseEbur128Summary(log: string): Ebur128Summary | undefined {
  const at = log.lastIndexOf('Summary:');
  if (at < 0) return undefined;
  const summary = log.slice(at);
  const integrated = /I:\s+(-?[\d.]+|-inf)\s+LUFS/.exec(summary)?.[1];
  if (integrated === undefined) return undefined;
  const peak = /True peak:\s+Peak:\s+(-?[\d.]+|-inf)\s+dBFS/.exec(summary)?.[1];
  const num = (v: string) => (v === '-inf' ? Number.NEGATIVE_INFINITY : Number(v));
  return { integrated: num(integrated), ...(peak !== undefined ? { truePeak: num(peak) } : {}) };
}
