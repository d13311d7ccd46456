import { describe, expect, it } from 'vitest';
import { ThrottledEditor } from '../../src/discord/throttled-editor.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ThrottledEditor', () => {
  it('coalesces a burst into few sends, never overlapping, and always sends the latest state', async () => {
    const sent: number[] = [];
    let inFlight = 0;
    let overlap = false;
    const editor = new ThrottledEditor<number>({
      minIntervalMs: 50,
      send: async (n) => {
        inFlight += 1;
        overlap ||= inFlight > 1;
        await tick(15);
        sent.push(n);
        inFlight -= 1;
      },
    });
    const started = Date.now();
    for (let i = 1; i <= 100; i++) {
      editor.update(i);
      if (i % 10 === 0) await tick(20);
    }
    await editor.flush();
    const elapsed = Date.now() - started;
    expect(overlap).toBe(false);
    expect(sent.at(-1)).toBe(100);
    expect(sent.length).toBeLessThanOrEqual(Math.ceil(elapsed / 50) + 1);
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
