/**
 * SIGTERM to `npm run story` (what `kill <pid>` or a supervisor sends to the process it started)
 * ends npm at once; the node below it (under sh and tsx's wrapper) must stop too, with its ffmpeg,
 * and write no video, as Ctrl-C does. Real npm, real node, real ffmpeg and espeak-ng.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storyreel-sigterm-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The live (not zombie) processes of a process group: pid and command name. */
function groupMembers(pgid: number): { pid: number; comm: string }[] {
  const out = execFileSync('ps', ['-eo', 'pid=,pgid=,stat=,comm='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([, group, stat]) => Number(group) === pgid && !stat?.startsWith('Z'))
    .map(([pid, , , comm]) => ({ pid: Number(pid), comm: comm ?? '' }));
}

/** Polls until `test` holds (the processes' own doing; the test's timeout bounds it). */
async function until(test: () => boolean): Promise<void> {
  while (!test()) await new Promise((r) => setTimeout(r, 100));
}

describe('npm run story and SIGTERM', () => {
  it('SIGTERM to the npm process stops node and ffmpeg, and no video is written', async () => {
    const out = join(dir, 'never.mp4');
    const npm = spawn('npm', ['run', 'story', '--', '--in', 'samples/lighthouse.txt', '--out', out, '--offline'], {
      cwd: ROOT,
      // its own process group, so every process it starts can be found (and cleaned up) by the group
      detached: true,
      env: { ...process.env, DATA_DIR: join(dir, 'data') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    npm.stderr!.on('data', (c) => (stderr += c));
    npm.stdout!.on('data', (c) => (stderr += c));
    const pgid = npm.pid!;
    try {
      // rendering: an ffmpeg of the job is running
      await until(() => groupMembers(pgid).some((p) => p.comm === 'ffmpeg'));
      process.kill(npm.pid!, 'SIGTERM');
      await until(() => groupMembers(pgid).length === 0);
      expect(existsSync(out)).toBe(false);
      expect(stderr).toMatch(/storyreel: interrupted; nothing was written\./);
    } finally {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // the group is gone already
      }
    }
  }, 120_000);
});
