/**
 * A job's scratch folder, and the one step that puts a finished file where the user asked:
 * write beside the target under a temporary name, then rename, so nothing half-written is ever
 * left at the output path.
 */
import { mkdtemp, open, rename, rm, mkdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, basename, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface Workspace {
  dir: string;
  file(name: string): string;
  remove(): Promise<void>;
}

export async function createWorkspace(root: string = tmpdir()): Promise<Workspace> {
  await mkdir(root, { recursive: true });
  const dir = await mkdtemp(join(root, 'storyreel-'));
  return {
    dir,
    file: (name) => join(dir, name),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A temporary path in the output's own folder (same filesystem, so the final rename is atomic). */
export async function partialPathFor(out: string): Promise<string> {
  await mkdir(dirname(out), { recursive: true });
  return join(dirname(out), `.${basename(out)}.${randomBytes(4).toString('hex')}.partial.mp4`);
}

export async function publish(partial: string, out: string): Promise<void> {
  await rename(partial, out);
}

export class OutputPathError extends Error {
  override readonly name = 'OutputPathError';
}

const WRITE_ERRORS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  ENAMETOOLONG: 'the name is too long',
  ENOTDIR: 'a folder in the path is a file',
  ELOOP: 'too many symbolic links',
  // /proc, /sys and other virtual file systems refuse new files this way.
  ENOENT: 'that folder does not take new files',
};

const exists = (path: string) =>
  stat(path).then(
    (info) => info,
    (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : Promise.reject(error)),
  );

/**
 * Before any work: check that the video can be written at `out`, so a bad path fails in a second
 * with one clear line instead of after a full render (a folder named "dir.mp4" failed with a raw
 * EISDIR on the final rename; "/proc/x.mp4" with "ffmpeg failed"). It creates and removes an
 * empty file beside the target: the same operation the render's partial file needs. Missing
 * folders are made, however deep (`--out out/a/b/x.mp4`), as `mkdir -p` would.
 */
export async function checkOutputPath(out: string): Promise<void> {
  const target = resolve(out);
  const folder = dirname(target);
  const refuse = (why: string) => new OutputPathError(`Cannot write the video to "${out}": ${why}.`);
  const because = (error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code;
    return refuse((code && WRITE_ERRORS[code]) ?? code ?? 'it cannot be written');
  };
  try {
    const existing = await exists(target);
    if (existing?.isDirectory()) throw refuse('it is a folder');
    if (existing && !existing.isFile()) throw refuse('it is not a regular file');
    // (A file where a folder should be already failed above, with ENOTDIR.)
    if (!(await exists(folder))) await mkdir(folder, { recursive: true });
    const probe = join(folder, `.${basename(target)}.${randomBytes(4).toString('hex')}.check`);
    const handle = await open(probe, 'wx');
    await handle.close();
    await rm(probe, { force: true });
  } catch (error) {
    throw error instanceof OutputPathError ? error : because(error);
  }
}
