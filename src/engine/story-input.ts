/**
 * The story as users type it: checked before any work starts, with one clear message per problem.
 */
import { MAX_SCENES, MAX_STORY_CHARS } from '../core/story.js';
import { estimateSpeechSeconds } from './silence.js';
import { formatSize, longestFitSeconds } from '../media/plan.js';

export class StoryInputError extends Error {
  override readonly name = 'StoryInputError';
}

/** Control characters other than tab and newline; zero-width and bidi marks are kept. */
const CONTROL = /(?![\t\n\r])\p{Cc}/gu;

/** Normalise a story (NFC, \r\n -> \n, control characters out) and check it; returns the clean text. */
export function cleanStory(raw: string): string {
  const text = raw.normalize('NFC').replace(/\r\n?/g, '\n').replace(CONTROL, '').trim();
  if (text.length === 0 || !/[\p{L}\p{N}\p{Extended_Pictographic}]/u.test(text)) {
    throw new StoryInputError('The story is empty: write at least one sentence.');
  }
  const chars = [...text].length;
  if (chars > MAX_STORY_CHARS) {
    throw new StoryInputError(
      `The story is too long: ${chars.toLocaleString('en-US')} characters, the limit is ${MAX_STORY_CHARS.toLocaleString('en-US')}.`,
    );
  }
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
  );
}

/** Before any work: refuse a story that would not fit even if spoken fast. */
export function checkStoryFitsLimit(story: string, maxBytes: number): void {
  checkFitsLimit(estimateSpeechSeconds(story) * FASTEST_PACE, maxBytes, 'atLeast');
}
