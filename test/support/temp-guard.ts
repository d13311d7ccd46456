/**
 * vitest globalSetup: every temporary folder of a test run goes into one folder of its own, and
 * the run fails if a test left anything there (a test must remove its temp folders; the suite
 * used to leave sr-* folders with MP4s of up to 14 MB each in the temp directory).
 *
 * Why a folder of the run's own rather than a before/after diff of the system temp directory:
 * other runs (other checkouts, CI jobs on the same machine) create and remove sr-* folders there
 * at the same time, and a diff would blame this run for them. Setting TMPDIR here, before any
 * worker starts, reaches os.tmpdir() in every worker and in every process the tests spawn (the CLI,
 * the bot, ffmpeg).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Not ours: tsx keeps its compile cache in the temp directory by design (tsx-<uid>). */
const TOOL_CACHES = /^tsx-\d+$/;

export default function setup(): () => void {
  const runDir = mkdtempSync(join(tmpdir(), 'storyreel-test-run-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = runDir;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    const left = readdirSync(runDir).filter((name) => !TOOL_CACHES.test(name));
    rmSync(runDir, { recursive: true, force: true });
    if (left.length > 0) {
      process.exitCode = 1;
      throw new Error(
        `Tests left ${left.length} temporary folder(s) behind (removed now; each test must remove its own): ${left.sort().join(', ')}`,
      );
    }
  };
}
