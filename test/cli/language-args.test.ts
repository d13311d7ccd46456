import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseStoryArgs, UsageError } from '../../src/cli/parse-args.js';

const ROOT = join(import.meta.dirname, '../..');
const BASE = ['--in', 'x.txt', '--out', 'x.mp4'];

describe('--language and --captions', () => {
  it('normalizes the language code and checks the caption mode', () => {
    expect(parseStoryArgs([...BASE, '--language', 'pt-BR', '--captions', 'plain'])).toMatchObject({ language: 'pt', captions: 'plain' });
    expect(parseStoryArgs(BASE)).toMatchObject({ language: undefined, captions: undefined });
    expect(() => parseStoryArgs([...BASE, '--language', 'klingon'])).toThrow(UsageError);
    expect(() => parseStoryArgs([...BASE, '--language', 'klingon'])).toThrow(/--language must be a language code/);
    expect(() => parseStoryArgs([...BASE, '--captions', 'fancy'])).toThrow(/--captions must be one of karaoke, plain, none/);
  });
});

describe('npm run story in another language', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'storyreel-lang-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  function runCli(args: string[], stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/story.ts', ...args], {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: join(dir, 'data') },
      });
      let [stdout, stderr] = ['', ''];
      child.stdout.on('data', (c) => (stdout += c));
      child.stderr.on('data', (c) => (stderr += c));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(stdin);
    });
  }

  it('--json says the detected language and the voice of each scene; the line says it too', async () => {
    const story = '列車は何もない場所で止まった。みんな同時に窓の外を見た。';
    const json = await runCli(
      [
        '--in',
        '-',
        '--out',
        join(dir, 'ja.mp4'),
        '--aspect',
        '1:1',
        '--scenes',
        '2',
        '--max-bytes',
        '1500000',
        '--captions',
        'none',
        '--json',
      ],
      story,
    );
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ language: 'ja', voices: ['ja', 'ja'] });
    // --language overrides detection; the voice follows it.
    const forced = await runCli(
      [
        '--in',
        '-',
        '--out',
        join(dir, 'forced.mp4'),
        '--aspect',
        '1:1',
        '--scenes',
        '1',
        '--max-bytes',
        '1500000',
        '--language',
        'ko',
        '--voice',
        'deep',
      ],
      story,
    );
    expect(forced.code).toBe(0);
    expect(forced.stderr).toMatch(/storyreel: language Korean \(ko, requested\), voice ko\+m3\n/);
  });
});
