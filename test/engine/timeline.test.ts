import { describe, expect, it } from 'vitest';
import {
  buildTimeline,
  chooseMotion,
  CROSSFADE,
  LEAD_IN_SECONDS,
  SCENE_GAP_SECONDS,
  TAIL_SECONDS,
  TITLE_LEAD_SECONDS,
  sceneSeconds,
} from '../../src/engine/timeline.js';
import { framingAt, eased, PAN_MARGIN } from '../../src/media/motion.js';
import { transitionFrames } from '../../src/core/timeline.js';

const plan = { width: 720, height: 1280, fps: 24, videoKbps: 1200, audioKbps: 96 };
const scene = (i: number, seconds: number) => ({
  image: { path: `/tmp/scene-${i}.png`, sha256: `hash-${i}` },
  narration: { path: `/tmp/voice-${i}.wav`, seconds, text: `Scene ${i}.`, words: [{ word: `Scene`, start: 0.1, end: 0.4 }] },
  seed: 1000 + i,
});

describe('buildTimeline', () => {
  const timeline = buildTimeline({ plan, scenes: [scene(0, 2.01), scene(1, 3.3), scene(2, 1.5)], captions: { mode: 'plain', rtl: true } });

  it('gives each scene a lead-in, its narration and a breath, frame-aligned, one after the other', () => {
    expect(SCENE_GAP_SECONDS).toBeCloseTo(LEAD_IN_SECONDS + TAIL_SECONDS, 9);
    for (const s of timeline.scenes) {
      expect(s.narration!.lead).toBe(LEAD_IN_SECONDS);
      expect(s.duration * plan.fps).toBeCloseTo(Math.round(s.duration * plan.fps), 6);
      expect(s.duration).toBeGreaterThanOrEqual(LEAD_IN_SECONDS + s.narration!.seconds + TAIL_SECONDS - 1e-9);
      expect(s.duration).toBeLessThan(LEAD_IN_SECONDS + s.narration!.seconds + TAIL_SECONDS + 1 / plan.fps);
    }
    expect(timeline.scenes.map((s) => s.start)).toEqual(
      [0, timeline.scenes[0]!.duration, timeline.scenes[0]!.duration + timeline.scenes[1]!.duration].map((n) => Number(n.toFixed(6))),
    );
    expect(timeline.duration).toBeCloseTo(
      timeline.scenes.reduce((n, s) => n + s.duration, 0),
      6,
    );
    expect(timeline.transition).toEqual(CROSSFADE);
    expect(transitionFrames(timeline, 0)).toBe(0);
    expect(transitionFrames(timeline, 1)).toBe(7);
    expect(timeline.captions).toEqual({ mode: 'plain', rtl: true });
    expect(timeline.audio.loudness).toEqual({ integratedLufs: -14, truePeakDb: -1 });
    expect(timeline.title).toBeUndefined();
  });

  it('is plain JSON: what is written is what is read', () => {
    expect(JSON.parse(JSON.stringify(timeline))).toEqual(timeline);
  });

  it('with a title, the first voice waits for the title card; the others keep their lead-in', () => {
    const titled = buildTimeline({ plan, scenes: [scene(0, 2), scene(1, 2)], title: "  The Clockmaker's Fox " });
    expect(titled.title).toEqual({ text: "The Clockmaker's Fox", start: 0, end: TITLE_LEAD_SECONDS });
    expect(titled.scenes[0]!.narration!.lead).toBe(TITLE_LEAD_SECONDS);
    expect(titled.scenes[0]!.duration).toBe(sceneSeconds(2, plan.fps, TITLE_LEAD_SECONDS));
    expect(titled.scenes[1]!.narration!.lead).toBe(LEAD_IN_SECONDS);
    expect(buildTimeline({ plan, scenes: [scene(0, 2)], title: '  ' }).title).toBeUndefined();
  });
});

describe('chooseMotion', () => {
  const motions = Array.from({ length: 40 }, (_, i) => chooseMotion(5000 + i));

  it('varies from shot to shot: zooming in and out, panning in several directions', () => {
    expect(new Set(motions.map((m) => m.from.zoom < m.to.zoom)).size).toBe(2);
    const directions = new Set(motions.map((m) => `${Math.sign(m.to.x - m.from.x)},${Math.sign(m.to.y - m.from.y)}`));
    expect(directions.size).toBeGreaterThanOrEqual(6);
    expect(chooseMotion(7)).toEqual(chooseMotion(7));
  });

  it('always moves, never leaves the picture, and keeps the middle (the subject) in view', () => {
    for (const m of motions) {
      expect(Math.hypot(m.to.x - m.from.x, m.to.y - m.from.y)).toBeGreaterThan(0.03);
      for (let t = 0; t <= 1.0001; t += 0.05) {
        const f = framingAt(m, eased(m.easing, t));
        const half = 0.5 / f.zoom;
        expect(f.zoom).toBeGreaterThanOrEqual(1);
        expect(f.zoom).toBeLessThanOrEqual(PAN_MARGIN + 1e-9);
        expect(f.x - half).toBeGreaterThanOrEqual(-1e-9);
        expect(f.x + half).toBeLessThanOrEqual(1 + 1e-9);
        expect(f.y - half).toBeGreaterThanOrEqual(-1e-9);
        expect(f.y + half).toBeLessThanOrEqual(1 + 1e-9);
        // at most 1 - 1/PAN_MARGIN of each side ever leaves the frame (the local cards rely on it)
        expect(f.x - half).toBeLessThanOrEqual(1 - 1 / PAN_MARGIN + 1e-9);
        expect(f.x + half).toBeGreaterThanOrEqual(1 / PAN_MARGIN - 1e-9);
      }
    }
  });

  it('eases without ever standing still: the speed stays between half and one and a half times the mean', () => {
    for (let t = 0; t <= 1; t += 0.01) {
      const speed = (eased('gentle', t + 0.001) - eased('gentle', t)) / 0.001;
      expect(speed).toBeGreaterThan(0.49);
      expect(speed).toBeLessThan(1.51);
    }
  });
});
