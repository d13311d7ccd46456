/**
 * The story as users type it: checked before any work starts, with one clear message per problem.
 */
import { MAX_SCENES, MAX_STORY_CHARS } from '../core/story.js';
import { estimateSpeechSeconds } from './silence.js';
import { formatSize, longestFitSeconds } from '../media/plan.js';

/**
 * What was wrong, for whoever phrases it again (the bot, in the member's language): a code and the
 * values its message names. The English `message` stays the text for logs and the CLI.
 */
export type StoryInputCode =
  | 'utf16Invalid'
  | 'nulByte'
  | 'notUtf8'
  | 'notWords'
  | 'nulCharacters'
  | 'empty'
  | 'noWords'
  | 'onlyNumbers'
  | 'tooLong'
  | 'tooLongForSize'
  | 'tooLongForSizeAtLeast';

export interface StoryInputProblem {
  code: StoryInputCode;
  values?: Record<string, string | number>;
}

export class StoryInputError extends Error {
  override readonly name = 'StoryInputError';
  readonly code?: StoryInputCode;
  readonly values: Record<string, string | number>;
  constructor(message: string, problem?: StoryInputProblem) {
    super(message);
    this.code = problem?.code;
    this.values = problem?.values ?? {};
  }
}

/**
 * A story file's bytes -> its text, refusing what is not text: NUL bytes (no text file has them;
 * every binary format does within its first few hundred bytes) and bytes that are not UTF-8 (the
 * decoder is fatal: a lenient one turns them into "\uFFFD" captions, which is how a 5,000-byte
 * binary became a 4-minute video). A UTF-8 byte order mark is dropped; UTF-16 with its mark
 * (Windows Notepad's "Unicode") is decoded too, since its every other byte is NUL.
 */
export function decodeStoryBytes(bytes: Uint8Array): string {
  const utf16 = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : undefined;
  if (utf16) {
    try {
      return new TextDecoder(utf16, { fatal: true }).decode(bytes);
    } catch {
      throw new StoryInputError(`The story is not text: it starts like UTF-16 text, but its bytes are not. Save it as UTF-8 text.`, {
        code: 'utf16Invalid',
      });
    }
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    throw new StoryInputError(
      `The story is not text: byte ${(nul + 1).toLocaleString('en-US')} is a NUL byte, as in binary files. Give a plain text file (UTF-8).`,
      { code: 'nulByte', values: { byte: nul + 1 } },
    );
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    throw new StoryInputError(
      `The story is not UTF-8 text: byte ${(at + 1).toLocaleString('en-US')} (0x${bytes[at]!.toString(16).padStart(2, '0')}) starts no character. Save it as UTF-8, or give a text file, not a binary one.`,
      { code: 'notUtf8', values: { byte: at + 1, hex: `0x${bytes[at]!.toString(16).padStart(2, '0')}` } },
    );
  }
}

/** Where valid UTF-8 stops: the lenient decode re-encodes to the same bytes up to that point. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const again = Buffer.from(Buffer.from(bytes).toString('utf8'), 'utf8');
  let i = 0;
  while (i < bytes.length && bytes[i] === again[i]) i++;
  return Math.min(i, bytes.length - 1);
}

/** A character that carries words: a letter or digit in any script, or an emoji. */
const WORDLIKE = /[\p{L}\p{N}\p{Extended_Pictographic}\p{Regional_Indicator}]/u;
/**
 * Parts of the character before them, not characters of their own: combining marks (Devanagari
 * and Thai vowel signs, Arabic harakat, emoji variation selectors), skin tones, invisible format
 * characters (the zero-width joiner inside 👨‍👩‍👧) and the tags of subdivision flags.
 */
const ATTACHED = /[\p{M}\p{Emoji_Modifier}\p{Cf}\u{E0020}-\u{E007F}]/u;
/** Never counted once per run: the marks of a bad decode and of a binary file. */
const ALWAYS_COUNTED = /[\uFFFD\p{Cc}]/u;
/**
 * At least this share of a story's visible characters must be letters, digits or emoji. Prose in
 * any script is far above it (English punctuation is about 3-5% of visible characters, Chinese
 * about 10-15%); line noise (6%), box drawing (20%) and "\uFFFD" runs (22%) are far below it. A run
 * of one punctuation mark ("!!!", "...") counts once, so an emoji story with feeling passes.
 */
const MIN_WORDLIKE_SHARE = 0.4;

/**
 * Refuse a text that is mostly not letters, digits or emoji (spaces left out). Counted by code
 * point, not with Intl.Segmenter: segmenting 20,000 characters took over 1 s here, this takes ~2 ms.
 */
