/**
 * Issue 14's "peers": storyreel's render and two one-pass ffmpeg renders of the same prepared
 * scenes, measured in the same process, the order rotated every round so no contender always
 * runs first (a warm or cold page cache, the neighbours' load). Reports medians of wall time,
 * CPU-seconds (node's own time counted for storyreel only: the peers have no node of their own),
 * peak memory of the process tree, and ratios to the floor.
 */
import { stat } from 'node:fs/promises';
import { cpuSince, cpuTimes, sampleTreeMemory } from './process-usage.js';

export interface Contender {
  name: string;
  /** True when node's own work belongs to this contender (storyreel's pipeline runs in it). */
  countsNode: boolean;
  /** Renders once; returns the file it wrote. */
  run: (round: number) => Promise<string>;
}

export interface Measurement {
  wallSeconds: number;
  cpuSeconds: number;
  /** Node's share of cpuSeconds (0 for peers). */
  nodeCpuSeconds: number;
  peakTreeMB: number;
  sizeBytes: number;
}

export interface PeerFigures extends Measurement {
  name: string;
  rounds: Measurement[];
  /** This contender's CPU-seconds / the floor's. */
  cpuRatio: number;
  wallRatio: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const round2 = (n: number) => Number(n.toFixed(2));

export async function measureOnce(contender: Contender, round: number, exclude: Set<number>): Promise<Measurement> {
  const memory = sampleTreeMemory(exclude);
  const cpu = cpuTimes();
  const t0 = performance.now();
  let out: string;
  let peaks: { treeMB: number; childrenMB: number };
  try {
    out = await contender.run(round);
  } finally {
    peaks = memory.stop();
  }
  const wall = (performance.now() - t0) / 1000;
  const used = cpuSince(cpu);
  const nodeCpu = contender.countsNode ? used.self : 0;
  return {
    wallSeconds: round2(wall),
    cpuSeconds: round2(used.children + nodeCpu),
    nodeCpuSeconds: round2(nodeCpu),
    peakTreeMB: contender.countsNode ? peaks.treeMB : peaks.childrenMB,
    sizeBytes: (await stat(out)).size,
  };
}

/** Runs every contender `rounds` times, rotating the order; the first contender named `floor` is the ratios' base. */
export async function comparePeers(
  contenders: Contender[],
  rounds: number,
  exclude: Set<number>,
  onRound?: (text: string) => void,
): Promise<PeerFigures[]> {
  const results = new Map<string, Measurement[]>(contenders.map((c) => [c.name, []]));
  for (let r = 0; r < rounds; r++) {
    const order = contenders.map((_, i) => contenders[(i + r) % contenders.length]!);
    for (const c of order) {
      const m = await measureOnce(c, r, exclude);
      results.get(c.name)!.push(m);
      onRound?.(`  round ${r + 1} ${c.name}: ${m.wallSeconds} s wall, ${m.cpuSeconds} CPU s, ${m.peakTreeMB} MB`);
    }
  }
  const figures = contenders.map((c) => {
    const ms = results.get(c.name)!;
    return {
      name: c.name,
      rounds: ms,
      wallSeconds: round2(median(ms.map((m) => m.wallSeconds))),
      cpuSeconds: round2(median(ms.map((m) => m.cpuSeconds))),
      nodeCpuSeconds: round2(median(ms.map((m) => m.nodeCpuSeconds))),
      peakTreeMB: Math.max(...ms.map((m) => m.peakTreeMB)),
      sizeBytes: Math.round(median(ms.map((m) => m.sizeBytes))),
      cpuRatio: 0,
      wallRatio: 0,
    };
  });
  const floor = figures.find((f) => f.name === 'floor') ?? figures[0]!;
  for (const f of figures) {
    f.cpuRatio = Number((f.cpuSeconds / floor.cpuSeconds).toFixed(3));
    f.wallRatio = Number((f.wallSeconds / floor.wallSeconds).toFixed(3));
  }
  return figures;
}
