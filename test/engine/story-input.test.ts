import { describe, expect, it } from 'vitest';
import {
  cleanStory,
  checkSceneCount,
  checkFitsLimit,
  checkStoryFitsLimit,
  decodeStoryBytes,
  minutes,
  StoryInputError,
} from '../../src/engine/story-input.js';
import { checkStoryRequest } from '../../src/bot/story-request.js';
import { longestFitSeconds } from '../../src/media/plan.js';

describe('cleanStory', () => {
  it.each([[''], ['   \n\t  '], ['\u0001\u0002']])('refuses an empty story %j', (raw) => {
    expect(() => cleanStory(raw)).toThrow(StoryInputError);
    expect(() => cleanStory(raw)).toThrow(/empty/);
  });

  it.each([['... !!! ---'], ['!!!! ????']])('says a story of punctuation only has no words: %j', (raw) => {
    expect(() => cleanStory(raw)).toThrow(/^The story has no words, only punctuation or symbols/);
  });

  it('refuses a story of numbers only (it made minutes of one scene), keeps numbers inside words', () => {
    expect(() => cleanStory('3141592653 5897932384 6264338327 '.repeat(20))).toThrow(/^The story has no words, only numbers/);
    expect(cleanStory('In 1969, 3 men flew to the Moon.')).toBe('In 1969, 3 men flew to the Moon.');
  });

  it('refuses more than 20,000 characters, counting characters not UTF-16 units', () => {
    expect(() => cleanStory('a'.repeat(20_001))).toThrow(/too long: 20,001 characters/);
    expect(cleanStory('😀'.repeat(20_000))).toHaveLength(40_000);
  });

  it('normalises line ends and drops control characters but keeps Unicode', () => {
    expect(cleanStory(' Hello\r\nworld\u0007 {\\N} 日本 \u200d ')).toBe('Hello\nworld {\\N} 日本 \u200d');
  });
});

describe('text that is not text', () => {
  /** A PNG's first bytes, then noise: what `--in picture.png` reads. */
  const png = Buffer.concat([
    Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'),
    Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 7919 + 13) % 256)),
  ]);

  it('refuses bytes with a NUL, saying where', () => {
    expect(() => decodeStoryBytes(png)).toThrow(StoryInputError);
    expect(() => decodeStoryBytes(png)).toThrow('The story is not text: byte 9 is a NUL byte, as in binary files.');
  });

  it('refuses bytes that are not UTF-8 (a Latin-1 file), saying which byte', () => {
    const latin1 = Buffer.from('The café was closed. ', 'latin1');
    expect(() => decodeStoryBytes(latin1)).toThrow('The story is not UTF-8 text: byte 8 (0xe9) starts no character.');
    // A cut multi-byte character at the very end, too.
    expect(() => decodeStoryBytes(Buffer.from([0x48, 0x69, 0xe6, 0x97]))).toThrow(/byte 3 \(0xe6\)/);
  });

  it('decodes UTF-8 (its byte order mark dropped) and UTF-16 with a byte order mark', () => {
    expect(decodeStoryBytes(Buffer.from('\uFEFFThe fox 🦊 found 灯笼.', 'utf8'))).toBe('The fox 🦊 found 灯笼.');
    expect(decodeStoryBytes(Buffer.from('\uFEFFThe fox found a lantern.', 'utf16le'))).toBe('The fox found a lantern.');
    const be = Buffer.from('\uFEFFHi.', 'utf16le').swap16();
    expect(decodeStoryBytes(be)).toBe('Hi.');
  });

  it('refuses a story with NUL characters (the bot gets strings, not bytes)', () => {
    expect(() => cleanStory('Once upon a time\u0000\u0000 there was a fox.')).toThrow(/not text: it contains NUL characters/);
  });

  it.each([
    ['line noise', '#$%^&*()_+{}|:"<>?~`-=[]\\;\',./ ok'],
    [
      'a lenient decode of a binary file',
      '\uFFFD\uFFFDPNG\uFFFD\u001A\uFFFD\uFFFD\u0003\uFFFD\uFFFD\uFFFDIHDR\uFFFD\uFFFD\uFFFD\u0002\uFFFD\uFFFD\uFFFD\uFFFD\u0007\uFFFD\uFFFD',
    ],
    ['box drawing', '┌──────┐\n│ hi   │\n└──────┘'],
  ])('refuses %s as mostly not letters, saying how much is', (_name, text) => {
    expect(() => cleanStory(text)).toThrow(
      /^The story does not look like text: only \d+% of its characters are letters, digits or emoji \(at least 40% must be\)/,
    );
  });

  it.each([
    ['Chinese', '從前有一座山，山上有一座廟。廟裡有個老和尚，正在給小和尚講故事。「你聽好了！」他說。'],
    ['Japanese', '狐は雪の中で提灯を見つけた。その光を川まで運んだ。'],
    ['Arabic', 'كان يا ما كان، في قديم الزمان، ثعلب وجد فانوسًا في الثلج. حمله إلى النهر.'],
    ['Devanagari', 'एक लोमड़ी को बर्फ़ में एक लालटेन मिली। वह उसे नदी तक ले गई।'],
    ['Thai', 'สุนัขจิ้งจอกพบตะเกียงในหิมะ มันถือแสงไปที่แม่น้ำ'],
    ['Korean', '여우가 눈 속에서 등불을 찾았다. 그 빛을 강까지 가져갔다.'],
    ['Russian with dialogue', '— Подожди! — сказала она… «Зачем?!» — спросил он.'],
    ['a story told in emoji', '🦊🏮❄️ ➡️ 🏞️🌙 🦢😊 👨‍👩‍👧 🇯🇵 1️⃣'],
    ['emoji with a lot of feeling', '🦊... 🏮!!! ❄️?? 😱😱😱!!!'],
    ['numbers and punctuation of a countdown', '10... 9... 8... 3, 2, 1 — liftoff!'],
  ])('accepts %s', (_name, text) => {
    expect(cleanStory(text)).toBe(text);
  });

  it("the bot's request check refuses them too, with the same message", () => {
    expect(checkStoryRequest('A fox.\u0000', {})).toEqual({ ok: false, message: expect.stringMatching(/^The story is not text/) });
    expect(checkStoryRequest('\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD ab', {})).toEqual({
      ok: false,
      message: expect.stringMatching(/^The story does not look like text/),
    });
    expect(checkStoryRequest('狐は雪の中で提灯を見つけた。', {})).toMatchObject({ ok: true });
  });
});