export function checkMostlyWords(text: string): void {
  let visible = 0;
  let wordlike = 0;
  let previous = '';
  for (const ch of text) {
    if (/\s/u.test(ch)) {
      previous = '';
      continue;
    }
    if (ATTACHED.test(ch)) continue;
    const word = WORDLIKE.test(ch);
    const repeated = ch === previous && !word && !ALWAYS_COUNTED.test(ch);
    previous = ch;
    if (repeated) continue;
    visible += 1;
    if (word) wordlike += 1;
  }
  if (visible > 0 && wordlike / visible < MIN_WORDLIKE_SHARE) {
    throw new StoryInputError(
      `The story does not look like text: only ${Math.floor((100 * wordlike) / visible)}% of its characters are letters, digits or emoji (at least ${MIN_WORDLIKE_SHARE * 100}% must be). Send the story as plain text.`,
      { code: 'notWords', values: { percent: Math.floor((100 * wordlike) / visible), min: MIN_WORDLIKE_SHARE * 100 } },
    );
  }
}

/** Control characters other than tab and newline; zero-width and bidi marks are kept. */
const CONTROL = /(?![\t\n\r])\p{Cc}/gu;

/**
 * Normalise a story (NFC, \r\n -> \n, control characters out) and check that it is text worth
 * narrating; returns the clean text.
 */
export function cleanStory(raw: string): string {
  if (raw.includes('\u0000')) {
    throw new StoryInputError('The story is not text: it contains NUL characters, as binary files do. Send the story as plain text.', {
      code: 'nulCharacters',
    });
  }
  const normalised = raw.normalize('NFC').replace(/\r\n?/g, '\n');
  const text = normalised.replace(CONTROL, '').trim();
  if (text.length === 0) throw new StoryInputError('The story is empty: write at least one sentence.', { code: 'empty' });
  if (!/[\p{L}\p{N}\p{Extended_Pictographic}]/u.test(text)) {
    throw new StoryInputError('The story has no words, only punctuation or symbols: write at least one sentence.', { code: 'noWords' });
  }
  // Numbers alone are no story: read out digit by digit, they made minutes of one scene.
  if (!/[\p{L}\p{Extended_Pictographic}]/u.test(text)) {
    throw new StoryInputError('The story has no words, only numbers: write at least one sentence (numbers inside one are fine).', {
      code: 'onlyNumbers',
    });
  }
  const chars = [...text].length;
  if (chars > MAX_STORY_CHARS) {
    throw new StoryInputError(
      `The story is too long: ${chars.toLocaleString('en-US')} characters, the limit is ${MAX_STORY_CHARS.toLocaleString('en-US')}.`,
      { code: 'tooLong', values: { characters: chars, limit: MAX_STORY_CHARS } },
    );
  }
  // Measured before control characters go: a binary file is full of them.
  checkMostlyWords(normalised);
  return text;
}

export function checkSceneCount(scenes: number | undefined): number | undefined {
  if (scenes === undefined) return undefined;
  if (!Number.isInteger(scenes) || scenes < 1 || scenes > MAX_SCENES) {
    throw new StoryInputError(`Scenes must be a whole number from 1 to ${MAX_SCENES} (got ${scenes}).`);
  }
  return scenes;
}

/** Even a fast voice takes at least this share of the estimated time to say a text. */
const FASTEST_PACE = 0.7;
export function minutes(seconds: number): string {
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)} min ${whole % 60} s`;
}

/**
 * Refuse a narration that no encoding can fit in maxBytes: `measured` narration, or `atLeast` the
 * length a story would take even spoken fast.
 */
export function checkFitsLimit(narrationSeconds: number, maxBytes: number, how: 'measured' | 'atLeast' = 'measured'): void {
  const longest = longestFitSeconds(maxBytes);
  if (narrationSeconds <= longest) return;
  const length = `${how === 'atLeast' ? 'at least' : 'about'} ${minutes(narrationSeconds)}`;
  throw new StoryInputError(
    `The story is too long for a ${formatSize(maxBytes)} video: it makes ${length} of narration, and ${formatSize(maxBytes)} holds at most ${minutes(longest)}. Shorten the story or allow a bigger file.`,
    {
      code: how === 'atLeast' ? 'tooLongForSizeAtLeast' : 'tooLongForSize',
      values: { size: formatSize(maxBytes), seconds: Math.round(narrationSeconds), longest: Math.round(longest) },
    },
  );
}

/** Before any work: refuse a story that would not fit even if spoken fast. */
export function checkStoryFitsLimit(story: string, maxBytes: number): void {
  checkFitsLimit(estimateSpeechSeconds(story) * FASTEST_PACE, maxBytes, 'atLeast');
}
