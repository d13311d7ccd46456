import { afterEach, describe, expect, it, vi } from 'vitest';
import { ThrottledEditor } from '../../src/discord/throttled-editor.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterEach(() => {
  vi.useRealTimers();
});

describe('ThrottledEditor', () => {
  it('coalesces a burst into few sends, never overlapping, and always sends the latest state', async () => {
    // Fake timers: the clock moves only when the test moves it, so the count below is exact
    // however loaded the machine is.
    vi.useFakeTimers();
    const sent: number[] = [];
    const sentAt: number[] = [];
    let inFlight = 0;
    let overlap = false;
    const editor = new ThrottledEditor<number>({
      minIntervalMs: 50,
      send: async (n) => {
        inFlight += 1;
        overlap ||= inFlight > 1;
        await tick(15);
        sent.push(n);
        sentAt.push(Date.now());
        inFlight -= 1;
      },
    });
    const started = Date.now();
    for (let i = 1; i <= 100; i++) {
      editor.update(i);
      if (i % 10 === 0) await vi.advanceTimersByTimeAsync(20);
    }
    const flushed = editor.flush();
    await vi.runAllTimersAsync();
    await flushed;
    const elapsed = Date.now() - started;
    expect(overlap).toBe(false);
    expect(sent.at(-1)).toBe(100);
    expect(sent.length).toBeLessThanOrEqual(Math.ceil(elapsed / 50) + 1);
    // At most one send starts per 50 ms: each ends at least 50 ms after the one before ended
    // (except the flush, which sends at once).
    for (let i = 1; i < sentAt.length - 1; i++) expect(sentAt[i]! - sentAt[i - 1]!).toBeGreaterThanOrEqual(50);
    expect([...sent].sort((a, b) => a - b)).toEqual(sent); // in order
  });

  it('a failed send is reported and later updates still go out; a fatal one stops it', async () => {
    const errors: unknown[] = [];
    const sent: string[] = [];
    let fail = true;
    const editor = new ThrottledEditor<string>({
      minIntervalMs: 10,
      send: async (p) => {
        if (fail) {
          fail = false;
          throw new Error('transient');
        }
        sent.push(p);
      },
      onError: (e) => {
        errors.push(e);
        return (e as Error).message === 'fatal';
      },
    });
    editor.update('a');
    await editor.flush();
    editor.update('b');
    await editor.flush();
    expect(errors).toHaveLength(1);
    expect(sent).toEqual(['b']);
    editor.stop();
    editor.update('c');
    await editor.flush();
    expect(sent).toEqual(['b']);
  });
});
