/**
 * How smoothly a picture moves (issue 20): for each pair of consecutive frames, the shift of the
 * picture by phase correlation (the peak of the normalised cross-power spectrum's inverse FFT,
 * refined to a fraction of a pixel by a parabola through the peak and its neighbours), then
 * - held: frames whose shift is under a quarter of the shot's mean (a stutter: the picture stood);
 * - uneven: frames more than 0.4 px off the running median of the 9 shifts around them (a jump).
 * Frames are gray, square, a power of two on a side (the centre of the picture, cropped by ffmpeg).
 */

/** In-place radix-2 FFT of `re`/`im` (length a power of two); `inverse` divides by n. */
export function fft(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const angle = ((inverse ? 2 : -2) * Math.PI) / len;
    const [wr, wi] = [Math.cos(angle), Math.sin(angle)];
    for (let i = 0; i < n; i += len) {
      let [cr, ci] = [1, 0];
      for (let k = 0; k < len / 2; k++) {
        const a = i + k;
        const b = a + len / 2;
        const tr = re[b]! * cr - im[b]! * ci;
        const ti = re[b]! * ci + im[b]! * cr;
        re[b] = re[a]! - tr;
        im[b] = im[a]! - ti;
        re[a] = re[a]! + tr;
        im[a] = im[a]! + ti;
        [cr, ci] = [cr * wr - ci * wi, cr * wi + ci * wr];
      }
    }
  }
  if (inverse) {
    for (let i = 0; i < n; i++) {
      re[i] = re[i]! / n;
      im[i] = im[i]! / n;
    }
  }
}

/** 2D FFT of an n x n picture, rows then columns. */
export function fft2(re: Float64Array, im: Float64Array, n: number, inverse = false): void {
  const [rr, ri] = [new Float64Array(n), new Float64Array(n)];
  for (const byRow of [true, false]) {
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        const i = byRow ? a * n + b : b * n + a;
        rr[b] = re[i]!;
        ri[b] = im[i]!;
      }
      fft(rr, ri, inverse);
      for (let b = 0; b < n; b++) {
        const i = byRow ? a * n + b : b * n + a;
        re[i] = rr[b]!;
        im[i] = ri[b]!;
      }
    }
  }
}

/** The picture's spectrum after a Tukey window (so the picture's borders do not correlate with themselves). */
export function spectrum(gray: ArrayLike<number>, n: number): { re: Float64Array; im: Float64Array } {
  if (gray.length !== n * n || (n & (n - 1)) !== 0) throw new Error(`spectrum: need ${n}x${n} samples, n a power of two`);
  // a Tukey window: flat over the middle, tapered over the outer eighth on each side (a full Hann
  // window weighs the moved picture unevenly and pulls every estimate toward zero)
  const taper = n / 8;
  const edge = (i: number) => (i >= taper ? 1 : 0.5 - 0.5 * Math.cos((Math.PI * i) / taper));
  const hann = Float64Array.from({ length: n }, (_, i) => Math.min(edge(i), edge(n - 1 - i)));
  let mean = 0;
  for (let i = 0; i < gray.length; i++) mean += gray[i]!;
  mean /= gray.length;
  const re = new Float64Array(n * n);
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) re[y * n + x] = (gray[y * n + x]! - mean) * hann[x]! * hann[y]!;
  const im = new Float64Array(n * n);
  fft2(re, im, n);
  return { re, im };
}

/**
 * Sub-pixel offset of a peak from its value and its two neighbours. The correlation of a shifted
 * picture is a sampled sinc, for which a parabola pulls every estimate toward the whole pixel;
 * Foroosh, Zerubia and Berthod (2002) give the offset from the larger neighbour: s / (s + peak).
 */
const vertex = (left: number, mid: number, right: number) => {
  const [side, sign] = right >= left ? [right, 1] : [left, -1];
  return side <= 0 || mid <= 0 ? 0 : (sign * side) / (side + mid);
};

/** How far picture b is moved from picture a (b(x, y) = a(x - dx, y - dy)), from their spectra. */
export function phaseShift(a: { re: Float64Array; im: Float64Array }, b: { re: Float64Array; im: Float64Array }, n: number) {
  const re = new Float64Array(n * n);
  const im = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) {
    // conj(A) * B: the peak lands at +d
    const r = a.re[i]! * b.re[i]! + a.im[i]! * b.im[i]!;
    const m = a.re[i]! * b.im[i]! - a.im[i]! * b.re[i]!;
    const mag = Math.hypot(r, m) || 1;
    re[i] = r / mag;
    im[i] = m / mag;
  }
  fft2(re, im, n, true);
  let best = 0;
  for (let i = 1; i < n * n; i++) if (re[i]! > re[best]!) best = i;
  const [py, px] = [Math.floor(best / n), best % n];
  const at = (y: number, x: number) => re[((y + n) % n) * n + ((x + n) % n)]!;
  const fx = px + vertex(at(py, px - 1), at(py, px), at(py, px + 1));
  const fy = py + vertex(at(py - 1, px), at(py, px), at(py + 1, px));
  const wrap = (v: number) => (v > n / 2 ? v - n : v);
  return { dx: wrap(fx), dy: wrap(fy) };
}

export interface Smoothness {
  frames: number;
  /** Mean shift between consecutive frames, px. */
  meanShift: number;
  /** Share of frame pairs whose shift is under 25% of the mean. */
  held: number;
  /** Share of frame pairs more than 0.4 px off the median of the 9 shifts around them. */
  uneven: number;
}

export const HELD_SHARE_OF_MEAN = 0.25;
export const UNEVEN_PX = 0.4;

/** The two shares of one shot's per-pair shifts (magnitudes, px). */
export function smoothnessOf(shifts: number[]): Smoothness {
  const n = shifts.length;
  const mean = shifts.reduce((s, v) => s + v, 0) / Math.max(1, n);
  const held = shifts.filter((s) => s < HELD_SHARE_OF_MEAN * mean).length;
  let uneven = 0;
  for (let i = 0; i < n; i++) {
    const window = shifts.slice(Math.max(0, i - 4), Math.min(n, i + 5)).sort((a, b) => a - b);
    const median = window[Math.floor(window.length / 2)]!;
    if (Math.abs(shifts[i]! - median) > UNEVEN_PX) uneven++;
  }
  return { frames: n + 1, meanShift: mean, held: held / Math.max(1, n), uneven: uneven / Math.max(1, n) };
}

/** Shift magnitudes between consecutive gray n x n frames. */
export function frameShifts(frames: ArrayLike<number>[], n: number): number[] {
  const spectra = frames.map((f) => spectrum(f, n));
  return spectra.slice(1).map((s, i) => {
    const { dx, dy } = phaseShift(spectra[i]!, s, n);
    return Math.hypot(dx, dy);
  });
}
