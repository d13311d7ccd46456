/**
 * What `npm run story` says before any work, as a newcomer meets it (a real CLI process each time):
 * one line per problem, no empty line before it, exit 2; arguments, paths and the voice are checked
 * before anything touches the network; --offline (npm run demo) asks no service, and the start-up
 * line says plainly whether the story's text leaves the machine.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakePollinations, type FakeServer } from '../fakes/providers.js';
import { outputFile } from '../../src/cli/output-file.js';
import { runStoryCli } from '../support/run-cli.js';

const ROOT = join(import.meta.dirname, '../..');
const STORY = 'The moon rose. The owl sang to it.';
let dir: string;
const fakes: FakeServer[] = [];

const runCli = (args: string[], stdin = '', env: Record<string, string> = {}) =>
  runStoryCli(args, {
    stdin,
    env: { DATA_DIR: join(dir, 'data'), IMAGE_PROVIDER: 'local', VOICE_PROVIDER: 'espeak', SCENE_WRITER: 'local', ...env },
  });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storyreel-checks-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

/** Exit 2, nothing on stdout, the first line of stderr is the one `storyreel:` line (no empty line before it). */
function expectRefused(run: { code: number | null; stdout: string; stderr: string }, message: RegExp): void {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr.startsWith('storyreel: ')).toBe(true);
  expect(run.stderr).not.toMatch(/\n\n/);
  expect(run.stderr.split('\n')[0]).toMatch(message);
}

describe('npm run story: refused before any work, one clear line', () => {
  it('--scenes -1 says what --scenes takes', async () => {
    const run = await runCli(['--in', '-', '--out', join(dir, 'a.mp4'), '--scenes', '-1'], STORY);
    expectRefused(run, /^storyreel: --scenes must be a whole number from 1 to 20 \(got "-1"\)$/);
  });

  it('"!!!! ????" has no words', async () => {
    expectRefused(
      await runCli(['--in', '-', '--out', join(dir, 'a.mp4')], '!!!! ????'),
      /^storyreel: The story has no words, only punctuation/,
    );
  });

  it('a story of numbers only is refused (it made a 160 s one-scene video)', async () => {
    const digits = '31415926535897932384626433832795028841971693993751 '.repeat(12);
    expectRefused(await runCli(['--in', '-', '--out', join(dir, 'a.mp4')], digits), /^storyreel: The story has no words, only numbers/);
  });

  it('a program (/bin/ls, bigger than any story) is "not text", not "too long"', async () => {
    expectRefused(
      await runCli(['--in', '/bin/ls', '--out', join(dir, 'a.mp4')]),
      /^storyreel: The story is not text: byte \d+ is a NUL byte/,
    );
  });

  it('"too long for the size" names --max-bytes', async () => {
    const epic = 'The sea rose again and the boats came home. '.repeat(400);
    expectRefused(
      await runCli(['--in', '-', '--out', join(dir, 'a.mp4'), '--max-bytes', '1MB'], epic),
      /too long for a 977 KiB video: .*allow a bigger file with --max-bytes \(e\.g\. --max-bytes 25MB\)\.$/,
    );
  });

  it('--out that is neither an .mp4 nor a folder says both forms', async () => {
    expectRefused(
      await runCli(['--in', '-', '--out', join(dir, 'video.mov')], STORY),
      /^storyreel: --out must be an \.mp4 file, or a folder to write the video into \(got ".*video\.mov"\)$/,
    );
  });

  it.each([
    [
      'zz',
      /^storyreel: --voice "zz" is not a voice of espeak-ng \(espeak-ng --voices lists them\); close: .*; or use a preset: narrator, warm, deep, bright, storyteller$/,
    ],
    ['nosuchvoice', /^storyreel: --voice "nosuchvoice" is not a voice of espeak-ng/],
    ['en-uss', /close: en-us\b/],
  ])('--voice %s is checked against the provider list (exit 2, close matches)', async (voice, message) => {
    expectRefused(await runCli(['--in', '-', '--out', join(dir, 'a.mp4'), '--voice', voice], STORY), message);
  });

  it('an unknown Inworld voice is refused with its close matches', async () => {
    const run = await runCli(['--in', '-', '--out', join(dir, 'a.mp4'), '--voice', 'Ashly'], STORY, {
      VOICE_PROVIDER: 'inworld',
      INWORLD_API_KEY: 'test-key-not-used',
      INWORLD_BASE_URL: 'http://127.0.0.1:9',
    });
    expectRefused(run, /^storyreel: --voice "Ashly" is not a voice of Inworld; close: Ashley/);
  });

  it('a bad output path, a bad voice: refused before the start-up image check touches the network', async () => {
    const polli = await startFakePollinations();
    fakes.push(polli);
    // IMAGE_PROVIDER=auto without a key: the start-up check would ask this fake for its models
    const env = { IMAGE_PROVIDER: 'auto', POLLINATIONS_BASE_URL: polli.url };
    const badPath = await runCli(['--in', '-', '--out', '/proc/x.mp4'], STORY, env);
    const badVoice = await runCli(['--in', '-', '--out', join(dir, 'a.mp4'), '--voice', 'zz'], STORY, env);
    expect(polli.record).toEqual([]);
    expectRefused(badPath, /Cannot write the video to "\/proc\/x\.mp4"/);
    expectRefused(badVoice, /--voice "zz"/);
  });
});

