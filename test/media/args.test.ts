import { describe, expect, it } from 'vitest';
import { buildSceneClipArgs, buildMuxArgs, buildNarrationArgs, buildRefitArgs, concatListText, frameCount } from '../../src/media/args.js';
import { filterPath } from '../../src/media/filter-escape.js';
import { chooseMotion } from '../../src/engine/timeline.js';
import { planEncoding, refitPlan } from '../../src/media/plan.js';

const plan = planEncoding({ aspect: '9:16', maxBytes: 10 * 1024 * 1024, durationSeconds: 60 });

describe('planEncoding', () => {
  it('derives the bitrate from the size limit and the real duration', () => {
    expect(plan).toMatchObject({ width: 720, height: 1280, fps: 24, audioKbps: 96 });
    const bits = (plan.videoKbps + plan.audioKbps) * 1000 * 60;
    expect(bits / 8).toBeLessThanOrEqual(10 * 1024 * 1024 * 0.9);
    expect(bits / 8).toBeGreaterThan(10 * 1024 * 1024 * 0.85);
  });

  it('uses 1080p only when the budget carries it, for every aspect', () => {
    expect(planEncoding({ aspect: '9:16', maxBytes: 50 * 1024 * 1024, durationSeconds: 60 })).toMatchObject({ width: 1080, height: 1920 });
    expect(planEncoding({ aspect: '16:9', maxBytes: 10 * 1024 * 1024, durationSeconds: 60 })).toMatchObject({ width: 1280, height: 720 });
    expect(planEncoding({ aspect: '1:1', maxBytes: 50 * 1024 * 1024, durationSeconds: 60 })).toMatchObject({ width: 1080, height: 1080 });
  });

  it('a refit lowers the video rate below the overshoot', () => {
    const smaller = refitPlan(plan, 12_000_000, 10_000_000);
    expect(smaller.videoKbps).toBeLessThan(plan.videoKbps * (10 / 12));
  });
});

describe('buildSceneClipArgs', () => {
  const args = buildSceneClipArgs({
    scene: { image: '/tmp/a b/img.png', frames: frameCount(4.5, plan.fps), motion: chooseMotion(3) },
    subtitles: "/tmp/it's:a,b[1];x.ass",
    transitionFrames: 7,
    plan,
    out: '/tmp/clip.mp4',
  });
  const graph = args[args.indexOf('-filter_complex') + 1]!;

  it('makes a video-only clip of an exact frame count with the shared encoder settings', () => {
    expect(args).toContain('-an');
    expect(args[args.indexOf('-frames:v') + 1]).toBe(String(frameCount(4.5, plan.fps)));
    expect(args.join(' ')).toContain('-c:v libx264 -preset ultrafast -x264-params cabac=1:deblock=1:subme=1');
    expect(args[args.indexOf('-pix_fmt') + 1]).toBe('yuv420p');
    expect(args[args.indexOf('-b:v') + 1]).toBe(`${plan.videoKbps}k`);
  });

  it('decodes the still once and moves it at sub-pixel precision: perspective, bilinear, on every second frame, blends between', () => {
    // 108 frames: the move computed for frames 0, 2, ..., 106 and 108 (55 of them), blended in between
    expect(graph).toMatch(/loop=loop=54:size=1.*setpts=2\*N/);
    expect(graph).toMatch(
      /perspective=x0='.*\(2\*in\+0\)\/107.*interpolation=linear:eval=frame,framerate=fps=24:interp_start=0:interp_end=255:scene=100,trim=end_frame=108/,
    );
    expect(graph).not.toMatch(/zoompan|xfade/);
  });

  it('a scene after another opens with a crossfade from the other, its move continued', () => {
    const previous = { image: '/tmp/prev.png', frames: 100, motion: chooseMotion(2) };
    const next = buildSceneClipArgs({
      scene: { image: '/tmp/b.png', frames: 108, motion: chooseMotion(3) },
      previous,
      transitionFrames: 7,
      plan,
      out: 'o.mp4',
    });
    expect(next.filter((a) => a === '-i')).toHaveLength(2);
    expect(next[next.indexOf('-i') + 1]).toBe('/tmp/prev.png');
    const g = next[next.indexOf('-filter_complex') + 1]!;
    expect(g).toContain('(2*in+100)/99');
    expect(g).toContain('xfade=transition=fade:duration=0.291667:offset=0');
    expect(next[next.indexOf('-frames:v') + 1]).toBe('108');
  });

  it('escapes the subtitle path for both filter levels', () => {
    expect(graph).toContain(`ass=filename=${filterPath("/tmp/it's:a,b[1];x.ass")}`);
    expect(filterPath("/tmp/it's:a,b[1];x.ass")).toBe("/tmp/it\\\\\\'s\\\\:a\\,b\\[1\\]\\;x.ass");
  });
});

describe('mux and audio builders', () => {
  it('the final mux copies the video and the already-encoded narration, and puts moov first', () => {
    const args = buildMuxArgs({ concatList: '/tmp/list.txt', narration: '/tmp/n.m4a', out: '/tmp/o.mp4' });
    expect(args.join(' ')).toContain('-f concat -safe 0 -i /tmp/list.txt');
    expect(args[args.indexOf('-c:v') + 1]).toBe('copy');
    expect(args[args.indexOf('-c:a') + 1]).toBe('copy');
    expect(args[args.indexOf('-movflags') + 1]).toBe('+faststart');
  });

  it('narration parts are padded to their scene length, resampled, joined and encoded to AAC once', () => {
    const args = buildNarrationArgs({
      inputs: [
        { path: 'a.wav', seconds: 2.5, lead: 0.25 },
        { path: 'b.mp3', seconds: 3 },
      ],
      audioKbps: 96,
      out: 'n.m4a',
    });
    const graph = args[args.indexOf('-filter_complex') + 1]!;
    expect(graph).toContain('adelay=delays=12000S:all=1,apad=whole_dur=2.500000,atrim=end=2.500000');
    expect(graph).toContain('channel_layouts=mono,apad=whole_dur=3.000000');
    expect(graph).toContain('[a0][a1]concat=n=2:v=0:a=1[out]');
    expect(args[args.indexOf('-c:a') + 1]).toBe('aac');
    expect(args[args.indexOf('-b:a') + 1]).toBe('96k');
  });

  it('a refit re-encodes the video and copies the audio', () => {
    const args = buildRefitArgs({ input: 'in.mp4', plan: { ...plan, videoKbps: 500 }, out: 'out.mp4' });
    expect(args[args.indexOf('-b:v') + 1]).toBe('500k');
    expect(args[args.indexOf('-c:a') + 1]).toBe('copy');
  });

  it('concat lists quote paths the demuxer way', () => {
    expect(concatListText(["/tmp/it's.mp4", '/tmp/b.mp4'])).toBe("file '/tmp/it'\\''s.mp4'\nfile '/tmp/b.mp4'\n");
  });
});
