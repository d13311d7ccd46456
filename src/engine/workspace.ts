/**
 * A job's scratch folder, and the one step that puts a finished file where the user asked:
 * write beside the target under a temporary name, then rename, so nothing half-written is ever
 * left at the output path.
 */
import { mkdtemp, rename, rm, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, basename } from 'node:path';
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
