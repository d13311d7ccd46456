/**
 * The free neural voice from the command line: with no Inworld key and the Edge fake reachable,
 * VOICE_PROVIDER=auto's start-up check picks Edge, every scene is spoken by it, and the captions
 * (NAME.srt, the same cues as the burned ones) start on the service's word boundaries.
 * With the service unreachable, espeak-ng reads and the start-up line says why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLOSED_LOCAL_URL } from '../support/provider-config.js';
import { parseSrt } from '../support/parse-srt.js';
import { startFakeEdge, type FakeEdge } from '../fakes/providers.js';
import { loadConfig } from '../../src/config.js';
import { settleVoiceProvider } from '../../src/engine-from-config.js';
import { chooseVoice } from '../../src/providers/voice-presets.js';
import { runStoryCli } from '../support/run-cli.js';

let dir: string;
let fake: FakeEdge;

const runCli = (args: string[], stdin: string, env: Record<string, string>) =>
  runStoryCli(args, { stdin, env: { DATA_DIR: join(dir, 'data'), POLLINATIONS_BASE_URL: CLOSED_LOCAL_URL, ...env } });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storyreel-edge-cli-'));
  fake = await startFakeEdge();
});
afterAll(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

describe('VOICE_PROVIDER and the Edge voices', () => {
  it('config: auto without an Inworld key waits for the check; edge and espeak need none; the URL must be ws(s)', () => {
    const base = { IMAGE_PROVIDER: 'local' };
    expect(loadConfig(base).voices).toMatchObject({ provider: 'espeak', check: { timeoutMs: 2500 } });
    expect(loadConfig({ ...base, VOICE_PROVIDER: 'edge' }).voices).toMatchObject({ provider: 'edge', why: 'VOICE_PROVIDER=edge' });
    expect(loadConfig({ ...base, VOICE_PROVIDER: 'edge' }).voices.check).toBeUndefined();
    expect(loadConfig({ ...base, VOICE_PROVIDER: 'espeak' }).voices.check).toBeUndefined();
    expect(loadConfig({ ...base, INWORLD_API_KEY: 'k' }).voices).toMatchObject({ provider: 'inworld', why: 'INWORLD_API_KEY is set' });
    expect(() => loadConfig({ ...base, EDGE_BASE_URL: 'http://127.0.0.1:9' })).toThrow(/EDGE_BASE_URL/);
  });

  it('the start-up check: Edge when its voice list answers, espeak-ng (with the reason) when not', async () => {
    const up = await settleVoiceProvider(loadConfig({ IMAGE_PROVIDER: 'local', EDGE_BASE_URL: fake.url }));
    expect(up.voices.provider).toBe('edge');
    expect(up.voices.why).toMatch(/unofficial endpoint\): 127\.0\.0\.1:\d+ answered the start-up check/);
    const down = await settleVoiceProvider(loadConfig({ IMAGE_PROVIDER: 'local', EDGE_BASE_URL: 'ws://127.0.0.1:9' }));
    expect(down.voices).toMatchObject({ provider: 'espeak' });
    expect(down.voices.why).toMatch(/VOICE_PROVIDER=espeak skips this check/);
  });

  it('a voice of the story language, the preset choosing among them; a multilingual voice otherwise, noted', () => {
    expect(chooseVoice('edge', 'de')).toEqual({ voice: 'de-DE-KatjaNeural', language: 'de' });
    expect(chooseVoice('edge', 'ja', 'deep').voice).toBe('ja-JP-KeitaNeural');
    expect(chooseVoice('edge', 'en', undefined, 'en-GB-SoniaNeural').voice).toBe('en-GB-SoniaNeural');
    const other = chooseVoice('edge', 'sw');
    expect(other.voice).toBe('en-US-EmmaMultilingualNeural');
    expect(other.note).toMatch(/no Swahili voice/);
  });

  it('npm run story with the service reachable: Edge speaks every scene, captions start on its word boundaries', async () => {
    const out = join(dir, 'edge.mp4');
    const story = 'The keeper climbed the stairs at dusk. She lit the great lamp for the ships.';
    const { code, stdout, stderr } = await runCli(['--in', '-', '--out', out, '--scenes', '2', '--json'], story, {
      EDGE_BASE_URL: fake.url,
    });
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout.trim());
    expect(result.providers.voice).toBe('edge');
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests.every((r) => r.voice === 'en-US-EmmaMultilingualNeural')).toBe(true);
    // every word's start on the video's timeline: the scene's start + its lead-in + the boundary's offset
    const cues = parseSrt(await readFile(join(dir, 'edge.srt'), 'utf8'));
    // which request spoke which scene: the order their texts appear in the captions
    const said = cues.map((c) => c.text.replace(/\n/g, ' ')).join(' ');
    const byScene = [...fake.requests].sort((a, b) => said.indexOf(a.text.slice(0, 12)) - said.indexOf(b.text.slice(0, 12)));
    const scenes = result.timeline.scenes as { start: number; narration: { lead: number } }[];
    expect(scenes).toHaveLength(2);
    const wordStarts = scenes.flatMap((scene, i) =>
      byScene[i]!.words.filter((w) => /\p{L}/u.test(w.word)).map((w) => scene.start + scene.narration.lead + w.start),
    );
    expect(cues.length).toBeGreaterThanOrEqual(2);
    for (const cue of cues) {
      const nearest = Math.min(...wordStarts.map((t) => Math.abs(t - cue.start)));
      expect(nearest, `cue "${cue.text}" at ${cue.start}`).toBeLessThanOrEqual(0.08);
    }
  });

  it('npm run story with the service unreachable: espeak-ng reads, and the start-up line says why', async () => {
    const out = join(dir, 'espeak.mp4');
    const { code, stderr } = await runCli(['--in', '-', '--out', out, '--scenes', '1'], 'A short story about a fox.', {
      EDGE_BASE_URL: 'ws://127.0.0.1:9',
    });
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/voice espeak \(.*VOICE_PROVIDER=espeak skips this check\)/);
  });
});
