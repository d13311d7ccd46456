/**
 * A "gateway" child process for the cross-process admission tests (test/jobs/admission-burst-child.ts,
 * run with tsx): its stdin takes commands, `next(prefix)` waits for its next line starting so.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface BurstChild {
  proc: ChildProcess;
  next(prefix: string): Promise<string>;
}

export function startBurstChild(options: unknown): BurstChild {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'test/jobs/admission-burst-child.ts', JSON.stringify(options)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const waiters: (() => void)[] = [];
  createInterface({ input: proc.stdout! }).on('line', (line) => {
    lines.push(line);
    waiters.splice(0).forEach((w) => w());
  });
  return {
    proc,
    async next(prefix) {
      for (;;) {
        const i = lines.findIndex((l) => l.startsWith(prefix));
        if (i >= 0) return lines.splice(i, 1)[0]!.slice(prefix.length).trim();
        if (proc.exitCode !== null) throw new Error(`child exited (${proc.exitCode}) before "${prefix}"`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 200);
        });
      }
    },
  };
}

/** Tell each child to quit and wait for it to exit. */
export async function quitAll(children: BurstChild[]): Promise<void> {
  for (const c of children) {
    c.proc.stdin!.end('quit\n');
    if (c.proc.exitCode === null) await new Promise((r) => c.proc.once('exit', r));
  }
}
