import { describe, expect, it } from 'vitest';
import { cleanStory, checkSceneCount, checkFitsLimit, checkStoryFitsLimit, minutes, StoryInputError } from '../../src/engine/story-input.js';
import { longestFitSeconds } from '../../src/media/plan.js';

describe('cleanStory', () => {
  it.each([[''], ['   \n\t  '], ['\u0000\u0001'], ['... !!! ---']])('refuses an empty story %j', (raw) => {
    expect(() => cleanStory(raw)).toThrow(StoryInputError);
    expect(() => cleanStory(raw)).toThrow(/empty/);
  });

  it('refuses more than 20,000 characters, counting characters not UTF-16 units', () => {
    expect(() => cleanStory('a'.repeat(20_001))).toThrow(/too long: 20,001 characters/);
    expect(cleanStory('😀'.repeat(20_000))).toHaveLength(40_000);
  });

  it('normalises line ends and drops control characters but keeps Unicode', () => {
    expect(cleanStory(' Hello\r\nworld\u0007 {\\N} 日本 \u200d ')).toBe('Hello\nworld {\\N} 日本 \u200d');
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
    expect(() => checkStoryFitsLimit('The sea rose again. '.repeat(990), tenMiB)).toThrow(/too long for a 10\.0 MiB video: it makes at least \d+ min/);
    expect(() => checkStoryFitsLimit('The sea rose again. '.repeat(990), 100 * tenMiB)).not.toThrow();
    // /story allows 6,000 characters: about 1,100 words of ordinary prose must pass.
    const prose = 'She walked to the old harbour and watched the boats come home. '.repeat(95).slice(0, 6000);
    expect(() => checkStoryFitsLimit(prose, tenMiB)).not.toThrow();
  });
});
