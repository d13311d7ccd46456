/**
 * The story as users type it: checked before any work starts, with one clear message per problem.
 */
import { MAX_SCENES, MAX_STORY_CHARS } from './types.js';

export class StoryInputError extends Error {
  override readonly name = 'StoryInputError';
}

/** Control characters other than tab and newline; zero-width and bidi marks are kept. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

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
