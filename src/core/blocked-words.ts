/**
 * A server's blocked words, matched the way people mean them: whole words, whatever the case or
 * accents ("Drágon" is "dragon"; "dragonfly" is not). Both sides are folded the same way:
 * NFKD (so "ﬁ" is "fi" and "é" is "e" + a mark), combining marks dropped, then case-folded by an
 * upper-then-lower round trip (so "ß" is "ss" and a final "ς" is "σ"), then marks dropped again
 * (the Turkish "İ" lowers to "i" + a dot).
 *
 * A word boundary is any character that is not a letter or a digit of any script (\p{L}\p{N}).
 * Scripts written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer, Burmese)
 * have no such boundary, so a blocked word containing one of their characters matches anywhere,
 * as a substring: blocking 竜 also blocks 竜巻. Over-blocking there is the safer mistake.
 */

/** Why a script was refused: the blocked word, as the server wrote it, and where it was found. */
export class BlockedWordError extends Error {
  override readonly name = 'BlockedWordError';
  constructor(
    readonly word: string,
    where: string,
  ) {
    super(`${where} contains the blocked word “${word}”: this server does not allow it, so the video was not made.`);
  }
}

const MARKS = /\p{M}/gu;
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const WORD_CHAR = '[\\p{L}\\p{N}]';

/** Text as it is compared: no accents, no case, compatibility forms expanded. */
export function foldForMatching(text: string): string {
  const strip = (s: string) => s.normalize('NFKD').replace(MARKS, '');
  return strip(strip(text).toUpperCase().toLowerCase());
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A blocked word as it is kept: trimmed, inner spaces single. Empty when it has no letter or digit. */
export function cleanBlockedWord(word: string): string {
  const cleaned = word.trim().replace(/\s+/g, ' ');
  return new RegExp(WORD_CHAR, 'u').test(foldForMatching(cleaned)) ? cleaned : '';
}

/** A matcher for a list of blocked words: the first one a text contains (as listed), else undefined. */
export function blockedWordMatcher(words: readonly string[]): (text: string) => string | undefined {
  const patterns = words
    .map((word) => ({ word, folded: foldForMatching(cleanBlockedWord(word)) }))
    .filter(({ folded }) => folded !== '')
    .map(({ word, folded }) => {
      // Spaces inside a blocked phrase match any run of spaces or punctuation between its words.
      const body = folded.split(' ').map(escapeRegExp).join('[^\\p{L}\\p{N}]+');
      const source = UNSPACED.test(folded) ? body : `(?<!${WORD_CHAR})${body}(?!${WORD_CHAR})`;
      return { word, pattern: new RegExp(source, 'u') };
    });
  return (text) => {
    if (patterns.length === 0) return undefined;
    const folded = foldForMatching(text);
    return patterns.find(({ pattern }) => pattern.test(folded))?.word;
  };
}

/** The first blocked word `text` contains, else undefined. */
export function findBlockedWord(text: string, words: readonly string[]): string | undefined {
  return blockedWordMatcher(words)(text);
}

/** Throws BlockedWordError for the first of `texts` that contains a blocked word. */
export function checkNoBlockedWords(texts: readonly { text: string; where: string }[], words: readonly string[] | undefined): void {
  if (!words?.length) return;
  const match = blockedWordMatcher(words);
  for (const { text, where } of texts) {
    const word = match(text);
    if (word !== undefined) throw new BlockedWordError(word, where);
  }
}
