/** The subtitle file the CLI writes beside each video (`video.mp4` -> `video.srt`), with the burned captions' cues. */
import { writeFile } from 'node:fs/promises';
import { toSrt } from '../engine/srt.js';
import type { CaptionCue } from '../engine/video-cues.js';

export function srtPathFor(video: string): string {
  return video.replace(/\.mp4$/i, '') + '.srt';
}

/** Writes VIDEO.srt; returns its path. */
export async function writeSubtitleFile(video: string, cues: CaptionCue[]): Promise<string> {
  const path = srtPathFor(video);
  await writeFile(path, toSrt(cues), 'utf8');
  return path;
}
