/**
 * `npm run bench` marks every target met or missed and `--check` exits 1 on a miss: the logic, on
 * report objects (the bench itself is not run here).
 */
import { describe, expect, it } from 'vitest';
import { checkOutcome, checkTargets, formatTargets, GLOSSARY, type BenchFigures } from '../../src/bench/targets.js';

const good: BenchFigures = {
  tailSeconds: 0.8,
  renderRealtimeFactor: 9.1,
  peers: { cpuRatio: 1.08 },
  redo: { shareOfFull: 0.19 },
  motion: { held: 0.01, uneven: 0.03 },
  sound: { integratedLufs: -14.3, truePeakDbtp: -1.4, ducking: { depthDb: 9, underSpeechDb: 8.2 } },
};

describe('bench targets', () => {
  it('all met: every line marked met, --check exits 0', () => {
    const results = checkTargets(good);
    expect(results.map((r) => r.met)).toEqual(Array(9).fill(true));
    expect(formatTargets(results)).toMatch(/all 9 measured targets met/);
    expect(checkOutcome(results, true)).toEqual({ exitCode: 0 });
  });

  it('two missed (a 10.25 s tail, 3x render): marked MISSED, named in the tally, --check exits 1', () => {
    const results = checkTargets({ ...good, tailSeconds: 10.25, renderRealtimeFactor: 3 });
    const text = formatTargets(results);
    expect(text).toMatch(/^ {2}MISSED +tail after the last asset +10\.25 s +target <= 1\.0 s$/m);
    expect(text).toMatch(/^ {2}MISSED +render alone, 720p +3x realtime +target >= 8x realtime$/m);
    expect(text).toMatch(/^ {2}met +CPU vs the floor +1\.08 +target <= 1\.15$/m);
    expect(text).toMatch(/7 of 9 targets met; missed: tail after the last asset, render alone, 720p/);
    const outcome = checkOutcome(results, true);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.line).toBe(
      'bench: --check: 2 targets missed: tail after the last asset 10.25 s (target <= 1.0 s); render alone, 720p 3x realtime (target >= 8x realtime)',
    );
    // without --check a miss is only marked
    expect(checkOutcome(results, false)).toEqual({ exitCode: 0 });
  });

  it.each([
    ['loudness too quiet', { sound: { ...good.sound, integratedLufs: -16.5 } }, 'loudness'],
    ['loudness at the edge is met', { sound: { ...good.sound, integratedLufs: -12 } }, undefined],
    ['true peak over -1 dBTP', { sound: { ...good.sound, truePeakDbtp: -0.5 } }, 'true peak'],
    ['ducking under 6 dB', { sound: { ...good.sound, ducking: { underSpeechDb: 4.9 } } }, 'music ducked under speech'],
    ['CPU over the floor', { peers: { cpuRatio: 1.2 } }, 'CPU vs the floor'],
    ['redo over 25 %', { redo: { shareOfFull: 0.3 } }, 'redo one scene, share of a full render'],
    ['motion held over 5 %', { motion: { held: 0.06, uneven: 0.01 } }, 'motion: held frame pairs'],
    ['motion uneven over 8 %', { motion: { held: 0.01, uneven: 0.09 } }, 'motion: uneven frame pairs'],
  ])('%s', (_name, change, miss) => {
    const results = checkTargets({ ...good, ...change } as BenchFigures);
    expect(results.filter((r) => r.met === false).map((r) => r.name)).toEqual(miss ? [miss] : []);
  });

  it('a figure not measured (--only peers) is "n/a", never a miss', () => {
    const { renderRealtimeFactor: _r, redo: _d, ...partial } = good;
    const results = checkTargets(partial);
    expect(results.filter((r) => r.met === undefined).map((r) => r.name)).toEqual([
      'render alone, 720p',
      'redo one scene, share of a full render',
    ]);
    expect(formatTargets(results)).toMatch(/^ {2}n\/a +render alone, 720p +not measured/m);
    expect(checkOutcome(results, true).exitCode).toBe(0);
  });

  it('explains floor, peers and critical path in one line each', () => {
    expect(GLOSSARY).toHaveLength(3);
    expect(GLOSSARY.map((l) => l.split(':')[0])).toEqual(['floor', 'peers', 'critical path']);
    for (const line of GLOSSARY) expect(line).not.toMatch(/\n/);
    expect(formatTargets(checkTargets(good))).toContain(GLOSSARY.join('\n'));
  });
});
