/**
 * `--music NAME|FILE|none` (issue 20, item 7): parsed and validated; an unknown name exits 2 with
 * the list before any work; a missing file exits 2; a user's own file (OGG/FLAC, anything ffmpeg
 * reads) makes a video whose bed plays, kept in the job file for a redo.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseStoryArgs, UsageError } from '../../src/cli/parse-args.js';
import { resolveFfmpeg } from '../../src/media/binaries.js';
import { parseEbur128Summary } from '../../src/media/loudness.js';
import { CLOSED_LOCAL_URL } from '../support/provider-config.js';
import { runStoryCli } from '../support/run-cli.js';

const { ffmpeg } = resolveFfmpeg();
let dir: string;

const runCli = (args: string[], stdin = '') =>
  runStoryCli(args, {
    stdin,
    env: {
      DATA_DIR: join(dir, 'data'),
      POLLINATIONS_BASE_URL: CLOSED_LOCAL_URL,
      IMAGE_PROVIDER: 'local',
      VOICE_PROVIDER: 'espeak',
      SCENE_WRITER: 'local',
    },
  });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storyreel-music-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('--music', () => {
  it('takes a mood, none or a file, and refuses anything else with the list', () => {
    const base = ['--in', '-', '--out', 'a.mp4'];
    expect(parseStoryArgs([...base, '--music', 'mystery']).music).toBe('mystery');
    expect(parseStoryArgs([...base, '--music', 'none']).music).toBe('none');
    expect(parseStoryArgs([...base, '--music', 'songs/rain.ogg']).music).toBe('songs/rain.ogg');
    expect(parseStoryArgs(base).music).toBeUndefined();
    expect(() => parseStoryArgs([...base, '--music', 'jazz'])).toThrow(UsageError);
    expect(() => parseStoryArgs([...base, '--music', 'jazz'])).toThrow(
      '--music must be one of calm, warm, mystery, bright, none, or an audio file (got "jazz")',
    );
    // a redo keeps the earlier video's music, as it keeps its other options
    expect(() => parseStoryArgs(['--redo', '1', '--from', 'v.mp4', '--out', 'b.mp4', '--music', 'calm'])).toThrow(/leave out --music/);
  });

  it('exits 2 with the list for an unknown name, and 2 for a file that is not there, before any work', async () => {
    const unknown = await runCli(['--in', '-', '--out', join(dir, 'x.mp4'), '--music', 'jazz'], 'The owl sang.');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('calm, warm, mystery, bright, none');
    const missing = await runCli(['--in', '-', '--out', join(dir, 'y.mp4'), '--music', join(dir, 'nope.ogg')], 'The owl sang.');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no audio file at');
  });

  it("puts the user's own file under the narration, at -14 LUFS", async () => {
    const song = join(dir, 'song.flac');
    execFileSync(ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', 'sine=f=150:d=3', song]);
    const out = join(dir, 'with-song.mp4');
    const { code, stderr } = await runCli(
      ['--in', '-', '--out', out, '--aspect', '1:1', '--max-bytes', '2000000', '--music', song, '--json'],
      'The owl sang to the moon. The moon said nothing at all.',
    );
    expect(code, stderr).toBe(0);
    const job = JSON.parse(await readFile(out.replace(/\.mp4$/, '.job.json'), 'utf8'));
    expect(job.options.music).toBe(song);
    const log = spawnSync(ffmpeg, ['-hide_banner', '-nostats', '-i', out, '-af', 'ebur128=peak=true:framelog=verbose', '-f', 'null', '-'], {
      encoding: 'utf8',
    }).stderr;
    const summary = parseEbur128Summary(log)!;
    expect(Math.abs(summary.integrated - -14)).toBeLessThanOrEqual(1);
    expect(summary.truePeak!).toBeLessThanOrEqual(-1);
    // the 150 Hz bed is there in the last half second, after the narration (low-passed well under the voice)
    const tail = spawnSync(
      ffmpeg,
      ['-hide_banner', '-nostats', '-sseof', '-0.6', '-i', out, '-af', 'lowpass=f=200,lowpass=f=200,volumedetect', '-f', 'null', '-'],
      { encoding: 'utf8' },
    ).stderr;
    const mean = Number(/mean_volume:\s+(-?[\d.]+) dB/.exec(tail)?.[1]);
    expect(mean).toBeGreaterThan(-50);
  });
});
