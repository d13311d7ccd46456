import { describe, expect, it } from 'vitest';
import { ProviderGate } from '../../src/providers/gate.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ProviderGate', () => {
  it('never runs more than its concurrency at once', async () => {
    const gate = new ProviderGate('test', 3);
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 12 }, () =>
        gate.run(async () => {
          active += 1;
          peak = Math.max(peak, active);
          await tick(5);
          active -= 1;
        }),
      ),
    );
    expect(peak).toBe(3);
  });

  it('a Retry-After pauses every request of the provider and halves concurrency', async () => {
    let clock = 1_000;
    const gate = new ProviderGate('test', 8, () => clock);
    gate.backOff(40);
    expect(gate.concurrency).toBe(4);
    const started: number[] = [];
    const run = gate.run(async () => started.push(clock));
    await tick(15);
    expect(started).toEqual([]); // still paused: the fake clock has not moved
    clock += 40;
    await run;
    expect(started).toEqual([1_040]);
  });

  it('wins concurrency back one step at a time after successes', () => {
    const gate = new ProviderGate('test', 4);
    gate.backOff(0);
    gate.backOff(0);
    expect(gate.concurrency).toBe(1);
    gate.recordSuccess();
    expect(gate.concurrency).toBe(2);
    gate.recordSuccess();
    gate.recordSuccess();
    expect(gate.concurrency).toBe(3);
    for (let i = 0; i < 10; i++) gate.recordSuccess();
    expect(gate.concurrency).toBe(4);
  });

  it('an aborted request waiting on a pause rejects with the abort reason', async () => {
    const gate = new ProviderGate('test', 1);
    gate.backOff(10_000);
    const controller = new AbortController();
    const run = gate.run(async () => 'ran', controller.signal);
    controller.abort(new Error('stop'));
    await expect(run).rejects.toThrow('stop');
  });
});
