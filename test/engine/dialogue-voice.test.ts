/**
 * A scene in several voices (dialogue-voice.ts) with real espeak-ng: each segment its own request,
 * the parts joined into one WAV as long as them all, every word's timing shifted by the audio
 * before it; a character's line its voice cannot say is read by the narrator (the scene stays
 * with its provider).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { fetchSceneVoice, type AssetContext } from '../../src/engine/scene-assets.js';
import { createWorkspace, type Workspace } from '../../src/engine/workspace.js';
import { ProviderGate } from '../../src/providers/gate.js';
import { ProviderError } from '../../src/providers/errors.js';
import { EspeakVoiceProvider } from '../../src/providers/voices/espeak.js';
import { pcmSeconds, readWav } from '../../src/core/wav.js';
import type { Speech, SpeechRequest, VoiceProvider } from '../../src/providers/types.js';

const fast = { attempts: 2, baseDelayMs: 1, maxDelayMs: 2, rateLimitFloorMs: 1 };

/** Real espeak-ng; a voice in `refuse` is answered with an error, as a service does for an unknown voice. */
class PickyEspeak implements VoiceProvider {
  private readonly inner = new EspeakVoiceProvider();
  readonly name = 'espeak';
  readonly model = this.inner.model;
  readonly defaultVoice = 'en-us';
  readonly concurrency = 2;
  readonly calls: { text: string; voice?: string }[] = [];
  constructor(private readonly refuse: string[] = []) {}
  synthesize(req: SpeechRequest): Promise<Speech> {
    this.calls.push({ text: req.text, voice: req.voice });
    if (req.voice && this.refuse.includes(req.voice)) {
      return Promise.reject(new ProviderError(`no voice ${req.voice}`, { provider: this.name, retryable: false }));
    }
    return this.inner.synthesize(req);
  }
}

let workspace: Workspace;
beforeAll(async () => {
  workspace = await createWorkspace();
});
afterAll(async () => {
  await workspace.remove();
});

const ctxFor = (): AssetContext => ({
  signal: new AbortController().signal,
  emit: () => undefined,
  workspace,
  retry: { image: fast, voice: fast },
});

const SEGMENTS = [
  { text: 'Mara stopped at the gate.' },
  { text: '"Who is there?"', voice: 'en-us+f3' },
  { text: 'she asked. A voice answered.' },
  { text: '"Only me."', voice: 'en-us+m3' },
];
const TEXT = SEGMENTS.map((s) => s.text).join(' ');

describe('a scene in several voices', () => {
  it('joins the parts into one WAV with the words of each shifted by the audio before it', async () => {
    const provider = new PickyEspeak();
    const voice = await fetchSceneVoice(ctxFor(), {
      scene: 0,
      text: TEXT,
      voice: 'en-us',
      primary: { provider, gate: new ProviderGate('espeak', 2) },
      segments: SEGMENTS,
    });
    expect(provider.calls.map((c) => c.voice)).toEqual(['en-us', 'en-us+f3', 'en-us', 'en-us+m3']);
    expect(voice).toMatchObject({ provider: 'espeak', fallback: false, silent: false, voice: 'en-us' });
    expect(voice.path).toMatch(/voice-0\.wav$/);
    // as long as its parts together
    const parts = await Promise.all(SEGMENTS.map((s) => new EspeakVoiceProvider().synthesize({ text: s.text, voice: s.voice ?? 'en-us' })));
    const total = parts.reduce((sum, p) => sum + pcmSeconds(readWav(p.audio)!), 0);
    expect(pcmSeconds(readWav(await readFile(voice.path))!)).toBeCloseTo(total, 2);
    // every word, in order, the last ones inside the last part
    const words = voice.words!;
    expect(words.map((w) => w.word.replace(/[^\p{L}]/gu, ''))).toEqual(TEXT.split(' ').map((w) => w.replace(/[^\p{L}]/gu, '')));
    for (let i = 1; i < words.length; i++) expect(words[i]!.start).toBeGreaterThanOrEqual(words[i - 1]!.start);
    const lastPart = pcmSeconds(readWav(parts[3]!.audio)!);
    expect(words.at(-1)!.start).toBeGreaterThan(total - lastPart - 0.05);
  });

  it("reads a line the character's voice cannot say with the narrator's voice", async () => {
    const provider = new PickyEspeak(['en-us+m3']);
    const voice = await fetchSceneVoice(ctxFor(), {
      scene: 1,
      text: TEXT,
      voice: 'en-us',
      primary: { provider, gate: new ProviderGate('espeak', 2) },
      segments: SEGMENTS,
    });
    expect(voice).toMatchObject({ provider: 'espeak', fallback: false });
    expect(provider.calls.filter((c) => c.text === '"Only me."').map((c) => c.voice)).toEqual(['en-us+m3', 'en-us']);
  });
});
