import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakePollinations } from '../fakes/providers.js';
import { CLOSED_LOCAL_URL } from '../support/provider-config.js';

const ROOT = join(import.meta.dirname, '../..');
let dir: string;

function runCli(out: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/story.ts', '--in', '-', '--out', out, '--scenes', '1'], {
      cwd: ROOT,
      // auto, no key: the start-up check decides. (Empty values count as unset.)
      env: { ...process.env, DATA_DIR: join(dir, 'data'), IMAGE_PROVIDER: 'auto', POLLINATIONS_API_KEY: '', POLLINATIONS_MODE: '', ...env },
    });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code, stderr }));
    child.stdin.end('The boat followed the light into the calm harbour.');
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sr-image-check-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm run story: the start-up line says which images and why (issue 12 item 12)', () => {
  it('the anonymous endpoint answers the check: its images, one request at a time, no key', async () => {
    const fake = await startFakePollinations({ anonymousQueue: true });
    try {
      const { code, stderr } = await runCli(join(dir, 'online.mp4'), { POLLINATIONS_BASE_URL: fake.url });
      expect(code).toBe(0);
      expect(stderr).toMatch(
        /^storyreel: images pollinations \(anonymous, 1 at a time: 127\.0\.0\.1:\d+ answered the start-up check in \d+ ms\), voice /m,
      );
      expect(stderr).not.toMatch(/stand-in/);
      expect(fake.record.map((r) => r.path.split('/')[1])).toEqual(['models', 'prompt']);
      expect(fake.record.every((r) => r.headers.authorization === undefined)).toBe(true);
    } finally {
      await fake.close();
    }
  });

  it('nothing answers: local cards, with the reason and how to skip the check', async () => {
    const { code, stderr } = await runCli(join(dir, 'offline.mp4'), { POLLINATIONS_BASE_URL: CLOSED_LOCAL_URL });
    expect(code).toBe(0);
    expect(stderr).toMatch(
      /^storyreel: images local \(127\.0\.0\.1:9 could not be reached \(ECONNREFUSED\); IMAGE_PROVIDER=local skips this check\), voice /m,
    );
  });
});
