/** `--json` lists the story's cast (issue 21), and the job file keeps it for a redo (offline providers, real ffmpeg). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');
let dir: string;

function runCli(args: string[], stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/story.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: join(dir, 'data'), IMAGE_PROVIDER: 'local', SCENE_WRITER: 'local' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

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