describe('--offline and the start-up line', () => {
  it('--offline asks no service (not even the start-up check) and says the text stays here; npm run demo uses it', async () => {
    const polli = await startFakePollinations();
    fakes.push(polli);
    const out = join(dir, 'offline.mp4');
    const run = await runCli(['--in', '-', '--out', out, '--offline'], STORY, {
      IMAGE_PROVIDER: 'auto',
      VOICE_PROVIDER: 'auto',
      SCENE_WRITER: 'auto',
      POLLINATIONS_BASE_URL: polli.url,
    });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      /^storyreel: images local \(IMAGE_PROVIDER=local\), voice espeak \(VOICE_PROVIDER=espeak\), writer local\nstoryreel: everything runs on this machine: the story's text does not leave it\n/,
    );
    expect(polli.record).toEqual([]);
    expect(existsSync(out)).toBe(true);
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.demo).toMatch(/ --offline\b/);
  }, 120_000);

  it('with Pollinations painting the scenes, the start-up line says the text leaves the machine', async () => {
    const polli = await startFakePollinations();
    fakes.push(polli);
    const out = join(dir, 'online');
    await mkdir(out);
    // --out a folder: the video goes inside it, named after the story (story.mp4 from standard input)
    const run = await runCli(['--in', '-', '--out', out], STORY, { IMAGE_PROVIDER: 'auto', POLLINATIONS_BASE_URL: polli.url });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      /\nstoryreel: the story's text leaves this machine, sent to pollinations \(paints the scenes from their text\); --offline keeps it here\n/,
    );
    expect(polli.record.some((r) => r.path.startsWith('/prompt/'))).toBe(true);
    expect(existsSync(join(out, 'story.mp4'))).toBe(true);
  }, 120_000);
});

describe('--json says which scenes took a stand-in, and why', () => {
  it('a 429 with Retry-After: 86400: the scene takes its stand-in at once, and standIns says so', async () => {
    const polli = await startFakePollinations({ apiKey: 'sk_cli_test_key' });
    fakes.push(polli);
    polli.script.push({ status: 429, retryAfter: 86_400 });
    const run = await runCli(['--in', '-', '--out', join(dir, 'throttled.mp4'), '--json'], STORY, {
      IMAGE_PROVIDER: 'pollinations',
      POLLINATIONS_BASE_URL: polli.url,
      POLLINATIONS_API_KEY: 'sk_cli_test_key',
    });
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as {
      fallbackScenes: number[];
      standIns: { scene: number; kind: string; provider: string; reason: string }[];
    };
    expect(result.fallbackScenes).toHaveLength(1);
    expect(result.standIns).toEqual([
      {
        scene: result.fallbackScenes[0]! + 1,
        kind: 'image',
        provider: 'local',
        reason: expect.stringMatching(
          /rate limiting us \(HTTP 429.*asked us to wait 24 h, longer than the 60 s a provider is waited for \(PROVIDER_MAX_WAIT_MS\)/,
        ),
      },
    ]);
  }, 120_000);
});

describe('outputFile', () => {
  it('an .mp4 as it is; a folder (or a path ending in /) gets <story name>.mp4 inside', async () => {
    await mkdir(join(dir, 'videos'), { recursive: true });
    await writeFile(join(dir, 'plain'), 'x');
    expect(await outputFile('a/b/x.mp4', 'story.txt')).toBe('a/b/x.mp4');
    expect(await outputFile(join(dir, 'videos'), 'stories/the-fox.txt')).toBe(join(dir, 'videos', 'the-fox.mp4'));
    expect(await outputFile('not/yet/', '-')).toBe(join('not/yet', 'story.mp4'));
    await expect(outputFile(join(dir, 'plain'), 'x.txt')).rejects.toThrow(/--out must be an \.mp4 file, or a folder/);
  });
});

describe('the scene counts in docs/cli.md', () => {
  it('match what the local writer makes: 12 scenes at about 260 words, 20 from about 850', async () => {
    const { LocalSceneWriter } = await import('../../src/providers/writers/local.js');
    const readme = await readFile(join(ROOT, 'docs', 'cli.md'), 'utf8');
    expect(readme).toMatch(
      /up to 12 for a story of about 260 words \(1,500 characters\).*20, the most, from about 850 words \(4,800 characters\)/,
    );
    const sentence = 'The old keeper climbed the stairs again and watched the dark water below. ';
    const scenes = async (n: number) => (await new LocalSceneWriter().write({ story: sentence.repeat(n), aspect: '9:16' })).scenes.length;
    expect(await scenes(20)).toBe(12); // 261 words, 1,480 characters
    expect(await scenes(66)).toBe(20); // 859 words, 4,884 characters
    expect(await scenes(60)).toBeLessThan(20); // 781 words
  });
});
