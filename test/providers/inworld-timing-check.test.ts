/**
 * Inworld's word timestamps are "experimental" outside English and Spanish: there they are checked
 * (monotonic, inside the audio, covering the words, across the speech) and, when they fail,
 * replaced by the estimate from the audio. Real client against a fake Inworld on 127.0.0.1 that
 * speaks with real espeak-ng (as the bench fake does) and answers the timings each test gives it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { jsonReply, speak, startFakeServer, alignWords, type FakeServer } from '../fakes/providers.js';
import { InworldVoiceProvider, INWORLD_SAMPLE_RATE } from '../../src/providers/voices/inworld.js';
import { estimateWordTimes } from '../../src/providers/voices/estimate-word-times.js';
import { wordTimingProblem, type RawAlignment } from '../../src/providers/voices/word-timing-check.js';
import { readWav } from '../../src/core/wav.js';
import { fakeConfig } from '../support/provider-config.js';
import { useCapturedLogs } from '../support/captured-logs.js';

const GERMAN = 'Der alte Leuchtturmwärter stieg jeden Abend die Treppe hinauf. Er zündete die Lampe an und wartete auf die Schiffe.';
const ENGLISH = 'The old lighthouse keeper climbed the stairs every night. He lit the lamp and waited for the ships.';

type Mangle = (a: RawAlignment, seconds: number) => RawAlignment;
const crowded: Mangle = (a) => ({
  ...a,
  // every word squeezed into the first half second (the speech runs for seconds)
  wordStartTimeSeconds: a.wordStartTimeSeconds.map((_, i) => i * 0.02),
  wordEndTimeSeconds: a.wordEndTimeSeconds.map((_, i) => i * 0.02 + 0.01),
});
const backwards: Mangle = (a) => ({
  ...a,
  wordStartTimeSeconds: [...a.wordStartTimeSeconds].reverse(),
  wordEndTimeSeconds: [...a.wordEndTimeSeconds].reverse(),
});
const pastTheEnd: Mangle = (a, seconds) => ({
  ...a,
  wordEndTimeSeconds: a.wordEndTimeSeconds.map((t, i, all) => (i === all.length - 1 ? seconds + 3 : t)),
});
const missingWords: Mangle = (a) => ({
  words: a.words.slice(0, 4),
  wordStartTimeSeconds: a.wordStartTimeSeconds.slice(0, 4),
  wordEndTimeSeconds: a.wordEndTimeSeconds.slice(0, 4),
});

let fake: FakeServer | undefined;
useCapturedLogs();
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** A fake Inworld whose word timings are the honest ones passed through `mangle`. */
async function inworld(mangle: Mangle = (a) => a) {
  fake = await startFakeServer({
    async handle(req) {
      const { text } = JSON.parse(req.body) as { text: string };
      const speech = await speak(text, 'LINEAR16', INWORLD_SAMPLE_RATE, 1);
      const wordAlignment = mangle(alignWords(text, speech.voiced, 'words'), speech.seconds);
      return jsonReply(200, { audioContent: speech.audio.toString('base64'), timestampInfo: { wordAlignment } });
    },
  });
  return new InworldVoiceProvider(fakeConfig({ inworld: fake.url }).voices.inworld);
}

describe('Inworld word timings outside English and Spanish', () => {
  for (const [name, mangle] of [
    ['crowded into the first half second', crowded],
    ['going back in time', backwards],
    ['running past the audio', pastTheEnd],
    ['leaving words out', missingWords],
  ] as const) {
    it(`German timings ${name} are replaced by the estimate from the audio`, async () => {
      const voice = await inworld(mangle);
      const speech = await voice.synthesize({ text: GERMAN });
      expect(speech.wordTimings).toBe('estimated');
      expect(speech.words).toEqual(estimateWordTimes(GERMAN, readWav(speech.audio)!));
      expect(speech.words!.map((w) => w.word)).toEqual(GERMAN.split(' '));
    });
  }

  it('German timings that pass the check are kept as measured', async () => {
    const voice = await inworld();
    const speech = await voice.synthesize({ text: GERMAN });
    expect(speech.wordTimings).toBeUndefined();
    const sent = alignWords(GERMAN, (await speak(GERMAN, 'LINEAR16', INWORLD_SAMPLE_RATE, 1)).voiced, 'words');
    expect(speech.words!.map((w) => w.start)).toEqual(sent.wordStartTimeSeconds);
  });

  it('English timings are trusted as given (documented as reliable), even odd ones', async () => {
    const voice = await inworld(crowded);
    const speech = await voice.synthesize({ text: ENGLISH });
    expect(speech.wordTimings).toBeUndefined();
    expect(speech.words![3]!.start).toBeCloseTo(0.06, 3);
  });

  it('names what is wrong with timings that fail the check', async () => {
    const speech = await speak(GERMAN, 'LINEAR16', INWORLD_SAMPLE_RATE, 1);
    const pcm = readWav(speech.audio)!;
    const honest = alignWords(GERMAN, speech.voiced, 'words');
    expect(wordTimingProblem(honest, pcm, GERMAN)).toBeUndefined();
    expect(wordTimingProblem(crowded(honest, speech.seconds), pcm, GERMAN)).toMatch(/span/);
    expect(wordTimingProblem(backwards(honest, speech.seconds), pcm, GERMAN)).toMatch(/back in time/);
    expect(wordTimingProblem(pastTheEnd(honest, speech.seconds), pcm, GERMAN)).toMatch(/outside the audio/);
    expect(wordTimingProblem(missingWords(honest, speech.seconds), pcm, GERMAN)).toMatch(/cover/);
  });
});
