/**
 * The word-time estimate for voices without timings, measured on real espeak-ng audio against
 * espeak-ng's own word events (fixtures/espeak-word-events-*.json, written by
 * test/support/espeak-word-events.py through libespeak-ng: the CLI has no events). Each fixture
 * holds each text's sample count, so a different espeak-ng (other audio) fails loudly, not silently.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { estimateWordTimes, speechLayout, spokenWords, wordWeight } from '../../src/providers/voices/estimate-word-times.js';
import { pcmSeconds, readWav, writeWav } from '../../src/core/wav.js';

interface Reference {
  voice: string;
  rate: number;
  texts: { text: string; sampleRate: number; samples: number; words: { index: number; word: string; start: number }[] }[];
}
const load = (voice: string) =>
  JSON.parse(readFileSync(new URL(`fixtures/espeak-word-events-${voice}.json`, import.meta.url), 'utf8')) as Reference;
/** Two English stories (a lighthouse, a bakery) and a German one, as espeak-ng reads them at the offline voice's rate. */
const references = [load('en-us'), load('de')];

const speak = (text: string, voice = 'en-us', rate = 165) =>
  readWav(execFileSync('espeak-ng', ['-v', voice, '-s', String(rate), '--stdin', '--stdout'], { input: `${text}\n` }))!;

const ms = (s: number) => `${(s * 1000).toFixed(0)} ms`;

for (const reference of references) {
  describe(`estimateWordTimes on espeak-ng narration (${reference.voice})`, () => {
    const errors: number[] = [];
    for (const [n, t] of reference.texts.entries()) {
      it(`times every word of scene ${n + 1} near espeak-ng's own word events`, () => {
        const pcm = speak(t.text, reference.voice, reference.rate);
        // the CLI's audio is the library's plus a final silence: same speech, same sample rate
        expect(pcm.sampleRate).toBe(t.sampleRate);
        expect(pcm.samples.length / 2).toBeGreaterThanOrEqual(t.samples);
        const words = estimateWordTimes(t.text, pcm)!;
        expect(words.map((w) => w.word)).toEqual(t.text.split(/\s+/));
        for (const [k, w] of words.entries()) {
          expect(w.end).toBeGreaterThanOrEqual(w.start);
          if (k > 0) expect(w.start).toBeGreaterThanOrEqual(words[k - 1]!.end - 1e-9);
          expect(w.end).toBeLessThanOrEqual(pcmSeconds(pcm) + 1e-9);
        }
        for (const ref of t.words) errors.push(Math.abs(words[ref.index]!.start - ref.start));
      });
    }

    it('starts every word within 250 ms of the reference, with a mean error under 100 ms', () => {
      const sorted = [...errors].sort((a, b) => a - b);
      const mean = errors.reduce((a, b) => a + b, 0) / errors.length;
      console.log(
        `estimate vs espeak-ng word events (${reference.voice}): ${errors.length} words, mean ${ms(mean)}, ` +
          `median ${ms(sorted[Math.floor(sorted.length / 2)]!)}, p90 ${ms(sorted[Math.floor(sorted.length * 0.9)]!)}, max ${ms(sorted.at(-1)!)}`,
      );
      expect(errors.length).toBeGreaterThan(50);
      expect(sorted.at(-1)!).toBeLessThanOrEqual(0.25);
      expect(mean).toBeLessThan(0.1);
    });
  });
}

describe('estimateWordTimes, the parts', () => {
  it('finds the voiced span and the pauses of a sentence pair (espeak-ng pauses at the full stop)', () => {
    const layout = speechLayout(speak('The keeper climbed the stairs. He lit the lamp.'))!;
    expect(layout.voiced.start).toBeLessThan(0.05);
    expect(layout.pauses.length).toBeGreaterThanOrEqual(1);
    expect(layout.pauses[0]!.end - layout.pauses[0]!.start).toBeGreaterThan(0.2);
  });

  it('with fewer pauses than breaks, a pause goes to the break the weights put nearest it', () => {
    // 0.6 s of sound, 0.4 s of silence, 2.4 s of sound: the text breaks twice, the audio once
    const rate = 22050;
    const samples = Buffer.alloc(rate * 3.4 * 2);
    for (let i = 0; i < rate * 3.4; i++)
      if (i < rate * 0.6 || i >= rate * 1.0) samples.writeInt16LE(Math.round(8000 * Math.sin(i / 7)), i * 2);
    const words = estimateWordTimes('Red fox. Blue bird, green frog sat still and long.', { sampleRate: rate, channels: 1, samples })!;
    expect(words[0]!.start).toBe(0);
    expect(words[1]!.end).toBeCloseTo(0.6, 1);
    expect(words[2]!.start).toBeCloseTo(1.0, 1);
    expect(words.at(-1)!.end).toBeCloseTo(3.4, 1);
  });

  it('says nothing for silence or for no words', () => {
    const silence = { sampleRate: 22050, channels: 1, samples: Buffer.alloc(22050 * 2) };
    expect(estimateWordTimes('Hello there.', silence)).toBeUndefined();
    expect(estimateWordTimes('   ', speak('Hello there.'))).toBeUndefined();
  });

  it('weighs long words and numbers above short ones, and cuts scripts without spaces into words', () => {
    expect(wordWeight('lighthouse')).toBeGreaterThan(wordWeight('the'));
    expect(wordWeight('1987')).toBeGreaterThan(wordWeight('year'));
    expect(spokenWords('Hello, world! 🦊')).toEqual(['Hello,', 'world! 🦊']);
    expect(spokenWords('灯台守は毎晩階段を登った。').length).toBeGreaterThan(2);
  });

  it('reads a WAV round trip the same (the estimate works from any 16-bit PCM WAV)', () => {
    const pcm = speak('Every evening he still watched the light.');
    expect(estimateWordTimes('Every evening he still watched the light.', readWav(writeWav(pcm))!)).toEqual(
      estimateWordTimes('Every evening he still watched the light.', pcm),
    );
  });
});
