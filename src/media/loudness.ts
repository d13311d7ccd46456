/**
 * Loudness as ITU-R BS.1770-4 / EBU R128 measure it, computed on PCM we already hold (no ffmpeg):
 * K-weighting (a high shelf and a high pass, coefficients for any sample rate the way libebur128
 * derives them), mean square over 400 ms blocks overlapping by 75%, the absolute gate at -70 LUFS
 * and the relative gate 10 LU under the gated mean. Mono only (every narration here is mono).
 * Also reads the summary ffmpeg's `ebur128` filter prints, for measuring what ffmpeg produced.
 */
import type { Pcm } from '../providers/voices/wav.js';

/** Samples of a 16-bit PCM buffer, channels averaged, as floats in [-1, 1). */
export function pcmToFloat(pcm: Pcm): Float32Array {
  const frames = Math.floor(pcm.samples.length / (2 * pcm.channels));
  const out = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < pcm.channels; c++) sum += pcm.samples.readInt16LE((i * pcm.channels + c) * 2);
    out[i] = sum / pcm.channels / 32768;
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

function filter(input: Float32Array, f: Biquad): Float64Array {
  const out = new Float64Array(input.length);
  let x1 = 0;
  let x2 = 0;
  let y1 = 0;
  let y2 = 0;
  for (let i = 0; i < input.length; i++) {
    const x = input[i]!;
    const y = f.b0 * x + f.b1 * x1 + f.b2 * x2 - f.a1 * y1 - f.a2 * y2;
    x2 = x1;
    x1 = x;
    y2 = y1;
    y1 = y;
    out[i] = y;
  }
  return out;
}

const toLufs = (meanSquare: number) => -0.691 + 10 * Math.log10(meanSquare);

/** Mean squares of the K-weighted signal over 400 ms blocks, a new block every 100 ms. */
function blockPowers(samples: Float32Array, rate: number): number[] {
  const [shelf, highPass] = kWeighting(rate);
  const weighted = filter(Float32Array.from(filter(samples, shelf)), highPass);
  const step = Math.round(rate * 0.1);
  const block = step * 4;
  // running sums of squares per 100 ms step, then each block sums four of them
  const steps: number[] = [];
  for (let start = 0; start + step <= weighted.length; start += step) {
    let sum = 0;
    for (let i = start; i < start + step; i++) sum += weighted[i]! * weighted[i]!;
    steps.push(sum);
  }
  const powers: number[] = [];
  for (let s = 0; s + 4 <= steps.length; s++) powers.push((steps[s]! + steps[s + 1]! + steps[s + 2]! + steps[s + 3]!) / block);
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
