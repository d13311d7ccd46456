/** `npm run story -- --redo N --from earlier.mp4`: the CLI side of Redo a scene (offline providers, real ffmpeg). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseStoryArgs, UsageError } from '../../src/cli/parse-args.js';
import { resolveFfmpeg } from '../../src/media/binaries.js';

const ROOT = join(import.meta.dirname, '../..');
let dir: string;

function runCli(args: string[], stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/story.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: join(dir, 'data') },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

async function audioHash(file: string): Promise<string> {
  const { stdout } = await promisify(execFile)(
    resolveFfmpeg().ffmpeg,
    ['-v', 'error', '-i', file, '-map', '0:a', '-c', 'copy', '-f', 'data', '-'],
    { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
  );
  return createHash('sha256').update(stdout).digest('hex');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storyreel-redo-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('--redo SCENE --from VIDEO', () => {
  it('is in --help', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/--redo SCENE/);
    expect(stdout).toMatch(/--from VIDEO\.mp4/);
  });

  it('makes one scene again from the job file written beside the earlier video', async () => {
    const first = join(dir, 'fox.mp4');
    const story = 'The moon rose over the hill. The owl sang to it. The fox listened from the snow.';
    const made = await runCli(['--in', '-', '--out', first, '--scenes', '3', '--seed', '40', '--max-bytes', '3000000', '--json'], story);
    expect(made.code).toBe(0);
    const job = JSON.parse(await readFile(join(dir, 'fox.job.json'), 'utf8'));
    expect(job).toMatchObject({
      storyreel: 'job',
      version: 1,
      video: 'fox.mp4',
      story,
      seeds: [40, 41, 42],
      options: { scenes: 3, seed: 40, maxBytes: 3_000_000 },
    });

    const second = join(dir, 'fox-2.mp4');
    const redo = await runCli(['--redo', '2', '--from', first, '--out', second, '--json']);
    expect(redo.code, redo.stderr).toBe(0);
    const summary = JSON.parse(redo.stdout.trim());
    expect(summary.redo).toMatchObject({ scene: 2, oldSeed: 41 });
    expect(summary.redo.newSeed).not.toBe(41);
    expect(summary.prompts.map((p: { seed: number }) => p.seed)).toEqual([40, summary.redo.newSeed, 42]);
    expect(await audioHash(second)).toBe(await audioHash(first));
    const again = JSON.parse(await readFile(join(dir, 'fox-2.job.json'), 'utf8'));
    expect(again).toMatchObject({ redo: { from: first, scene: 2 }, seeds: [40, summary.redo.newSeed, 42] });

    // A scene the story does not have: a clear message, exit 2, nothing written.
    const none = await runCli(['--redo', '4', '--from', first, '--out', join(dir, 'none.mp4')]);
    expect(none.code, none.stderr).toBe(2);
    expect(none.stderr).toMatch(/no scene 4: this story has 3 scenes/);
    const missing = await runCli(['--redo', '1', '--from', join(dir, 'nope.mp4'), '--out', join(dir, 'none.mp4')]);
    expect(missing.code, missing.stderr).toBe(2);
    expect(missing.stderr).toMatch(/there is no .*nope\.job\.json/);
  }, 180_000);

  it('parses, and refuses what a redo cannot change', () => {
    expect(parseStoryArgs(['--redo', '3', '--from', 'a.mp4', '--out', 'b.mp4']).redo).toEqual({ scene: 3, from: 'a.mp4' });
    expect(() => parseStoryArgs(['--redo', '3', '--out', 'b.mp4'])).toThrow(/--redo needs --from/);
    expect(() => parseStoryArgs(['--from', 'a.mp4', '--in', 's.txt', '--out', 'b.mp4'])).toThrow(/--from goes with --redo/);
    expect(() => parseStoryArgs(['--redo', '3', '--from', 'a.mp4', '--in', 's.txt', '--aspect', '1:1', '--out', 'b.mp4'])).toThrow(
      /leave out --in, --aspect/,
    );
    expect(() => parseStoryArgs(['--redo', '0', '--from', 'a.mp4', '--out', 'b.mp4'])).toThrow(UsageError);
    expect(parseStoryArgs(['--in', 's.txt', '--out', 'b.mp4']).aspect).toBe('9:16');
  });
});
