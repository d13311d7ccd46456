import { describe, expect, it } from 'vitest';
import { cleanStory, checkSceneCount, StoryInputError } from '../../src/engine/story-input.js';

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
