/**
 * `npm run story` with only a Pollinations key (issue 16), against a fake gateway on 127.0.0.1:
 * the start-up line names the Pollinations writer, and when its answer is broken twice the local
 * writer cuts the scenes and the reason is printed once on stderr.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRoutingProxy } from '../support/bad-day-harness.js';
import { chatRoute } from '../fakes/llm.js';
import { startFakePollinations } from '../fakes/providers.js';
import type { FakeServer } from '../fakes/providers.js';
import { TEST_KEYS } from '../support/provider-config.js';

const ROOT = join(import.meta.dirname, '../..');
let dir: string;
let images: FakeServer;
let gateway: FakeServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sr-polli-cli-'));
  images = await startFakePollinations({ apiKey: TEST_KEYS.pollinations });
  gateway = await startRoutingProxy(images.url, chatRoute(TEST_KEYS.pollinations));
});
afterAll(async () => {
  await Promise.all([gateway?.close(), images?.close()]);
  await rm(dir, { recursive: true, force: true });
});

function runCli(args: string[], stdin: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATA_DIR: join(dir, 'data'),
      POLLINATIONS_BASE_URL: gateway.url,
      POLLINATIONS_API_KEY: TEST_KEYS.pollinations,
    };
    // Only the Pollinations key: nothing else that picks a writer or a voice service.
    for (const name of ['SCENE_WRITER', 'LLM_BASE_URL', 'LLM_API_KEY', 'INWORLD_API_KEY', 'IMAGE_PROVIDER', 'POLLINATIONS_MODE'])
      delete env[name];
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/story.ts', ...args], { cwd: ROOT, env });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code, stderr }));
    child.stdin.end(stdin);
  });
}

describe('npm run story with only POLLINATIONS_API_KEY', () => {
  it('names the Pollinations writer at start-up; a broken answer twice: the local writer, the reason printed once', async () => {
    gateway.script.push({ kind: 'broken' }, { kind: 'broken' });
    const out = join(dir, 'broken.mp4');
    const { code, stderr } = await runCli(
      ['--in', '-', '--out', out, '--scenes', '2', '--max-bytes', '2000000'],
      'The moon rose. The owl sang to it.',
    );
    expect(code).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(stderr).toMatch(/^storyreel: images pollinations \(.*\), voice espeak \(.*\), writer pollinations$/m);
    const chats = gateway.record.filter((r) => r.path === '/v1/chat/completions');
    expect(chats).toHaveLength(2);
    expect(chats[0]!.headers.authorization).toBe(`Bearer ${TEST_KEYS.pollinations}`);
    expect(stderr.match(/the JSON is broken/g)).toHaveLength(1);
    expect(stderr).toMatch(
      /WARN \[writer\] the scene writer failed; the offline writer stands in .*"reason":"its answer was unusable twice \(the JSON is broken/,
    );
    expect(stderr).not.toContain(TEST_KEYS.pollinations);
  });
});
