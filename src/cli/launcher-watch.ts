/**
 * The CLI stops when whatever started it goes away. `kill <pid of npm run story>` (what a supervisor
 * sends to the process it started) ended npm at once, but the node below it (under sh, and tsx's own
 * wrapper) went on rendering for a minute and wrote the video. So the CLI watches its parent and,
 * when npm started it, every process up to npm: when one is gone (or the parent changes, as when it
 * is reparented), `onGone` runs, which stops the render as Ctrl-C does. Linux reads /proc; elsewhere
 * only the parent is watched.
 */
import { readFileSync } from 'node:fs';

/** The parent's pid of `pid` and its state letter, from /proc (undefined: gone, or no /proc). */
function procStat(pid: number): { ppid: number; state: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ...": the command may hold spaces and parentheses, so read after the last ")"
    const [state = '', ppid = '0'] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(ppid), state };
  } catch {
    return undefined;
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** The ancestors to watch: from the parent up to npm, when npm started us (npm_lifecycle_event). */
export function launcherPids(env: NodeJS.ProcessEnv = process.env): number[] {
  if (!env.npm_lifecycle_event) return [];
  const chain: number[] = [];
  for (let pid = process.ppid; pid > 1 && chain.length < 6; pid = procStat(pid)?.ppid ?? 0) {
    chain.push(pid);
    if (/(^|[/\s])npm(-cli\.js)?(\s|$)|npm-cli\.js/.test(cmdline(pid))) return chain;
  }
  // npm not recognised (another runner, no /proc): the parent, sh and the runner above them
  return chain.slice(0, 3);
}

/** Alive and not a zombie (a killed npm lingers as one until its own parent reaps it). */
function alive(pid: number): boolean {
  const stat = procStat(pid);
  if (stat) return stat.state !== 'Z' && stat.state !== 'X';
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Calls `onGone` once when the parent or a watched launcher is gone; returns a stop function. */
export function watchLauncher(onGone: () => void, intervalMs = 250): () => void {
  const parent = process.ppid;
  const watched = launcherPids();
  const timer = setInterval(() => {
    if (process.ppid === parent && alive(parent) && watched.every(alive)) return;
    clearInterval(timer);
    onGone();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
