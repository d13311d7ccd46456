/**
 * A Ken Burns move as an ffmpeg `perspective` filter with bilinear interpolation, evaluated per
 * computed frame (every second frame: media/clip-args.ts MOTION_STEP blends the ones between): the
 * window the frame shows is placed at fractional source coordinates, so the picture moves by a
 * fraction of a pixel each frame instead of holding and then jumping a whole pixel (a moving
 * `crop` held 148 of 192 frames still in an 8 s clip). Measured against `crop`, `zoompan` on a 2x
 * source and frames painted by @napi-rs/canvas in docs/benchmarks.md.
 */
import type { Easing, Framing, MotionSpec } from '../core/timeline.js';

/**
 * The closest a move zooms. With the centre kept to 80% of the room a zoom leaves (see
 * engine/timeline.ts chooseMotion), at most 1 - 1/PAN_MARGIN (10.7%) of each side of the picture
 * ever leaves the frame: the local cards keep their shapes inside that (providers/images).
 */
export const PAN_MARGIN = 1.12;

/** `gentle` easing: how far the speed swings around its mean (0.5: from 0.5x to 1.5x and back). */
export const GENTLE_SWING = 0.5;

/** Progress 0..1 at time t (0..1 over the shot); past 1 it keeps going at the end speed (a transition's overlap). */
export function eased(easing: Easing, t: number): number {
  if (easing === 'linear') return t;
  return t - (GENTLE_SWING * Math.sin(2 * Math.PI * t)) / (2 * Math.PI);
}

/** The same as an ffmpeg expression of `t` (itself an expression). */
function easedExpr(easing: Easing, t: string): string {
  if (easing === 'linear') return t;
  return `(${t}-${GENTLE_SWING}*sin(2*PI*${t})/(2*PI))`;
}

const num = (n: number) => Number(n.toFixed(6)).toString();

/** The framing at progress p (0..1), interpolated linearly between the two ends. */
export function framingAt(motion: MotionSpec, p: number): Framing {
  const lerp = (a: number, b: number) => a + (b - a) * p;
  return { zoom: lerp(motion.from.zoom, motion.to.zoom), x: lerp(motion.from.x, motion.to.x), y: lerp(motion.from.y, motion.to.y) };
}

/**
 * The `perspective` filter for a picture already scaled to exactly width x height: frame n of the
 * filter's input shows the motion at frame step * n + `offset` of a shot of `frames` frames (an
 * offset continues a shot into the next scene's crossfade; a step > 1 computes every step-th frame). The window never leaves the picture: the
 * centre is clamped to where the window fits at that zoom.
 */
export function motionFilter(input: {
  motion: MotionSpec;
  frames: number;
  width: number;
  height: number;
  offset?: number;
  step?: number;
}): string {
  const { motion, width: w, height: h } = input;
  const t = `((${input.step ?? 1}*in+${input.offset ?? 0})/${Math.max(1, input.frames - 1)})`;
  const p = easedExpr(motion.easing, t);
  const z = `(${num(motion.from.zoom)}+${num(motion.to.zoom - motion.from.zoom)}*${p})`;
  const hw = `(${w / 2}/${z})`;
  const hh = `(${h / 2}/${z})`;
  const cx = `clip(${w}*(${num(motion.from.x)}+${num(motion.to.x - motion.from.x)}*${p}),${hw},${w}-${hw})`;
  const cy = `clip(${h}*(${num(motion.from.y)}+${num(motion.to.y - motion.from.y)}*${p}),${hh},${h}-${hh})`;
  const [left, right, top, bottom] = [`${cx}-${hw}`, `${cx}+${hw}`, `${cy}-${hh}`, `${cy}+${hh}`];
  return `perspective=x0='${left}':y0='${top}':x1='${right}':y1='${top}':x2='${left}':y2='${bottom}':x3='${right}':y3='${bottom}':interpolation=linear:eval=frame`;
}
