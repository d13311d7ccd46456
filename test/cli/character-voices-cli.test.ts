/**
 * Voices for the characters from the command line: with the Edge fake, a Spanish story where Ana
 * and Luis talk is read by three Edge voices (its MP3 parts decoded by ffmpeg and joined), and
 * `--json` names each speaker's voice; `--voices narrator-only` reads it with one voice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLOSED_LOCAL_URL } from '../support/provider-config.js';
import { FAKE_EDGE_VOICES, startFakeEdge, type FakeEdge } from '../fakes/providers.js';
import { runStoryCli } from '../support/run-cli.js';
import { parseStoryArgs, UsageError } from '../../src/cli/parse-args.js';

const STORY = 'Ana esperaba en la estación. «¿Adónde vas?», preguntó Ana. «A casa», dijo Luis. Luis sonrió.';

let dir: string;
let fake: FakeEdge;
const runCli = (args: string[], env: Record<string, string>) =>
  runStoryCli(args, { stdin: STORY, env: { DATA_DIR: join(dir, 'data'), POLLINATIONS_BASE_URL: CLOSED_LOCAL_URL, ...env } });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storyreel-character-voices-cli-'));
  // the service's Spanish voices the presets name (voice-presets.ts)
  const spanish = ['es-ES-ElviraNeural', 'es-MX-DaliaNeural', 'es-ES-AlvaroNeural', 'es-MX-JorgeNeural'];
  fake = await startFakeEdge({
    voices: [...FAKE_EDGE_VOICES, ...spanish.map((ShortName) => ({ ShortName, Gender: 'Female', Locale: ShortName.slice(0, 5) }))],
  });
});
afterAll(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

describe('--voices', () => {
  it('Edge: the narrator and each character their own voice; --json lists the speakers', async () => {
    const { code, stdout, stderr } = await runCli(['--in', '-', '--out', join(dir, 'edge.mp4'), '--scenes', '1', '--json'], {
      EDGE_BASE_URL: fake.url,
    });
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout.trim());
    expect(result.providers.voice).toBe('edge');
    const voiceOf = (words: string) => [...new Set(fake.requests.filter((r) => r.text.includes(words)).map((r) => r.voice))];
    const [narrator] = voiceOf('estación');
    const [ana] = voiceOf('Adónde vas');
    const [luis] = voiceOf('A casa');
    expect(narrator).toBe('es-ES-ElviraNeural');
    expect(new Set([narrator, ana, luis]).size).toBe(3);
    expect(result.speakers).toEqual([
      { name: 'Ana', voice: ana },
      { name: 'Luis', voice: luis },
    ]);
    // the joined parts keep the service's word boundaries
    expect(result.sceneCaptions[0].timings).toBe('measured');
  });

  it('narrator-only: one voice reads the dialogue too', async () => {
    const before = fake.requests.length;
    const { code, stdout, stderr } = await runCli(
      ['--in', '-', '--out', join(dir, 'alone.mp4'), '--scenes', '1', '--voices', 'narrator-only', '--json'],
      { EDGE_BASE_URL: fake.url },
    );
    expect(code, stderr).toBe(0);
    const made = fake.requests.slice(before);
    expect(made).toHaveLength(1);
    expect(made[0]!.voice).toBe('es-ES-ElviraNeural');
    expect(JSON.parse(stdout.trim()).speakers).toEqual([]);
  });

  it("parses --voices; a redo keeps the earlier video's choice", () => {
    expect(parseStoryArgs(['--in', 's.txt', '--out', 'v.mp4']).voices).toBeUndefined();
    expect(parseStoryArgs(['--in', 's.txt', '--out', 'v.mp4', '--voices', 'narrator-only']).voices).toBe('narrator-only');
    expect(() => parseStoryArgs(['--redo', '1', '--from', 'v.mp4', '--out', 'w.mp4', '--voices', 'characters'])).toThrow(UsageError);
  });

  it('refuses another mode', async () => {
    const { code, stderr } = await runCli(['--in', '-', '--out', join(dir, 'x.mp4'), '--voices', 'choir'], {});
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/--voices must be characters or narrator-only/);
  });
});
