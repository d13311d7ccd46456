/**
 * Pure argument builders for the final file: clips joined by the concat demuxer and the AAC
 * narration, both copied (nothing is re-encoded), moov atom at the front (faststart);
 * and the re-encode used when a file came out over its size limit.
 */
import type { EncodingPlan } from './plan.js';
import { videoEncoderArgs } from './clip-args.js';

export function buildMuxArgs(input: { concatList: string; narration: string; out: string }): string[] {
  return [
    '-f',
    'concat',
    '-safe',
    '0',
    '-i',
    input.concatList,
    '-i',
    input.narration,
    '-map',
    '0:v:0',
    '-map',
    '1:a:0',
    '-c:v',
    'copy',
    '-c:a',
    'copy',
    '-movflags',
    '+faststart',
    input.out,
  ];
}

export function buildRefitArgs(input: { input: string; plan: EncodingPlan; out: string }): string[] {
  return [
    '-i',
    input.input,
    '-map',
    '0:v:0',
    '-map',
    '0:a:0',
    ...videoEncoderArgs(input.plan),
    '-c:a',
    'copy',
    '-movflags',
    '+faststart',
    input.out,
  ];
}

/** A concat demuxer list: one `file '...'` line per clip, quotes escaped the demuxer's way. */
export function concatListText(clips: string[]): string {
  return clips.map((clip) => `file '${clip.replace(/'/g, "'\\''")}'`).join('\n') + '\n';
}
