import { describe, expect, it } from 'vitest';
import { fft2, frameShifts, phaseShift, smoothnessOf, spectrum } from '../../src/bench/motion-smoothness.js';
import { seededRandom } from '../../src/core/seeded-random.js';

const N = 128;
const BIG = 256;
// a textured picture: smoothed noise, shifted exactly by any sub-pixel amount through the Fourier
// shift theorem on a larger periodic picture, then cropped (so new picture enters at the edges, as in a video)
const random = seededRandom(7);
const noise = { re: Float64Array.from({ length: BIG * BIG }, () => random()), im: new Float64Array(BIG * BIG) };
fft2(noise.re, noise.im, BIG);
const freq = (k: number) => (k > BIG / 2 ? k - BIG : k);
const picture = (dx: number, dy: number) => {
  const re = new Float64Array(BIG * BIG);
  const im = new Float64Array(BIG * BIG);
  for (let ky = 0; ky < BIG; ky++)
    for (let kx = 0; kx < BIG; kx++) {
      const [fx, fy] = [freq(kx), freq(ky)];
      const soften = Math.exp(-(fx * fx + fy * fy) / (2 * 40 * 40));
      const angle = (-2 * Math.PI * (fx * dx + fy * dy)) / BIG;
      const i = ky * BIG + kx;
      const [c, s] = [Math.cos(angle) * soften, Math.sin(angle) * soften];
      re[i] = noise.re[i]! * c - noise.im[i]! * s;
      im[i] = noise.re[i]! * s + noise.im[i]! * c;
    }
  fft2(re, im, BIG, true);
  const out = new Float64Array(N * N);
  const at = (BIG - N) / 2;
  for (let y = 0; y < N; y++) for (let x = 0; x < N; x++) out[y * N + x] = re[(y + at) * BIG + x + at]! * 255;
  return out;
};

describe('phase correlation', () => {
  it.each([
    [0.3, 0],
    [0, -0.45],
    [0.7, 0.6],
    [-0.9, 0.2],
    [0.1, 0.1],
  ])('recovers a known frame-to-frame shift of (%s, %s) px to within 0.1 px', (dx, dy) => {
    const shift = phaseShift(spectrum(picture(0, 0), N), spectrum(picture(dx, dy), N), N);
    expect(Math.abs(shift.dx - dx)).toBeLessThan(0.1);
    expect(Math.abs(shift.dy - dy)).toBeLessThan(0.1);
  });

  it('tells a smooth move from one that holds and jumps (the old whole-pixel crop)', () => {
    const smooth = Array.from({ length: 30 }, (_, i) => picture(0.35 * i, 0.1 * i));
    const stepped = Array.from({ length: 30 }, (_, i) => picture(2 * Math.floor((0.35 * i) / 2), 0));
    const a = smoothnessOf(frameShifts(smooth, N));
    const b = smoothnessOf(frameShifts(stepped, N));
    expect(a.held).toBe(0);
    expect(a.uneven).toBe(0);
    expect(Math.abs(a.meanShift - Math.hypot(0.35, 0.1))).toBeLessThan(0.1);
    expect(b.held).toBeGreaterThan(0.6);
    expect(b.uneven).toBeGreaterThan(0.1);
  });
});
