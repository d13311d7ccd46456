/**
 * SSIM of a video against a reference of the same timeline, from ffmpeg's `ssim` filter ("All:" of
 * its summary line). Frames are paired by their index, not their timestamps: both files hold the
 * same frames, and a container's rounding of a timestamp must not pair a frame with its neighbour.
 */
import { spawn } from 'node:child_process';

export function ssim(ffmpeg: string, video: string, reference: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      ffmpeg,
      [
        '-hide_banner',
        '-nostdin',
        '-loglevel',
        'info',
        '-i',
        video,
        '-i',
        reference,
        '-lavfi',
        '[0:v]settb=1/1000,setpts=N[a];[1:v]settb=1/1000,setpts=N[b];[a][b]ssim',
        '-f',
        'null',
        '-',
      ],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let err = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (err = (err + chunk).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code) => {
      const m = /SSIM .*All:([0-9.]+)/.exec(err);
      if (code === 0 && m) resolve(Number(m[1]));
      else reject(new Error(`ssim failed (exit ${code}): ${err.trim().split('\n').at(-1)}`));
    });
  });
}
