import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalImageProvider } from '../../src/providers/images/local.js';
import { EspeakVoiceProvider } from '../../src/providers/voices/espeak.js';
import { voiceForText } from '../../src/providers/voices/voice-for-script.js';
import { LocalSceneWriter, titleFrom } from '../../src/providers/writers/local.js';
import { ProviderError } from '../../src/providers/errors.js';

const probeSeconds = (bytes: Buffer, ext: string) => {
  const dir = mkdtempSync(join(tmpdir(), 'sr-probe-'));
  try {
    const file = join(dir, `a.${ext}`);
    writeFileSync(file, bytes);
    return Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]).toString());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

describe('LocalImageProvider', () => {
  const images = new LocalImageProvider();
  it('paints a PNG of the requested size, the same for the same prompt and seed', async () => {
    const a = await images.generate({ prompt: 'a lighthouse at night', width: 768, height: 1344, seed: 7 });
    const b = await images.generate({ prompt: 'a lighthouse at night', width: 768, height: 1344, seed: 7 });
    const c = await images.generate({ prompt: 'a lighthouse at night', width: 768, height: 1344, seed: 8 });
    expect(a.bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect([a.bytes.readUInt32BE(16), a.bytes.readUInt32BE(20)]).toEqual([768, 1344]);
    expect(a.bytes.equals(b.bytes)).toBe(true);
    expect(a.bytes.equals(c.bytes)).toBe(false);
  });

  it('draws any script without throwing', async () => {
    const img = await images.generate({ prompt: '日本語 العربية Привет 😀 {\\N}', width: 512, height: 512, seed: 1 });
    expect(img.bytes.length).toBeGreaterThan(1000);
  });
});

describe('EspeakVoiceProvider', () => {
  const voice = new EspeakVoiceProvider();
  it('speaks text into a WAV with a real duration; text starting with a dash stays text', async () => {
    const speech = await voice.synthesize({ text: '--help is not an option. Hello there.' });
    expect(speech.format).toBe('wav');
    expect(speech.audio.toString('ascii', 0, 4)).toBe('RIFF');
    expect(probeSeconds(speech.audio, 'wav')).toBeGreaterThan(1);
  });

  it('picks a voice for the script of the text', () => {
    expect(voiceForText('Привет, как дела? Это история.', 'en-us')).toBe('ru');
    expect(voiceForText('昔々、ある村に狐がいました。', 'en-us')).toBe('ja');
    expect(voiceForText('从前有一只小狐狸。', 'en-us')).toBe('cmn');
    expect(voiceForText('Hello there, Привет.', 'en-us')).toBe('en-us');
    expect(voice.voiceFor('Привет, мир', undefined)).toBe('ru');
    expect(voice.voiceFor('Hello', 'en-gb')).toBe('en-gb');
  });

  it('an abort kills espeak and rejects', async () => {
    const controller = new AbortController();
    const run = voice.synthesize({ text: 'word '.repeat(3000), signal: controller.signal });
    controller.abort(new Error('stop'));
    await expect(run).rejects.toThrow('stop');
  });

  it('a missing binary is one final line with the fix', async () => {
    const missing = new EspeakVoiceProvider({ path: '/nonexistent/espeak-ng' });
    const error = await missing.synthesize({ text: 'hi' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).retryable).toBe(false);
    expect((error as Error).message).toMatch(/apt-get install espeak-ng.*ESPEAK_PATH/);
  });
});

describe('LocalSceneWriter', () => {
  const writer = new LocalSceneWriter();
  const sentence = (i: number) => `Sentence number ${i} tells a small part of the story with some words.`;

  it('chooses about 3-12 scenes from the length, never more than 20, never empty', async () => {
    const short = await writer.write({ story: 'One. Two. Three. Four.', aspect: '9:16' });
    expect(short.scenes.length).toBe(3);
    const medium = await writer.write({ story: Array.from({ length: 15 }, (_, i) => sentence(i)).join(' '), aspect: '9:16' });
    expect(medium.scenes.length).toBeGreaterThanOrEqual(6);
    expect(medium.scenes.length).toBeLessThanOrEqual(12);
    const long = await writer.write({ story: Array.from({ length: 400 }, (_, i) => sentence(i)).join(' '), aspect: '9:16' });
    expect(long.scenes.length).toBeLessThanOrEqual(20);
    for (const s of [...short.scenes, ...medium.scenes, ...long.scenes]) {
      expect(s.narration.trim()).not.toBe('');
      expect(s.imagePrompt.trim()).not.toBe('');
    }
  });

  it('gives the requested count when there are enough sentences, and keeps every sentence in order', async () => {
    const story = Array.from({ length: 10 }, (_, i) => sentence(i)).join(' ');
    const script = await writer.write({ story, scenes: 4, aspect: '9:16' });
    expect(script.scenes).toHaveLength(4);
    expect(script.scenes.map((s) => s.narration).join(' ')).toBe(story);
    const few = await writer.write({ story: 'Only one. And two.', scenes: 5, aspect: '9:16' });
    expect(few.scenes).toHaveLength(2);
  });

  it('cuts at paragraph ends when they are near the balance point', async () => {
    const story = 'The first paragraph has one sentence here.\n\nThe second paragraph also has one sentence.\n\nAnd a third one closes it.';
    const script = await writer.write({ story, scenes: 3, aspect: '9:16' });
    expect(script.scenes.map((s) => s.narration)).toEqual(story.split('\n\n'));
  });

  it('splits text without spaces into sentences, and titles come from the first sentence', async () => {
    const script = await writer.write({
      story: '昔々、ある村に狐がいました。狐は森が好きでした。ある日、雪が降りました。',
      aspect: '9:16',
    });
    expect(script.scenes).toHaveLength(3);
    expect(titleFrom('The Fox and the Lantern\n\nOnce upon a time.')).toBe('The Fox and the Lantern');
    expect(titleFrom('x'.repeat(200)).length).toBeLessThanOrEqual(80);
  });

  it("image prompts are the scene's own sentence, whole (issue 16; more in local-prompts.test.ts)", async () => {
    const script = await writer.write({ story: 'The old keeper climbed to the top of the tower.', aspect: '9:16' });
    expect(script.scenes[0]!.imagePrompt).toBe('The old keeper climbed to the top of the tower.');
  });
});
