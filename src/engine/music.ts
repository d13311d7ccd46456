/**
 * The music under a video: a named mood (a generated loop, made once and kept in a folder), a
 * user's own file (any format ffmpeg reads; decoded once per video to a WAV we can measure), or
 * none. Either way the answer is a 16-bit mono WAV and its integrated loudness, so the soundtrack
 * can put the bed at a known level whatever the source.
 */
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { buildMoodArgs, isMoodName, MOODS, MUSIC_CHOICES, RECIPE_VERSION, looksLikeMusicFile } from '../media/music-recipes.js';
import { integratedLoudness, pcmToFloat } from '../media/loudness.js';
import { readWav } from '../core/wav.js';
import { runFfmpeg } from '../media/run.js';

export class MusicError extends Error {
  override readonly name = 'MusicError';
}

export interface MusicSource {
  /** A 16-bit mono WAV. */
  path: string;
  /** Its integrated loudness, LUFS. */
  loudness: number;
}

/** Where the generated loops are kept when the engine names no folder. */
export const defaultMusicDir = () => join(tmpdir(), 'storyreel-music');

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.size > 0,
    () => false,
  );
}

async function measuredWav(path: string): Promise<MusicSource> {
  const pcm = readWav(await readFile(path));
  if (!pcm) throw new MusicError(`The music could not be read back (${path}).`);
  const loudness = integratedLoudness(pcmToFloat(pcm), pcm.sampleRate);
  if (!Number.isFinite(loudness)) throw new MusicError('The music file is silent.');
  return { path, loudness };
}

const making = new Map<string, Promise<void>>();

/** A mood's loop, made on first use (about 0.5 CPU-s) and kept in `dir`; written under a temporary name, then renamed. */
export async function moodLoop(ffmpeg: string, name: string, dir: string, signal?: AbortSignal): Promise<string> {
  if (!isMoodName(name)) throw new MusicError(`Unknown music "${name}": choose one of ${MUSIC_CHOICES.join(', ')}.`);
  const path = join(dir, `${name}-v${RECIPE_VERSION}.wav`);
  if (await exists(path)) return path;
  let made = making.get(path);
  if (!made) {
    made = (async () => {
      await mkdir(dir, { recursive: true });
      const temporary = join(dir, `.${name}-${randomUUID()}.wav`);
      try {
        await runFfmpeg(ffmpeg, buildMoodArgs(MOODS[name], temporary), { signal });
        await rename(temporary, path);
      } finally {
        await rm(temporary, { force: true });
      }
    })().finally(() => making.delete(path));
    making.set(path, made);
  }
  await made;
  return path;
}

/**
 * The music for a choice ("none" gives undefined). A file is decoded to `scratch` (mono, 48 kHz,
 * at most `seconds` long: the soundtrack loops it when the video is longer).
 */
export async function resolveMusic(input: {
  ffmpeg: string;
  choice: string;
  dir: string;
  scratch: string;
  seconds: number;
  signal?: AbortSignal;
}): Promise<MusicSource | undefined> {
  const choice = input.choice.trim();
  if (choice === '' || choice === 'none') return undefined;
  if (isMoodName(choice)) return measuredWav(await moodLoop(input.ffmpeg, choice, input.dir, input.signal));
  if (!looksLikeMusicFile(choice)) throw new MusicError(`Unknown music "${choice}": choose one of ${MUSIC_CHOICES.join(', ')}, or a file.`);
  if (!(await exists(choice))) throw new MusicError(`The music file "${choice}" does not exist or is empty.`);
  const args = ['-i', choice, '-vn', '-t', input.seconds.toFixed(3), '-ac', '1', '-ar', '48000', '-c:a', 'pcm_s16le', input.scratch];
  await runFfmpeg(input.ffmpeg, args, { signal: input.signal }).catch((error: unknown) => {
    if (input.signal?.aborted) throw error;
    throw new MusicError(`The music file "${choice}" could not be read as audio: ${(error as Error).message}`);
  });
  return measuredWav(input.scratch);
}
