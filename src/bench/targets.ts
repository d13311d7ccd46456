/**
 * The benchmark's targets, each marked met or missed on a report, and what `npm run bench -- --check`
 * exits on. A figure the run did not measure (`--only peers` skips some) is "not measured", never
 * a miss. The terms the table uses are explained once, in GLOSSARY.
 */
export interface BenchFigures {
  /** Seconds from the last image or voice arriving to the video being done. */
  tailSeconds: number;
  /** Rendering alone from finished assets at 720p, in x realtime (absent with --only peers). */
  renderRealtimeFactor?: number;
  peers: { cpuRatio: number };
  redo?: { shareOfFull: number };
  motion: { held: number; uneven: number };
  sound: { integratedLufs: number; truePeakDbtp: number; ducking: { depthDb?: number; underSpeechDb?: number } };
}

export interface TargetResult {
  name: string;
  /** The measured figure as shown ('not measured' when absent). */
  value: string;
  target: string;
  /** undefined: not measured in this run. */
  met: boolean | undefined;
}

export const TARGETS = {
  tailSeconds: 1.0,
  renderRealtime720: 8,
  cpuVsFloor: 1.15,
  redoShare: 0.25,
  motionHeld: 0.05,
  motionUneven: 0.08,
  loudnessLufs: { target: -14, tolerance: 2 },
  truePeakDbtp: -1,
  duckingDb: 6,
} as const;

const pct = (n: number) => `${(n * 100).toFixed(1)} %`;

function result(
  name: string,
  value: number | undefined,
  shown: (v: number) => string,
  target: string,
  ok: (v: number) => boolean,
): TargetResult {
  return value === undefined || Number.isNaN(value)
    ? { name, value: 'not measured', target, met: undefined }
    : { name, value: shown(value), target, met: ok(value) };
}

/** Every target, met or missed (or not measured), in the order the table shows them. */
export function checkTargets(r: BenchFigures): TargetResult[] {
  const t = TARGETS;
  const ducking = r.sound.ducking.underSpeechDb ?? r.sound.ducking.depthDb;
  return [
    result(
      'tail after the last asset',
      r.tailSeconds,
      (v) => `${v} s`,
      `<= ${t.tailSeconds.toFixed(1)} s`,
      (v) => v <= t.tailSeconds,
    ),
    result(
      'render alone, 720p',
      r.renderRealtimeFactor,
      (v) => `${v}x realtime`,
      `>= ${t.renderRealtime720}x realtime`,
      (v) => v >= t.renderRealtime720,
    ),
    result(
      'CPU vs the floor',
      r.peers.cpuRatio,
      (v) => `${v}`,
      `<= ${t.cpuVsFloor}`,
      (v) => v <= t.cpuVsFloor,
    ),
    result('redo one scene, share of a full render', r.redo?.shareOfFull, pct, `<= ${pct(t.redoShare)}`, (v) => v <= t.redoShare),
    result('motion: held frame pairs', r.motion.held, pct, `<= ${pct(t.motionHeld)}`, (v) => v <= t.motionHeld),
    result('motion: uneven frame pairs', r.motion.uneven, pct, `<= ${pct(t.motionUneven)}`, (v) => v <= t.motionUneven),
    result(
      'loudness',
      r.sound.integratedLufs,
      (v) => `${v} LUFS`,
      `${t.loudnessLufs.target} +-${t.loudnessLufs.tolerance} LUFS`,
      (v) => Math.abs(v - t.loudnessLufs.target) <= t.loudnessLufs.tolerance,
    ),
    result(
      'true peak',
      r.sound.truePeakDbtp,
      (v) => `${v} dBTP`,
      `<= ${t.truePeakDbtp} dBTP`,
      (v) => v <= t.truePeakDbtp,
    ),
    result(
      'music ducked under speech',
      ducking,
      (v) => `${v} dB`,
      `>= ${t.duckingDb} dB`,
      (v) => v >= t.duckingDb,
    ),
  ];
}

export const missed = (results: readonly TargetResult[]): TargetResult[] => results.filter((r) => r.met === false);

/** One line each for the words the table uses. */
export const GLOSSARY = [
  'floor: the same scenes rendered by one plain ffmpeg pass (the least CPU such a video can take); "CPU vs the floor" is storyreel\'s CPU-seconds over it.',
  'peers: other ways to make the same video on the same scenes and machine (the floor, and a naive one-pass render), measured beside storyreel.',
  'critical path: the last asset arriving plus one scene clip rendering, the soonest any pipeline could finish; "pipeline / critical path" is how close it comes.',
];

/** The targets section of the table: every target marked, the tally, the glossary. */
export function formatTargets(results: readonly TargetResult[]): string {
  const mark = (met: boolean | undefined) => (met === undefined ? 'n/a' : met ? 'met' : 'MISSED');
  const rows = results.map((r) => `  ${mark(r.met).padEnd(7)} ${r.name.padEnd(40)} ${r.value.padEnd(22)} target ${r.target}`);
  const measured = results.filter((r) => r.met !== undefined).length;
  const misses = missed(results);
  const tally = misses.length
    ? `${measured - misses.length} of ${measured} targets met; missed: ${misses.map((r) => r.name).join(', ')}`
    : `all ${measured} measured targets met`;
  return ['targets', ...rows, tally, '', ...GLOSSARY].join('\n') + '\n';
}

/** What `--check` does with the results: exit 1 and one line naming each miss; without --check, always 0. */
export function checkOutcome(results: readonly TargetResult[], check: boolean): { exitCode: 0 | 1; line?: string } {
  const misses = missed(results);
  if (!check || misses.length === 0) return { exitCode: 0 };
  const list = misses.map((m) => `${m.name} ${m.value} (target ${m.target})`).join('; ');
  return { exitCode: 1, line: `bench: --check: ${misses.length} target${misses.length === 1 ? '' : 's'} missed: ${list}` };
}
