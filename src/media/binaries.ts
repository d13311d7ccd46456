/**
 * Where ffmpeg and ffprobe come from, in order: an explicit path (FFMPEG_PATH / FFPROBE_PATH),
 * the ffmpeg-static package when it installed (it downloads at install time, so it is often
 * absent), then the programs on PATH. None found: one line that says what to do.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';

export interface FfmpegBinaries {
  ffmpeg: string;
  ffprobe: string;
}

export class MissingBinaryError extends Error {
  override readonly name = 'MissingBinaryError';
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A program on PATH, or undefined. */
export function findOnPath(name: string, path: string = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (existsSync(candidate) && isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function fromFfmpegStatic(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    const path = require('ffmpeg-static') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

function explicit(path: string | undefined, variable: string): string | undefined {
  if (path === undefined) return undefined;
  if (!existsSync(path) || !isExecutable(path)) {
    throw new MissingBinaryError(`${variable} points to "${path}", which is not an executable file: fix or unset ${variable}.`);
  }
  return path;
}

export function resolveFfmpeg(opts: { ffmpegPath?: string; ffprobePath?: string } = {}, path?: string): FfmpegBinaries {
  const ffmpeg = explicit(opts.ffmpegPath, 'FFMPEG_PATH') ?? fromFfmpegStatic() ?? findOnPath('ffmpeg', path);
  const ffprobe = explicit(opts.ffprobePath, 'FFPROBE_PATH') ?? findOnPath('ffprobe', path);
  if (!ffmpeg || !ffprobe) {
    const missing = [!ffmpeg && 'ffmpeg', !ffprobe && 'ffprobe'].filter(Boolean).join(' and ');
    throw new MissingBinaryError(
      `${missing} not found: install it (Debian/Ubuntu: sudo apt-get install ffmpeg; macOS: brew install ffmpeg) or set FFMPEG_PATH and FFPROBE_PATH.`,
    );
  }
  return { ffmpeg, ffprobe };
}
