import { afterAll, describe, expect, it } from 'vitest';
import { performance } from 'node:perf_hooks';
import { threadId } from 'node:worker_threads';
import { LocalImageProvider } from '../../src/providers/images/local.js';
import { paintCard } from '../../src/providers/images/paint-card.js';
import { PaintPool } from '../../src/providers/images/paint-pool.js';
import { useCapturedLogs } from '../support/captured-logs.js';

const pool = new PaintPool(2);
const provider = new LocalImageProvider();

afterAll(async () => {
  await Promise.all([pool.close(), provider.close()]);
});

describe('scene cards painted off the event loop (issue 12 item 6)', () => {
  it('paints in worker threads, the same bytes as painting inline', async () => {
    const req = { prompt: 'a lighthouse at night over the black water', width: 288, height: 512, seed: 3 };
    const cards = await Promise.all([pool.paint(req), pool.paint({ ...req, seed: 4 }), pool.paint(req)]);
    for (const card of cards) expect(card.threadId).not.toBe(threadId);
    expect(pool.workers).toBe(2);
    expect(cards[0]!.bytes.equals(paintCard(req))).toBe(true);
    expect(cards[2]!.bytes.equals(cards[0]!.bytes)).toBe(true);
    expect(cards[1]!.bytes.equals(cards[0]!.bytes)).toBe(false);
  });

  // Event-loop utilisation is the share of wall time the main thread spent running code rather than
  // waiting in its poll: painting inline keeps it at 1.0 for the whole run (each card is 300-1000 ms
  // of synchronous Skia work at 1080x1920); off the main thread it stays near 0.03 (measured, under a
  // load average of 8-19). A ratio, not a duration, so a slow or busy machine does not move it much:
  // 0.5 leaves room for scheduling noise and still fails the inline painter. (The event-loop delay
  // histogram was tried too: its max swings 30-660 ms on this shared machine whoever paints, so it is
  // reported by the benchmark, not asserted.)
  it('keeps the main thread idle while 10 cards paint through the provider', async () => {
    await provider.generate({ prompt: 'warm up', width: 64, height: 64, seed: 0 });
    const before = performance.eventLoopUtilization();
    const images = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        provider.generate({ prompt: `scene ${i}: a boat in the storm`, width: 720, height: 1280, seed: i }),
      ),
    );
    const busy = performance.eventLoopUtilization(before).utilization;
    expect(images.map((img) => img.bytes.readUInt32BE(16))).toEqual(Array(10).fill(720));
    expect(busy).toBeLessThan(0.5);
  });

  it('an abort rejects at once with its reason; close() ends the workers and a later paint starts them again', async () => {
    const controller = new AbortController();
    const running = pool.paint({ prompt: 'a long night', width: 1080, height: 1920, seed: 9 }, controller.signal);
    controller.abort(new Error('cancelled by the user'));
    await expect(running).rejects.toThrow('cancelled by the user');
    await pool.close();
    expect(pool.workers).toBe(0);
    const again = await pool.paint({ prompt: 'morning', width: 64, height: 64, seed: 1 });
    expect(again.threadId).not.toBe(threadId);
    expect(pool.workers).toBe(1);
  });

  describe('when no worker can start', () => {
    const logs = useCapturedLogs();
    it('cards are still painted (inline), and that is logged once', async () => {
      const broken = new PaintPool(2, () => ({ entry: new URL('./no-such-paint-worker.js', import.meta.url), eval: false }));
      const req = { prompt: 'a quiet harbour', width: 64, height: 64, seed: 2 };
      const cards = await Promise.all([broken.paint(req), broken.paint({ ...req, seed: 3 }), broken.paint(req)]);
      expect(cards.map((c) => c.threadId)).toEqual([threadId, threadId, threadId]);
      expect(cards[0]!.bytes.equals(paintCard(req))).toBe(true);
      expect(logs.filter((l) => /painted on the main thread: a paint worker could not start/.test(l))).toHaveLength(1);
      await broken.close();
    });
  });
});
