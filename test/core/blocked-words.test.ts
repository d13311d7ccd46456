import { describe, expect, it } from 'vitest';
import { BlockedWordError, checkNoBlockedWords, cleanBlockedWord, findBlockedWord, foldForMatching } from '../../src/core/blocked-words.js';

describe('blocked words', () => {
  it('match whole words whatever the case or accents', () => {
    expect(findBlockedWord('A Drágon came.', ['dragon'])).toBe('dragon');
    expect(findBlockedWord('DRAGON!', ['Drágon'])).toBe('Drágon');
    expect(findBlockedWord('"dragon"', ['dragon'])).toBe('dragon');
    expect(findBlockedWord('the dragon’s egg', ['dragon'])).toBe('dragon');
  });

  it('do not match a word that merely contains them', () => {
    expect(findBlockedWord('A dragonfly landed.', ['dragon'])).toBeUndefined();
    expect(findBlockedWord('snapdragon', ['dragon'])).toBeUndefined();
    expect(findBlockedWord('dragon2', ['dragon'])).toBeUndefined();
    expect(findBlockedWord('Ödragon', ['dragon'])).toBeUndefined();
  });

  it('fold ß, final sigma, dotted I and compatibility forms', () => {
    expect(foldForMatching('Straße')).toBe('strasse');
    expect(findBlockedWord('DIE STRASSE', ['straße'])).toBe('straße');
    expect(findBlockedWord('ΛΟΓΟΣ', ['λόγος'])).toBe('λόγος');
    expect(findBlockedWord('İstanbul', ['istanbul'])).toBe('istanbul');
    expect(findBlockedWord('ﬁre', ['fire'])).toBe('fire');
  });

  it('match phrases across spaces and punctuation', () => {
    expect(findBlockedWord('a very  bad-word here', ['bad word'])).toBe('bad word');
    expect(findBlockedWord('badword', ['bad word'])).toBeUndefined();
  });

  it('match unspaced scripts as substrings (Japanese, Chinese, Thai)', () => {
    expect(findBlockedWord('昔々、竜巻が来た。', ['竜'])).toBe('竜');
    expect(findBlockedWord('ドラゴンが飛んだ', ['ドラゴン'])).toBe('ドラゴン');
    expect(findBlockedWord('猫が寝た', ['ドラゴン'])).toBeUndefined();
  });

  it('keep only words with a letter or digit', () => {
    expect(cleanBlockedWord('  bad   word ')).toBe('bad word');
    expect(cleanBlockedWord('!!!')).toBe('');
    expect(findBlockedWord('!!!', ['!!!', ''])).toBeUndefined();
  });

  it('checkNoBlockedWords names the word and where it was', () => {
    expect(() => checkNoBlockedWords([{ text: 'fine', where: 'Scene 1' }], [])).not.toThrow();
    try {
      checkNoBlockedWords(
        [
          { text: 'fine', where: 'Scene 1' },
          { text: 'A DRAGON', where: 'Scene 2’s narration' },
        ],
        ['dragon'],
      );
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(BlockedWordError);
      expect((error as BlockedWordError).word).toBe('dragon');
      expect((error as Error).message).toMatch(/Scene 2’s narration contains the blocked word “dragon”/);
    }
  });
});
