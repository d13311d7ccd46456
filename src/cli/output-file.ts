/**
 * `--out` as given -> the video's file: an .mp4 path as it is; a folder (one that exists, or a path
 * ending in a slash) gets the video inside it, named after the story file ("story.mp4" for standard
 * input or a redo). Anything else is refused with one line saying both forms.
 */
import { stat } from 'node:fs/promises';
import { basename, extname, join, sep } from 'node:path';
import { UsageError } from './parse-args.js';

export async function outputFile(out: string, input: string): Promise<string> {
  if (out.toLowerCase().endsWith('.mp4')) return out;
  const folder = out.endsWith('/') || out.endsWith(sep) || (await stat(out).catch(() => undefined))?.isDirectory();
  if (!folder) throw new UsageError(`--out must be an .mp4 file, or a folder to write the video into (got "${out}")`);
  const name = input === '-' || input === '' ? 'story' : basename(input, extname(input)) || 'story';
  return join(out, `${name}.mp4`);
}
