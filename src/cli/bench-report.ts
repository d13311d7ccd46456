/** `npm run bench`'s table for people (the --json output carries the same figures). */
import type { PeersReport } from '../bench/peers-section.js';
import { TARGETS } from '../bench/targets.js';

export interface BaseFigures {
  videoSeconds: number;
  width: number;
  height: number;
  sizeBytes: number;
  pipelineSeconds: number;
  lastAssetSeconds: number;
  tailSeconds: number;
  peakRssMB: number;
  eventLoopDelay: { p99Ms: number; maxMs: number };
  machine: string;
}

export interface StandardFigures {
  sequentialSeconds: number;
  speedup: number;
  renderSeconds: number;
  renderRealtimeFactor: number;
  renderRealtimeFactor1080: number;
  render1080: string;
  clipRenderSeconds: number;
  sequentialFetchSeconds: number;
  criticalPathRatio: number;
}

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(2);

export function formatReport(base: BaseFigures, standard: StandardFigures | undefined, peers: PeersReport, maxBytes: number): string {
  const rows: [string, string, string][] = [
    ['machine', base.machine, ''],
    [
      'video',
      `${base.videoSeconds} s, ${base.width}x${base.height}, ${mib(base.sizeBytes)} MiB`,
      `limit ${(maxBytes / 1024 / 1024).toFixed(1)} MiB`,
    ],
  ];
  if (standard)
    rows.push([
      'old way (one at a time)',
      `${standard.sequentialSeconds} s`,
      `fetch ${standard.sequentialFetchSeconds} s + render ${standard.renderSeconds} s`,
    ]);
  rows.push(
    ['pipeline', `${base.pipelineSeconds} s`, standard ? `${standard.speedup}x faster` : ''],
    ['last asset arrived', `${base.lastAssetSeconds} s`, ''],
    ['tail after last asset', `${base.tailSeconds} s`, `target <= ${TARGETS.tailSeconds.toFixed(1)} s`],
  );
  if (standard) {
    rows.push(
      ['pipeline / critical path (last asset + one clip)', `${standard.criticalPathRatio}`, 'target <= 1.15'],
      ['render alone 720p', `${standard.renderRealtimeFactor}x realtime`, `target >= ${TARGETS.renderRealtime720}x`],
      [`render alone ${standard.render1080}`, `${standard.renderRealtimeFactor1080}x realtime`, 'target >= 2x'],
    );
  }
  rows.push(
    ['peak RSS (node)', `${base.peakRssMB} MB`, 'target < 250 MB'],
    ['event-loop delay during the job', `p99 ${base.eventLoopDelay.p99Ms} ms, max ${base.eventLoopDelay.maxMs} ms`, ''],
  );
  for (const c of peers.contenders) {
    rows.push([
      `peer ${c.name} (median of ${peers.rounds})`,
      `${c.wallSeconds} s, ${c.cpuSeconds} CPU s, ${c.peakTreeMB} MB`,
      `CPU ${c.cpuRatio}x, wall ${c.wallRatio}x the floor`,
    ]);
  }
  rows.push(
    ['storyreel CPU / one-pass floor', `${peers.cpuRatio}`, `target <= ${TARGETS.cpuVsFloor}`],
    [
      'SSIM storyreel / floor',
      `${peers.ssim.storyreel.toFixed(4)} / ${peers.ssim.floor.toFixed(4)}`,
      `${mib(peers.ssim.storyreelBytes)} / ${mib(peers.ssim.floorBytes)} MiB`,
    ],
  );
  const { oneAfterOther: seq, together } = peers.twoJobs;
  rows.push(['two jobs: one after the other', `${seq.wallSeconds} s, ${seq.cpuSeconds} CPU s, ${seq.peakTreeMB} MB`, '']);
  rows.push([
    'two jobs: at once',
    `${together.wallSeconds} s, ${together.cpuSeconds} CPU s, ${together.peakTreeMB} MB`,
    'must not be slower',
  ]);
  return rows.map(([a, b, c]) => `${a.padEnd(36)} ${b.padEnd(44)} ${c}`).join('\n') + '\n';
}
