/**
 * One scene's voice lags far behind the others: the other scenes' clips render anyway, the plan
 * is made from an estimate, and the video still has the exact length of its narration.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { offlineEngine } from '../support/offline-engine.js';
import { EspeakVoiceProvider } from '../../src/providers/voices/espeak.js';
import type { Speech, SpeechRequest, VoiceProvider } from '../../src/providers/types.js';
import type { ProgressEvent } from '../../src/engine/events.js';
import { probeMedia } from '../../src/media/probe.js';
import { resolveFfmpeg } from '../../src/media/binaries.js';

const STORY = `A small fox found a lantern in the snow.

The fox carried the lantern to the river, where a tired heron was waiting.

Together they followed the light home, and the night felt warm.`;

/** espeak-ng, except that the voice of any text holding `word` is held back until released. */
class LaggingVoice implements VoiceProvider {
  readonly name = 'lagging';
  readonly model = 'espeak-ng';
  readonly defaultVoice = 'en-us';
  readonly concurrency = 4;
  private readonly inner = new EspeakVoiceProvider();
  private release!: (why: string) => void;
  readonly released = new Promise<string>((r) => (this.release = r));
  constructor(private readonly word: string) {}
  letGo(why: string): void {
    this.release(why);
  }
  async synthesize(req: SpeechRequest): Promise<Speech> {
    if (req.text.includes(this.word)) await this.released;
    return this.inner.synthesize(req);
  }
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storyreel-lag-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a lagging voice', () => {
  it('does not hold back the clips of scenes that are ready', async () => {
    const voices = new LaggingVoice('heron');
    const events: ProgressEvent[] = [];
    // If nothing renders while the voice is held, let it go after a while so the test ends (and fails).
    const safety = setTimeout(() => voices.letGo('timeout'), 20_000);
    const out = join(dir, 'lag.mp4');
    const maxBytes = 3_000_000;
    const result = await offlineEngine({ voices, fallbackVoices: new EspeakVoiceProvider() }).render({
      story: STORY,
      out,
      options: { aspect: '9:16', scenes: 3, maxBytes, seed: 7 },
      onProgress: (e) => {
        events.push(e);
        if (e.type === 'clip' && e.state === 'started') voices.letGo('a clip started');
      },
    });
    clearTimeout(safety);

    expect(await voices.released).toBe('a clip started');
    const lagging = result.script.scenes.findIndex((s) => s.narration.includes('heron'));
    const firstClip = events.findIndex((e) => e.type === 'clip' && e.state === 'started');
    const lateVoice = events.findIndex((e) => e.type === 'asset' && e.kind === 'voice' && e.scene === lagging && e.state === 'done');
    expect(firstClip).toBeGreaterThanOrEqual(0);
    expect(lateVoice).toBeGreaterThan(firstClip);
    expect(result.fallbackScenes).toEqual([]);

    // The estimate changed nothing a viewer can see: exact length, in sync, within the limit.
    const info = await probeMedia(resolveFfmpeg().ffprobe, out);
    const narration = result.sceneResults.reduce((s, x) => s + x.seconds, 0);
    expect(Math.abs(info.durationSeconds - narration)).toBeLessThan(0.1);
    expect(Math.abs(info.video!.durationSeconds - info.audio!.durationSeconds)).toBeLessThan(0.05);
    expect((await stat(out)).size).toBeLessThanOrEqual(maxBytes);
  });
});
