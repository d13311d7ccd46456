/** The test helper itself: a real redis-server that answers, dies on kill(), comes back empty on restart(). */
import { Redis } from 'ioredis';
import { connect } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../support/redis-server.js';

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

describe('startRedis', () => {
  const started: TestRedis[] = [];
  afterAll(async () => {
    for (const r of started) await r.stop();
  });

  it('runs a redis on its own free port that answers, and comes back empty after kill + restart', async () => {
    const a = await startRedis();
    const b = await startRedis();
    started.push(a, b);
    expect(a.port).not.toBe(b.port);
    expect(a.url).toBe(`redis://127.0.0.1:${a.port}`);

    const client = new Redis(a.url, { maxRetriesPerRequest: 0, lazyConnect: true, retryStrategy: () => null });
    await client.connect();
    await client.set('k', 'v');
    expect(await client.get('k')).toBe('v');
    client.disconnect();

    await a.kill();
    expect(await portOpen(a.port)).toBe(false);

    await a.restart();
    const again = new Redis(a.url, { maxRetriesPerRequest: 0, lazyConnect: true, retryStrategy: () => null });
    await again.connect();
    expect(await again.get('k')).toBeNull();
    again.disconnect();

    await b.stop();
    expect(await portOpen(b.port)).toBe(false);
    await b.stop(); // idempotent
  });
});
