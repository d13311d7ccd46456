import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBatchClipArgs, buildSceneClipArgs, frameCount } from '../../src/media/clip-args.js';
import { buildMuxArgs, concatListText } from '../../src/media/mux-args.js';
import { planEncoding } from '../../src/media/plan.js';
import { runFfmpeg } from '../../src/media/run.js';
import { probeMedia } from '../../src/media/probe.js';
import { resolveFfmpeg } from '../../src/media/binaries.js';
import { buildAss } from '../../src/engine/caption-ass.js';
import { ssim } from '../../src/bench/ssim.js';
import { chooseMotion } from '../../src/engine/timeline.js';

const { ffmpeg, ffprobe } = resolveFfmpeg();
let dir: string;
// small square frames at a generous rate: the two ways are compared on their frames, not on what a tight rate leaves
const plan = { ...planEncoding({ aspect: '1:1', maxBytes: 10 * 1024 * 1024, durationSeconds: 60 }), videoKbps: 3000 };
const scenes = [
  { seconds: 2.125, motion: chooseMotion(1), text: 'The keeper climbed the tower' },
  { seconds: 1.875, motion: chooseMotion(2), text: 'and lit the great lamp' },
];

const clipScene = (i: number) => ({
  image: join(dir, `scene-${i}.png`),
  frames: frameCount(scenes[i]!.seconds, plan.fps),
  motion: scenes[i]!.motion,
});

const frames = async (path: string) =>
  Number(
    execFileSync(
      ffprobe,
      ['-v', 'error', '-count_frames', '-select_streams', 'v', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', path],
      { encoding: 'utf8' },
    ).trim(),
  );

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storyreel-batch-'));
  for (const [i, s] of scenes.entries()) {
    execFileSync(ffmpeg, [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      `testsrc2=s=768x768:r=1,hue=h=${i * 90}`,
      '-frames:v',
      '1',
      join(dir, `scene-${i}.png`),
    ]);
    await writeFile(join(dir, `captions-${i}.ass`), buildAss([{ text: s.text, start: 0, end: s.seconds }], plan));
  }
  const timeline = [
    { text: scenes[0]!.text, start: 0, end: scenes[0]!.seconds },
    { text: scenes[1]!.text, start: scenes[0]!.seconds, end: scenes[0]!.seconds + scenes[1]!.seconds },
  ];
  await writeFile(join(dir, 'captions-0-1.ass'), buildAss(timeline, plan));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a batch clip (several scenes, one ffmpeg) against one clip per scene', () => {
  it('holds exactly the frames of the separate clips, and looks the same', async () => {
    const clips = [];
    for (const i of scenes.keys()) {
      const out = join(dir, `clip-${i}.mp4`);
      await runFfmpeg(
        ffmpeg,
        buildSceneClipArgs({
          scene: clipScene(i),
          ...(i > 0 ? { previous: clipScene(i - 1) } : {}),
          transitionFrames: 7,
          subtitles: join(dir, `captions-${i}.ass`),
          plan,
          out,
        }),
      );
      clips.push(out);
    }
    const list = join(dir, 'clips.txt');
    await writeFile(list, concatListText(clips));
    execFileSync(ffmpeg, [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'anullsrc=r=48000:cl=mono',
      '-t',
      '4',
      '-c:a',
      'aac',
      join(dir, 'silence.m4a'),
    ]);
    const separate = join(dir, 'separate.mp4');
    await runFfmpeg(ffmpeg, buildMuxArgs({ concatList: list, narration: join(dir, 'silence.m4a'), out: separate }));

    const batch = join(dir, 'clip-0-1.mp4');
    const args = buildBatchClipArgs({
      scenes: scenes.map((_, i) => clipScene(i)),
      transitionFrames: 7,
      subtitles: join(dir, 'captions-0-1.ass'),
      plan,
      out: batch,
    });
    // one libass for the whole batch
    expect(args[args.indexOf('-filter_complex') + 1]!.match(/ass=filename=/g)).toHaveLength(1);
    await runFfmpeg(ffmpeg, args);

    const expected = scenes.reduce((n, s) => n + frameCount(s.seconds, plan.fps), 0);
    expect(expected).toBe(96);
    expect(await frames(batch)).toBe(expected);
    expect(await frames(separate)).toBe(expected);
    expect((await probeMedia(ffprobe, batch)).video).toMatchObject({
      codec: 'h264',
      pixFmt: 'yuv420p',
      width: plan.width,
      height: plan.height,
    });
    // same stills, same pans, same captions at the same times: only the encodes differ
    expect(await ssim(ffmpeg, batch, separate)).toBeGreaterThan(0.97);
    // and a batch whose scenes were swapped is told apart (the measure can fail)
    const swapped = join(dir, 'swapped.mp4');
    await runFfmpeg(
      ffmpeg,
      buildBatchClipArgs({
        scenes: [1, 0].map((i) => ({ ...clipScene(i), frames: clipScene(1 - i).frames })),
        transitionFrames: 7,
        subtitles: join(dir, 'captions-0-1.ass'),
        plan,
        out: swapped,
      }),
    );
    expect(await ssim(ffmpeg, swapped, separate)).toBeLessThan(0.9);
  });

  it("written as one file per scene (cut at each scene's first frame), each holds exactly its scene", async () => {
    const args = buildBatchClipArgs({
      scenes: scenes.map((_, i) => clipScene(i)),
      transitionFrames: 7,
      subtitles: join(dir, 'captions-0-1.ass'),
      plan,
      segments: { pattern: join(dir, 'seg-%d.mp4'), firstIndex: 7 },
    });
    await runFfmpeg(ffmpeg, args);
    // named by scene index from firstIndex: the same names as clips rendered alone would have
    expect(await frames(join(dir, 'seg-7.mp4'))).toBe(frameCount(scenes[0]!.seconds, plan.fps));
    expect(await frames(join(dir, 'seg-8.mp4'))).toBe(frameCount(scenes[1]!.seconds, plan.fps));
    // each starts at zero and is a clip like any other: joined, they give the batch's frames
    const list = join(dir, 'segs.txt');
    await writeFile(list, concatListText([join(dir, 'seg-7.mp4'), join(dir, 'seg-8.mp4')]));
    const joined = join(dir, 'joined.mp4');
    await runFfmpeg(ffmpeg, buildMuxArgs({ concatList: list, narration: join(dir, 'silence.m4a'), out: joined }));
    expect(await frames(joined)).toBe(96);
    expect(await ssim(ffmpeg, joined, join(dir, 'separate.mp4'))).toBeGreaterThan(0.97);
  });
});
