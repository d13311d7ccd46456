/**
 * A story's title before its script exists (the bot shows it while the job waits, and in history):
 * its title line when it opens with one (the line that becomes the title card), else the local
 * writer's rule, the first sentence of the story, cut to 80 characters.
 */
import { splitTitleLine } from '../providers/writers/title-line.js';
import { titleFrom } from '../providers/writers/local.js';

export function storyTitle(story: string): string {
  const { title, body } = splitTitleLine(story);
  return title ?? titleFrom(body);
}
