/**
 * What a Discord member is told when a story could not be made. Only errors written for them (a
 * story the engine refuses, a video that cannot fit, a missing permission) are shown as they are;
 * anything else (an ffmpeg exit, a path, a provider's answer) stays in the log, and the member
 * gets a plain sentence and the Re-run button.
 */
export const PLAIN_FAILURE = 'Something went wrong while making the video (the details are in the bot’s log). Press Re-run to try again.';

/** Errors whose message is meant for the person who asked. */
const FOR_MEMBERS = new Set(['StoryInputError', 'OutputTooLargeError', 'MissingChannelAccessError', 'BlockedWordError']);

export function failureTextForMembers(error: unknown): string {
  if (error instanceof Error && FOR_MEMBERS.has(error.name)) return error.message.split('\n')[0]!;
  return PLAIN_FAILURE;
}
