/**
 * Runs ffmpeg with arguments built elsewhere: no shell, killed on abort, one-line errors.
 * Live processes are tracked so callers (and tests) can see that none is left behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { concatListText } from './mux-args.js';
import { tiedToParent } from '../core/tied-to-parent.js';

export class FfmpegError extends Error {
  override readonly name = 'FfmpegError';
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly stderrTail: string[],
  ) {
    super(message);
  }
}

const live = new Set<ChildProcess>();

/** ffmpeg processes started by this process that have not exited yet (the storyreel_ffmpeg_processes gauge). */
export function liveFfmpegCount(): number {
  return live.size;
}

const COMMON = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error'];

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

export function runFfmpeg(binary: string, args: string[], opts: { signal?: AbortSignal } = {}): Promise<void> {
  const { signal } = opts;
  if (signal?.aborted) return Promise.reject(abortError(signal));
  return new Promise((resolve, reject) => {
    const child = spawn(...tiedToParent(binary, [...COMMON, ...args]), { stdio: ['ignore', 'ignore', 'pipe'] });
    live.add(child);
    const tail: string[] = [];
    let partial = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      const lines = (partial + chunk).split(/\r?\n/);
      partial = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) tail.push(line.trim());
      if (tail.length > 20) tail.splice(0, tail.length - 20);
    });
    const onAbort = () => child.kill('SIGKILL');
    signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error) => {
      live.delete(child);
      signal?.removeEventListener('abort', onAbort);
      reject(new FfmpegError(`ffmpeg could not start (${binary}): ${error.message}`, null, []));
    });
    child.on('close', (code) => {
      live.delete(child);
      signal?.removeEventListener('abort', onAbort);
      if (partial.trim()) tail.push(partial.trim());
      if (signal?.aborted) return reject(abortError(signal));
      if (code === 0) return resolve();
      const last = tail.filter((l) => !/^\s*(Conversion failed|Error while|Exiting)/i.test(l)).at(-1) ?? tail.at(-1) ?? 'no error output';
      reject(new FfmpegError(`ffmpeg failed (exit ${code}): ${last}`, code, tail));
    });
  });
}

export async function writeConcatList(clips: string[], listPath: string): Promise<void> {
  // ffmpeg reads a list's relative entries against the list's own folder: always absolute.
  await writeFile(listPath, concatListText(clips.map((clip) => resolve(clip))), 'utf8');
}
