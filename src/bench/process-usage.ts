/**
 * What a piece of work costs this process and the processes it starts, read from Linux's /proc:
 * - CPU-seconds: this process's user + system time, plus that of every child it has waited for
 *   (ffmpeg, ffprobe: node reaps each one when it exits, and the kernel adds its time then);
 * - peak memory of the process tree: the summed RSS of this process and its live descendants,
 *   sampled every 50 ms (an ffmpeg lives 0.5-10 s, so its plateau is seen).
 * The benchmark's fakes are a child too: their pid is left out of the tree, and as they only
 * exit at the very end, their CPU never lands in a measurement.
 */
import { readFileSync, readdirSync } from 'node:fs';

/** Linux's USER_HZ and page size (getconf CLK_TCK, PAGESIZE): 100 and 4096 on x86-64 and arm64. */
const TICKS_PER_SECOND = 100;
const PAGE_BYTES = 4096;

export interface CpuTimes {
  /** This process (node): user + system seconds. */
  self: number;
  /** Children it has reaped: user + system seconds. */
  children: number;
}

export function cpuTimes(): CpuTimes {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // fields after the command name, which may hold spaces: state is field 3, utime field 14
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const at = (field: number) => Number(f[field - 3]) / TICKS_PER_SECOND;
    return { self: at(14) + at(15), children: at(16) + at(17) };
  } catch {
    // not Linux: node's own time only, children unknown
    const u = process.cpuUsage();
    return { self: (u.user + u.system) / 1e6, children: 0 };
  }
}

export function cpuSince(start: CpuTimes): CpuTimes {
  const now = cpuTimes();
  return { self: now.self - start.self, children: now.children - start.children };
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // the process exited between listing and reading
  }
}

function childrenOf(pid: number): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  return tasks.flatMap((tid) => (read(`/proc/${pid}/task/${tid}/children`) ?? '').split(' ').filter(Boolean).map(Number));
}

function rssBytes(pid: number): number {
  const statm = read(`/proc/${pid}/statm`);
  return statm ? Number(statm.split(' ')[1]) * PAGE_BYTES : 0;
}

/** RSS in bytes of this process and of its descendants, leaving out the `exclude` pids and their trees. */
export function treeRss(exclude: Set<number>): { self: number; children: number } {
  const self = rssBytes(process.pid);
  let children = 0;
  const queue = childrenOf(process.pid).filter((p) => !exclude.has(p));
  while (queue.length > 0) {
    const pid = queue.pop()!;
    children += rssBytes(pid);
    queue.push(...childrenOf(pid));
  }
  return { self, children };
}

export interface MemoryPeaks {
  /** Highest summed RSS of node and its children at one moment, MB. */
  treeMB: number;
  /** Highest summed RSS of the children alone (what a lone ffmpeg peer's tree is), MB. */
  childrenMB: number;
}

export function sampleTreeMemory(exclude: Set<number>, everyMs = 50): { stop: () => MemoryPeaks } {
  let tree = 0;
  let children = 0;
  const sample = () => {
    const r = treeRss(exclude);
    tree = Math.max(tree, r.self + r.children);
    children = Math.max(children, r.children);
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return { treeMB: Math.round(tree / 1024 / 1024), childrenMB: Math.round(children / 1024 / 1024) };
    },
  };
}
