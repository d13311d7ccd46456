/**
 * What a Discord member is told when a story could not be made, in their language. Only errors
 * written for them (a story the engine refuses, a video that cannot fit, a missing permission) are
 * shown; anything else (an ffmpeg exit, a path, a provider's answer) stays in the log, and the
 * member gets a plain sentence and the Re-run button.
 */
import { formatSize } from '../media/plan.js';
import { StoryInputError } from '../engine/story-input.js';
import { storyInputText, type MemberText } from './member-text.js';

/** Errors whose message is meant for the person who asked. */
const FOR_MEMBERS = new Set(['StoryInputError', 'OutputTooLargeError', 'MissingChannelAccessError', 'BlockedWordError']);

export function failureTextForMembers(error: unknown, m: MemberText): string {
  const { t } = m;
  if (!(error instanceof Error) || !FOR_MEMBERS.has(error.name)) return t('failure.plain');
  if (error.name === 'MissingChannelAccessError') return t('failure.channelAccess');
  const { sizeBytes, limitBytes } = error as { sizeBytes?: unknown; limitBytes?: unknown };
  if (error.name === 'OutputTooLargeError' && typeof sizeBytes === 'number' && typeof limitBytes === 'number') {
    return t('failure.outputTooLarge', { size: formatSize(sizeBytes), limit: formatSize(limitBytes) });
  }
  const { word } = error as { word?: unknown };
  if (error.name === 'BlockedWordError' && typeof word === 'string') return t('failure.blockedWord', { word });
  if (error instanceof StoryInputError) return storyInputText(error, m);
  // The engine's own sentence about the story (English: it names what to change in the text).
  return error.message.split('\n')[0]!;
}
