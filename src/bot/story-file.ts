/**
 * `/story file:`: a story attached as a .txt or .md file, up to the CLI's 20,000 characters (the
 * form stops at Discord's 4,000). Anything else is refused with one sentence saying why. The file
 * is read before the job is admitted, so the download must leave time for the reply: Discord
 * wants an answer within 3 s, and an 80 KB file from its CDN takes well under a second.
 */
import { extname } from 'node:path';
import { MAX_STORY_CHARS } from '../core/story.js';
import { describeError } from '../core/describe-error.js';
import { decodeStoryBytes, StoryInputError } from '../engine/story-input.js';

export const STORY_FILE_EXTENSIONS = ['.txt', '.md'] as const;
/** UTF-8 uses at most 4 bytes a character: a bigger file cannot hold a story within the limit. */
export const MAX_STORY_FILE_BYTES = MAX_STORY_CHARS * 4;
/** Leaves about 1 s of Discord's 3 s for admission and the deferred reply. */
const DOWNLOAD_TIMEOUT_MS = 2_000;

export interface StoryAttachment {
  name: string;
  size: number;
  url: string;
  contentType: string | null;
}

export type StoryFileResult = { ok: true; text: string } | { ok: false; message: string };

const refuse = (message: string): StoryFileResult => ({ ok: false, message });
const tooBig = (bytes: number) =>
  refuse(
    `The file is too long: ${bytes.toLocaleString('en-US')} bytes, a story may have at most ${MAX_STORY_CHARS.toLocaleString('en-US')} characters.`,
  );

/** Checks what Discord says about the file before downloading it, then its bytes. */
export async function readStoryFile(file: StoryAttachment, timeoutMs = DOWNLOAD_TIMEOUT_MS): Promise<StoryFileResult> {
  const ext = extname(file.name).toLowerCase();
  if (!(STORY_FILE_EXTENSIONS as readonly string[]).includes(ext)) {
    return refuse(`Attach the story as a .txt or .md file (got "${file.name.slice(0, 80)}").`);
  }
  // Discord guesses the type from the bytes' name and content; an image renamed .txt says image/png.
  const type = file.contentType?.split(';')[0]?.trim().toLowerCase();
  if (type && !type.startsWith('text/'))
    return refuse(`"${file.name.slice(0, 80)}" is not a text file (it is ${type}): attach a .txt or .md file.`);
  if (file.size > MAX_STORY_FILE_BYTES) return tooBig(file.size);
  let bytes: Buffer;
  try {
    const res = await fetch(file.url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return refuse(`Discord did not hand over the file (HTTP ${res.status}); please attach it again.`);
    bytes = Buffer.from(await res.arrayBuffer());
  } catch (error) {
    return refuse(`The file could not be downloaded (${describeError(error)}); please attach it again.`);
  }
  if (bytes.length > MAX_STORY_FILE_BYTES) return tooBig(bytes.length);
  // the CLI's decoder: UTF-8 (its byte order mark dropped) or UTF-16 with a byte order mark; NUL bytes and
  // other encodings refused with the byte that is wrong
  try {
    return { ok: true, text: decodeStoryBytes(bytes) };
  } catch (error) {
    if (error instanceof StoryInputError) return refuse(`"${file.name.slice(0, 80)}": ${error.message}`);
    throw error;
  }
}
