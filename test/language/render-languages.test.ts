/**
 * Stories in four more scripts rendered end to end offline (espeak-ng, local cards, real ffmpeg):
 * each detected, narrated with its language's espeak-ng voice, captioned, and the result says so.
 * (en, ja and ko render in test/engine/karaoke-render.test.ts and test/cli/language-args.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { offlineEngine } from '../support/offline-engine.js';
import { probeMedia } from '../../src/media/probe.js';
import { resolveFfmpeg } from '../../src/media/binaries.js';
import { DETECTION_SET } from './detection-set.js';

const CASES = [
  ['ar', 'ar'],
  ['hi', 'hi'],
  ['zh', 'cmn'],
  ['ru', 'ru'],
] as const;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storyreel-languages-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a story in another script, rendered', () => {
  const engine = offlineEngine();
  it.each(CASES)('%s', async (lang, espeakVoice) => {
    const story = DETECTION_SET.find((s) => s.lang === lang && s.sentences === 2)!.text;
    const out = join(dir, `${lang}.mp4`);
    const result = await engine.render({ story, out, options: { aspect: '1:1', scenes: 1, maxBytes: 1_000_000, voice: 'warm' } });
    expect(result).toMatchObject({ language: lang, languageSource: 'detected', voices: [`${espeakVoice}+f3`], fallbackScenes: [] });
    // espeak-ng reads Chinese poorly: the result says so and names the better voice
    if (lang === 'zh') expect(result.voiceNote).toMatch(/free neural voice/);
    else expect(result.voiceNote).toBeUndefined();
    const info = await probeMedia(resolveFfmpeg().ffprobe, out);
    expect(info.audio?.durationSeconds).toBeGreaterThan(1.5);
  });
});
