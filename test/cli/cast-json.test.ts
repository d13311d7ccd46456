/** `--json` lists the story's cast (issue 21), and the job file keeps it for a redo (offline providers, real ffmpeg). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStoryCli } from '../support/run-cli.js';

let dir: string;

const runCli = (args: string[], stdin = '') =>
  runStoryCli(args, { stdin, env: { DATA_DIR: join(dir, 'data'), IMAGE_PROVIDER: 'local', SCENE_WRITER: 'local' } });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storyreel-cast-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('--json and the cast', () => {
  it("prints the offline writer's cast (no portraits offline) and keeps it in the job file", async () => {
    const out = join(dir, 'tom.mp4');
    const story = 'Tom, a young farmer, found a fox in the barn. The fox was cold. Tom carried the fox home.';
    const made = await runCli(['--in', '-', '--out', out, '--scenes', '2', '--max-bytes', '2000000', '--json'], story);
    expect(made.code, made.stderr).toBe(0);
    const summary = JSON.parse(made.stdout.trim());
    expect(summary.cast).toEqual([
      { name: 'Tom', description: 'a young farmer' },
      { name: 'fox', description: 'a fox' },
    ]);
    expect(summary.referencesNote).toBeUndefined();
    const job = JSON.parse(await readFile(join(dir, 'tom.job.json'), 'utf8'));
    expect(job.script.cast).toEqual(summary.cast);
  }, 120_000);
});
