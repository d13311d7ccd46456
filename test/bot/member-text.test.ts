/**
 * The bot phrases other layers' problems from their codes: in English it says exactly what the
 * engine's StoryInputError and the admission rules say (one wording, two places that must agree),
 * and in every other language a sentence with every value filled in.
 */
import { describe, expect, it } from 'vitest';
import {
  checkFitsLimit,
  checkMostlyWords,
  checkStoryFitsLimit,
  cleanStory,
  decodeStoryBytes,
  StoryInputError,
} from '../../src/engine/story-input.js';
import { refusalMessage, type QueueRefusalReason } from '../../src/jobs/admission-rules.js';
import { admissionText, ENGLISH, memberText, storyInputText } from '../../src/discord/member-text.js';
import { REPLY_LOCALES } from '../../src/i18n/locales.js';

const TEN_MIB = 10 * 1024 * 1024;

function thrown(fn: () => unknown): StoryInputError {
  try {
    fn();
  } catch (error) {
    if (error instanceof StoryInputError) return error;
    throw error;
  }
  throw new Error('did not throw');
}

const problems: [string, StoryInputError][] = [
  ['utf16Invalid', thrown(() => decodeStoryBytes(new Uint8Array([0xff, 0xfe, 0x41])))],
  ['nulByte', thrown(() => decodeStoryBytes(new Uint8Array([0x41, 0x42, 0x00, 0x43])))],
  ['notUtf8', thrown(() => decodeStoryBytes(new Uint8Array([0x41, 0xc3, 0x28])))],
  ['notWords', thrown(() => checkMostlyWords('a #$%&*@ §¶†‡ ¤¦¨©®'))],
  ['nulCharacters', thrown(() => cleanStory('a\u0000b'))],
  ['empty', thrown(() => cleanStory('   '))],
  ['noWords', thrown(() => cleanStory('?! ...'))],
  ['onlyNumbers', thrown(() => cleanStory('12 34 56'))],
  ['tooLong', thrown(() => cleanStory('a'.repeat(20_001)))],
  ['tooLongForSize', thrown(() => checkFitsLimit(600, TEN_MIB))],
  ['tooLongForSizeAtLeast', thrown(() => checkStoryFitsLimit('The sea rose again. '.repeat(990), TEN_MIB))],
];

describe("the engine's story problems, phrased by the bot", () => {
  it('every problem a member can meet has a code', () => {
    for (const [code, error] of problems) expect(error.code, error.message).toBe(code);
  });

  it("in English, word for word the engine's message", () => {
    for (const [, error] of problems) expect(storyInputText(error, ENGLISH)).toBe(error.message);
  });

  it('in every language, with every value filled in and numbers as the language writes them', () => {
    for (const locale of REPLY_LOCALES) {
      for (const [code, error] of problems) {
        const text = storyInputText(error, memberText(locale));
        expect(text, `${locale} ${code}`).not.toMatch(/\{\{|\}\}|undefined|NaN/);
      }
    }
    const tooLong = problems.find(([code]) => code === 'tooLong')![1];
    expect(storyInputText(tooLong, memberText('de'))).toBe('Die Geschichte ist zu lang: 20.001 Zeichen, erlaubt sind 20.000.');
    const fits = problems.find(([code]) => code === 'tooLongForSize')![1];
    expect(storyInputText(fits, memberText('ja'))).toContain('約 10 分 0 秒');
  });

  it('an error without a code keeps its message', () => {
    expect(storyInputText(new StoryInputError('Something else.'), memberText('de'))).toBe('Something else.');
  });
});

describe('admission refusals, phrased by the bot', () => {
  const reasons: QueueRefusalReason[] = ['user-busy', 'queue-full', 'closed', 'unavailable'];

  it("in English, word for word the rules' message", () => {
    for (const reason of reasons) {
      const message = refusalMessage(reason, { perGuildWaiting: 5 });
      expect(admissionText({ reason, message }, ENGLISH, 5)).toBe(message);
    }
  });

  it('in German and Japanese; a reason it has no words for keeps its message', () => {
    const message = refusalMessage('queue-full', { perGuildWaiting: 3 });
    expect(admissionText({ reason: 'queue-full', message }, memberText('de'), 3)).toContain('(3 wartend)');
    expect(admissionText({ reason: 'closed', message: '' }, memberText('ja'))).toBe(
      'ボットを再起動しています。1 分後にもう一度お試しください。',
    );
    expect(admissionText({ reason: 'something-new', message: 'Daily limit reached.' }, memberText('de'))).toBe('Daily limit reached.');
  });
});
