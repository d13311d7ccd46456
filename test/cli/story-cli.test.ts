import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planEncoding } from '../../src/media/plan.js';
import { startFakePollinations } from '../fakes/providers.js';
import { startFakeInworld } from '../fakes/providers.js';
import { CLOSED_LOCAL_URL, TEST_KEYS } from '../support/provider-config.js';

const ROOT = join(import.meta.dirname, '../..');
let dir: string;

function runCli(
  args: string[],
  stdin?: string,
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/story.ts', ...args], {
      cwd: ROOT,
      // POLLINATIONS_BASE_URL: nothing listens there, so the start-up image check never leaves the machine.
      env: { ...process.env, DATA_DIR: join(dir, 'data'), POLLINATIONS_BASE_URL: CLOSED_LOCAL_URL, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storyreel-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm run story', () => {
  it('reads stdin and prints one JSON object with the result', async () => {
    // Into folders that do not exist yet: they are made, as `mkdir -p` would.
    const out = join(dir, 'made', 'a', 'b', 'stdin.mp4');
    // Three scenes asked of a two-sentence story: two made, and `notes` says why.
    const { code, stdout } = await runCli(
      ['--in', '-', '--out', out, '--scenes', '3', '--max-bytes', '2000000', '--json'],
      'The moon rose. The owl sang to it.',
    );
    expect(code).toBe(0);
    const result = JSON.parse(stdout.trim());
    expect(Object.keys(result).sort()).toEqual(
      [
        'captions',
        'durationSeconds',
        'fallbackScenes',
        'height',
        'language',
        'notes',
        'out',
        'prompts',
        'providers',
        'sceneCaptions',
        'scenes',
        'sizeBytes',
        'speakers',
        'standIns',
        'subtitles',
        'timeline',
        'timings',
        'title',
        'voices',
        'width',
      ].sort(),
    );
    // the Timeline the video was rendered from: two scenes, each voice after its lead-in, the crossfade
    expect(result.timeline).toMatchObject({ version: 1, transition: { kind: 'crossfade', seconds: 0.3 } });
    expect(result.timeline.scenes).toHaveLength(2);
    expect(result.timeline.scenes[1].narration.lead).toBeGreaterThan(0);
    expect(result.timeline.duration).toBeCloseTo(result.durationSeconds, 1);
    expect(result).toMatchObject({ language: 'en', voices: ['en-us', 'en-us'] });
    // espeak-ng gives no word timings: they were estimated from its audio, and karaoke was burned in
    expect(result.captions).toBe('karaoke');
    expect(result.sceneCaptions).toEqual([
      { scene: 1, timings: 'estimated', captions: 'karaoke' },
      { scene: 2, timings: 'estimated', captions: 'karaoke' },
    ]);
    expect(result).toMatchObject({ out, scenes: 2, fallbackScenes: [] });
    expect(result.notes).toEqual(['made 2 scenes, not the 3 asked for: the story has 2 sentences, and a scene needs at least one']);
    // Each scene's final image prompt and seed (base + i), to see and reuse.
    expect(result.prompts).toHaveLength(2);
    expect(result.prompts[1].seed).toBe(result.prompts[0].seed + 1);
    expect(result.prompts[1]).toMatchObject({ index: 1, prompt: expect.stringMatching(/^The owl sang to it\. .*No text or lettering\.$/) });
    const plan = planEncoding({ aspect: '9:16', maxBytes: 2_000_000, durationSeconds: result.durationSeconds });
    expect([result.width, result.height]).toEqual([plan.width, plan.height]);
    expect(result.sizeBytes).toBeLessThanOrEqual(2_000_000);
    expect(existsSync(out)).toBe(true);
  });

  const badInputs: [string, () => Promise<string[]>, RegExp][] = [
    ['an empty file', async () => (await writeFile(join(dir, 'empty.txt'), ''), ['--in', join(dir, 'empty.txt')]), /story is empty/],
    ['only whitespace', async () => (await writeFile(join(dir, 'ws.txt'), ' \n\t \n'), ['--in', join(dir, 'ws.txt')]), /story is empty/],
    [
      'more than 20,000 characters',
      async () => (await writeFile(join(dir, 'long.txt'), 'word '.repeat(4001)), ['--in', join(dir, 'long.txt')]),
      /too long: 20,004 characters/,
    ],
    ['a missing file', async () => ['--in', join(dir, 'nope.txt')], /Cannot read the story file ".*nope\.txt": no such file\.$/],
    [
      'a story no video of the size limit can hold',
      async () => (await writeFile(join(dir, 'epic.txt'), 'The sea rose again. '.repeat(990)), ['--in', join(dir, 'epic.txt')]),
      /too long for a 10\.0 MiB video: it makes at least \d+ min \d+ s of narration, and 10\.0 MiB holds at most 7 min 40 s/,
    ],
    ['a directory', async () => ['--in', dir], /not a file/],
    [
      'a binary file (NUL bytes)',
      async () => (
        await writeFile(
          join(dir, 'picture.png'),
          Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(5000, 0xa7)]),
        ),
        ['--in', join(dir, 'picture.png')]
      ),
      /The story is not text: byte 9 is a NUL byte/,
    ],
    [
      'a file that is not UTF-8 (Latin-1)',
      async () => (
        await writeFile(join(dir, 'latin1.txt'), Buffer.from('The café was closed. The fox waited.', 'latin1')),
        ['--in', join(dir, 'latin1.txt')]
      ),
      /The story is not UTF-8 text: byte 8 \(0xe9\) starts no character/,
    ],
    [
      'text that is mostly not letters',
      async () => (
        await writeFile(join(dir, 'noise.txt'), '#$%^&*()_+{}|:"<>?~`-=[]\\;\',./ '.repeat(20) + 'ok'), ['--in', join(dir, 'noise.txt')]
      ),
      /The story does not look like text: only \d+% of its characters are letters, digits or emoji/,
    ],
  ];

  it.each(badInputs)('refuses %s with one clear line and exit code 2', async (_name, setup, message) => {
    const args = await setup();
    const out = join(dir, 'bad.mp4');
    const { code, stderr, stdout } = await runCli([...args, '--out', out]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const lines = stderr
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('storyreel:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });

  const badOutputs: [string, () => Promise<string>, RegExp][] = [
    [
      'a folder named like a video',
      async () => (await mkdir(join(dir, 'dir.mp4'), { recursive: true }), join(dir, 'dir.mp4')),
      /dir\.mp4": it is a folder\.$/,
    ],
    [
      'a place that takes no files (/proc)',
      async () => '/proc/x.mp4',
      /^storyreel: Cannot write the video to "\/proc\/x\.mp4": that folder does not take new files\.$/,
    ],
    [
      'a place that refuses writes even to root (/sys)',
      async () => '/sys/x.mp4',
      /^storyreel: Cannot write the video to "\/sys\/x\.mp4": permission denied\.$/,
    ],
    [
      'a file where a folder should be',
      async () => (await writeFile(join(dir, 'plain.txt'), 'x'), join(dir, 'plain.txt', 'x.mp4')),
      /plain\.txt\/x\.mp4": a folder in the path is a file\.$/,
    ],
  ];

  it.each(badOutputs)('refuses %s as the output before any work, exit code 2', async (_name, setup, message) => {
    const out = await setup();
    const { code, stderr, stdout } = await runCli(['--in', '-', '--out', out], 'The moon rose. The owl sang to it.');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    // One line, and not the providers line that comes just before the render starts.
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(message)]);
  });

  it('refuses binary bytes on standard input too', async () => {
    const out = join(dir, 'stdin-binary.mp4');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/story.ts', '--in', '-', '--out', out], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: join(dir, 'data') },
    });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    child.stdin.end(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00]));
    const code = await new Promise((r) => child.on('close', r));
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(
      'storyreel: The story is not text: byte 8 is a NUL byte, as in binary files. Give a plain text file (UTF-8).',
    );
    expect(existsSync(out)).toBe(false);
  });

  it('stops reading standard input past the most bytes a story can have', async () => {
    const { code, stderr } = await runCli(['--in', '-', '--out', join(dir, 'stdin-long.mp4')], 'word '.repeat(20_000));
    expect(code).toBe(2);
    expect(stderr.trim()).toMatch(/^storyreel: The story is too long: [\d,]+ bytes or more, the limit is 20,000 characters\.$/);
  });

  it('uses the real providers when their URLs and keys are set (here: the fakes)', async () => {
    const images = await startFakePollinations({ apiKey: TEST_KEYS.pollinations });
    const voices = await startFakeInworld({ apiKey: TEST_KEYS.inworld });
    try {
      const out = join(dir, 'services.mp4');
      const { code, stdout, stderr } = await runCli(
        ['--in', '-', '--out', out, '--scenes', '2', '--json'],
        'The moon rose. The owl sang to it.',
        {
          POLLINATIONS_BASE_URL: images.url,
          POLLINATIONS_API_KEY: TEST_KEYS.pollinations,
          INWORLD_BASE_URL: voices.url,
          INWORLD_API_KEY: TEST_KEYS.inworld,
          SCENE_WRITER: 'local', // images and voices only: the key alone would make Pollinations write the scenes too
        },
      );
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toMatchObject({ scenes: 2, fallbackScenes: [] });
      expect(images.record).toHaveLength(2);
      expect(voices.record).toHaveLength(2);
      expect(stderr).not.toContain(TEST_KEYS.pollinations);
    } finally {
      await Promise.all([images.close(), voices.close()]);
    }
  });

  it('says why a stand-in was used, without the key', async () => {
    const voices = await startFakeInworld({ apiKey: TEST_KEYS.inworld });
    try {
      // Two scenes asked of a one-sentence story, to see the note on stderr as well.
      const { code, stderr } = await runCli(
        ['--in', '-', '--out', join(dir, 'standin.mp4'), '--scenes', '2'],
        'The moon rose over the hill.',
        {
          INWORLD_BASE_URL: voices.url,
          INWORLD_API_KEY: 'd3Jvbmcta2V5LW5vdC12YWxpZA==',
        },
      );
      expect(code).toBe(0);
      expect(stderr).toMatch(/scenes 1 used a stand-in/);
      expect(stderr).toMatch(/stand-in because inworld rejected the API key \(HTTP 401/);
      expect(stderr).not.toContain('d3Jvbmcta2V5LW5vdC12YWxpZA==');
      expect(stderr).toContain(
        '\nstoryreel: made 1 scene, not the 2 asked for: the story has 1 sentence, and a scene needs at least one\n',
      );
    } finally {
      await voices.close();
    }
  });

  it('--help prints the usage and every option, and exits 0', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: npm run story/);
    for (const option of ['--in', '--out', '--aspect', '--scenes', '--max-bytes', '--style', '--voice', '--seed', '--json'])
      expect(stdout).toContain(option);
  });

  it('refuses bad options with usage', async () => {
    const { code, stderr } = await runCli(['--in', '-', '--out', join(dir, 'a.mp4'), '--aspect', '4:3']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--aspect must be one of 9:16, 16:9, 1:1/);
    expect(stderr).toMatch(/usage:/);
  });

  it('a bad configuration value stops it with one line naming the variable', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/story.ts', '--in', '-', '--out', join(dir, 'c.mp4')], {
      cwd: ROOT,
      env: { ...process.env, MAX_RUNNING_JOBS: 'many' },
    });
    child.stdin.end('A story.');
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    const code = await new Promise((r) => child.on('close', r));
    expect(code).toBe(2);
    expect(stderr.trim()).toMatch(/^storyreel: Invalid MAX_RUNNING_JOBS: .*\(got "many"\)$/);
  });
});
