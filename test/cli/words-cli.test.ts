/**
 * The CLI's words: a story with a title line gets `title` in --json and no narration or caption of
 * it; NAME.srt is written beside NAME.mp4 with the burned captions' cues; --captions-position is
 * checked and kept in the job file for a redo.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLOSED_LOCAL_URL } from '../support/provider-config.js';
import { parseSrt } from '../support/parse-srt.js';
import { runStoryCli } from '../support/run-cli.js';

let dir: string;

const runCli = (args: string[], stdin: string) =>
  runStoryCli(args, { stdin, env: { DATA_DIR: join(dir, 'data'), POLLINATIONS_BASE_URL: CLOSED_LOCAL_URL } });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storyreel-words-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm run story: title, subtitles, captions position', () => {
  it('a title line becomes `title`, is never captioned, and NAME.srt holds the cues', async () => {
    const out = join(dir, 'fox.mp4');
    const story = "The Clockmaker's Fox\n\nOld Henrike kept the clocks 🕰️ of the town. The fox watched her work.";
    const { code, stdout, stderr } = await runCli(
      ['--in', '-', '--out', out, '--scenes', '2', '--aspect', '1:1', '--captions-position', 'top', '--json'],
      story,
    );
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout.trim());
    expect(result).toMatchObject({ title: "The Clockmaker's Fox", titleCard: true, subtitles: join(dir, 'fox.srt') });
    const cues = parseSrt(await readFile(join(dir, 'fox.srt'), 'utf8'));
    const text = cues.map((c) => c.text.replace(/\n/g, ' ')).join(' ');
    expect(text).toBe('Old Henrike kept the clocks 🕰️ of the town. The fox watched her work.');
    // the first words come after the title card, on the first scene's lead-in (the video's timeline)
    expect(result.timeline.title).toMatchObject({ text: "The Clockmaker's Fox", start: 0 });
    expect(cues[0]!.start).toBeCloseTo(result.timeline.scenes[0].narration.lead, 2);
    expect(cues[0]!.start).toBeGreaterThanOrEqual(result.timeline.title.end - 0.01);
    // Cues in order, inside the video
    cues.forEach((c, i) => {
      expect(c.end).toBeGreaterThan(c.start);
      if (i > 0) expect(c.start).toBeGreaterThanOrEqual(cues[i - 1]!.end - 0.001);
    });
    expect(cues.at(-1)!.end).toBeLessThanOrEqual(result.durationSeconds + 0.05);
    const job = JSON.parse(await readFile(join(dir, 'fox.job.json'), 'utf8'));
    expect(job.options.captionsPosition).toBe('top');
    expect(job.script).toMatchObject({ title: "The Clockmaker's Fox", titleCard: "The Clockmaker's Fox" });
  }, 120_000);

  it('refuses a position it does not know', async () => {
    const { code, stderr } = await runCli(['--in', '-', '--out', join(dir, 'x.mp4'), '--captions-position', 'left'], 'A story.');
    expect(code).toBe(2);
    expect(stderr).toMatch(/--captions-position must be one of bottom, middle, top \(got "left"\)/);
  });
});
