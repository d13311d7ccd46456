/**
 * The gateway's /healthz tells the truth (issue 24, item 19): 200 while the bot is connected to
 * Discord, 503 once Discord's gateway goes away (discord.js keeps trying to reconnect meanwhile).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/bot-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { METRICS_PORT: '0' } });
});
afterAll(async () => h?.close());

async function health(port: number): Promise<{ status: number; body: { discord?: string } }> {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`);
  return { status: res.status, body: (await res.json()) as { discord?: string } };
}

describe('/healthz of the gateway', () => {
  it('is 200 while connected and 503 once Discord is gone', async () => {
    const line = h.logs.find((l) => /\/healthz and \/metrics on port \d+/.test(l));
    const port = Number(/on port (\d+)/.exec(line ?? '')?.[1]);
    expect(port).toBeGreaterThan(0);
    expect(await health(port)).toMatchObject({ status: 200, body: { discord: 'connected' } });

    h.discord.gateway.close();
    let last = await health(port);
    while (last.status === 200) {
      await new Promise((r) => setTimeout(r, 100));
      last = await health(port);
    }
    expect(last).toMatchObject({ status: 503, body: { discord: 'disconnected' } });
  }, 30_000);
});
