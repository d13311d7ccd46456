/**
 * What a scene writer may write: its narration is what the voice service is paid for, so its length
 * is bounded by the story's before any voice request. Retelling a story takes about as many
 * characters as the story; this allows half as much again (and a little more for a very short one).
 */
export const NARRATION_SHARE = 1.5;
/** Slack for very short stories (a one-line story may well get a few sentences). */
const SHORT_STORY_SLACK = 300;

/** The most narration characters a script may hold for a story of `storyChars` characters. */
export function narrationCap(storyChars: number): number {
  return Math.max(Math.ceil(storyChars * NARRATION_SHARE), storyChars + SHORT_STORY_SLACK);
}

/** Why a script's narration is refused for this story, or undefined when it fits. */
export function narrationTooLong(narrations: readonly string[], story: string): string | undefined {
  const storyChars = [...story].length;
  const total = narrations.reduce((sum, n) => sum + [...n].length, 0);
  const cap = narrationCap(storyChars);
  if (total <= cap) return undefined;
  return `its narration was ${total.toLocaleString('en-US')} characters, more than the ${cap.toLocaleString('en-US')} allowed for a ${storyChars.toLocaleString('en-US')}-character story (${NARRATION_SHARE}x)`;
}
