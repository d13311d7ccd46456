/**
 * A story's title line: the first line, alone in its paragraph (a blank line after it), short
 * (at most 80 characters and 12 words), with no final full stop, and with a story after it.
 * "The Clockmaker's Fox\n\nOld Henrike kept..." has the title "The Clockmaker's Fox"; it goes on
 * a title card and is never narrated or captioned as part of the first sentence.
 */
const TERMINAL = /[.!?…。！？｡؟۔।॥።,;:，、；：]["'”’»)\]」』]*$/u;
const MAX_TITLE_CHARS = 80;
const MAX_TITLE_WORDS = 12;

export interface TitledStory {
  /** The title line, without markdown heading marks or surrounding quotes; undefined when there is none. */
  title?: string;
  /** The story without its title line. */
  body: string;
}

export function splitTitleLine(story: string): TitledStory {
  const text = story.replace(/\r\n?/g, '\n').trim();
  const match = /^([^\n]*)\n[ \t]*\n([\s\S]*)$/u.exec(text);
  if (!match) return { body: text };
  const line = match[1]!.trim();
  const body = match[2]!.trim();
  // "# Title" (markdown) and "**Title**" are titles too; the marks are not part of it.
  const title = line
    .replace(/^#{1,6}\s+/u, '')
    .replace(/^(\*\*|__)(.+)\1$/u, '$2')
    .trim();
  const words = title.split(/\s+/u).filter(Boolean).length;
  const isTitle =
    body !== '' &&
    /[\p{L}\p{N}]/u.test(title) &&
    [...title].length <= MAX_TITLE_CHARS &&
    words <= MAX_TITLE_WORDS &&
    !TERMINAL.test(title) &&
    /[\p{L}\p{N}]/u.test(body);
  return isTitle ? { title, body } : { body: text };
}
