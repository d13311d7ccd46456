/**
 * Compressed speech (Edge's MP3) as 16-bit PCM, to be joined with other voices' parts: ffmpeg
 * decodes it through two files in the job's workspace.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { runFfmpeg } from './run.js';
import { readWav, type Pcm } from '../core/wav.js';

export async function decodeToPcm(
  ffmpeg: string,
  audio: Buffer,
  files: { input: string; output: string },
  opts: { sampleRate: number; signal?: AbortSignal },
): Promise<Pcm> {
  await writeFile(files.input, audio);
  await runFfmpeg(
    ffmpeg,
    ['-i', files.input, '-vn', '-ac', '1', '-ar', String(opts.sampleRate), '-c:a', 'pcm_s16le', '-f', 'wav', files.output],
    { signal: opts.signal },
  );
  const pcm = readWav(await readFile(files.output));
  if (!pcm) throw new Error('ffmpeg decoded the speech to an unreadable WAV');
  return pcm;
}