describe('checkSceneCount', () => {
  it('accepts 1..20 and undefined, refuses others with a clear message', () => {
    expect(checkSceneCount(undefined)).toBeUndefined();
    expect(checkSceneCount(20)).toBe(20);
    expect(() => checkSceneCount(0)).toThrow(/from 1 to 20 \(got 0\)/);
    expect(() => checkSceneCount(21)).toThrow(StoryInputError);
    expect(() => checkSceneCount(2.5)).toThrow(StoryInputError);
  });
});

describe('stories too long for the size limit', () => {
  it('says lengths in whole minutes and seconds, never "60 s"', () => {
    expect(minutes(479.7)).toBe('8 min 0 s');
    expect(minutes(59.4)).toBe('0 min 59 s');
    expect(minutes(600)).toBe('10 min 0 s');
  });

  const tenMiB = 10 * 1024 * 1024;

  it('a 10 MiB video holds a bit over 7 minutes of narration', () => {
    expect(longestFitSeconds(tenMiB)).toBeGreaterThan(7 * 60);
    expect(longestFitSeconds(tenMiB)).toBeLessThan(8 * 60);
  });

  it('refuses measured narration that no bitrate can fit, saying how long it is and what fits', () => {
    expect(() => checkFitsLimit(longestFitSeconds(tenMiB) - 1, tenMiB)).not.toThrow();
    expect(() => checkFitsLimit(600, tenMiB)).toThrow(StoryInputError);
    expect(() => checkFitsLimit(600, tenMiB)).toThrow('about 10 min 0 s of narration, and 10.0 MiB holds at most 7 min 40 s');
  });

  it('refuses up front a story that could not fit even spoken fast, but not the longest /story text', () => {
    expect(() => checkStoryFitsLimit('The sea rose again. '.repeat(990), tenMiB)).toThrow(
      /too long for a 10\.0 MiB video: it makes at least \d+ min/,
    );
    expect(() => checkStoryFitsLimit('The sea rose again. '.repeat(990), 100 * tenMiB)).not.toThrow();
    // /story allows 6,000 characters: about 1,100 words of ordinary prose must pass.
    const prose = 'She walked to the old harbour and watched the boats come home. '.repeat(95).slice(0, 6000);
    expect(() => checkStoryFitsLimit(prose, tenMiB)).not.toThrow();
  });
});
