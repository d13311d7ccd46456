/**
 * A Redis outage in the logs: one line when it is lost (what still works), one when it is back,
 * between them at most a periodic one-line reminder; never ioredis's raw stacks or "Unhandled error
 * event". A worker started while Redis cannot be reached says so in one line.
 */
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startFleet, waitForOutput, type Fleet, type Proc } from '../support/fleet.js';

let fleet: Fleet | undefined;
afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
});

/** The outage this test makes: long enough for many reconnect attempts (ioredis retries every 50 ms to 2 s). */
const OUTAGE_MS = 10_000;
const REMINDER = /still no Redis/;
const RAW = /ioredis|Unhandled error event|^\s+at /m;

const linesAfter = (p: Proc, from: number) => p.output().slice(from).split('\n').filter(Boolean);

/** A port on 127.0.0.1 where nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('Redis outages in the logs', () => {
  it('gateway and worker: one line lost, one line back, nothing raw in between', async () => {
    const f = (fleet = await startFleet({ guilds: 1 }));
    const gateway = f.gateway();
    await waitForOutput(f.discord, gateway, /mode: redis/);
    const worker = f.worker();
    await waitForOutput(f.discord, worker, /render worker .* ready/);
    const from = new Map([gateway, worker].map((p) => [p, p.output().length]));
    await f.redis.kill();
    await waitForOutput(f.discord, gateway, /lost Redis/, 30_000);
    await waitForOutput(f.discord, worker, /lost Redis/, 30_000);
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    await f.redis.restart();
    await waitForOutput(f.discord, gateway, /Redis is back/, 60_000);
    await waitForOutput(f.discord, worker, /Redis is back/, 60_000);
    for (const p of [gateway, worker]) {
      const lines = linesAfter(p, from.get(p)!);
      expect(lines.join('\n')).not.toMatch(RAW);
      expect(lines.join('\n')).not.toMatch(/ECONNREFUSED/);
      const said = lines.filter((l) => !REMINDER.test(l));
      expect(said, p.name).toHaveLength(2);
      expect(said[0]).toMatch(/WARN .*lost Redis/);
      expect(said[1]).toMatch(/INFO .*Redis is back/);
      expect(lines.length - said.length).toBeLessThanOrEqual(1);
    }
  }, 180_000);

  it('a worker whose REDIS_URL cannot be reached at start says so in one line, then waits quietly', async () => {
    const f = (fleet = await startFleet({ guilds: 1, redis: false }));
    const worker = f.worker({ REDIS_URL: `redis://127.0.0.1:${await closedPort()}` });
    await waitForOutput(f.discord, worker, /cannot reach Redis/, 60_000);
    const from = worker.output().length;
    // Reconnect attempts go on meanwhile (several a second at first): none of them may be printed.
    await new Promise((r) => setTimeout(r, 5000));
    expect(worker.output()).not.toMatch(RAW);
    expect(linesAfter(worker, 0)).toHaveLength(1);
    expect(linesAfter(worker, from)).toEqual([]);
    expect(worker.child.exitCode).toBeNull();
  }, 120_000);
});
