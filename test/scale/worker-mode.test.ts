/**
 * Worker mode end to end, every part a real process: one gateway (`npm start` with REDIS_URL) and
 * two render workers (`npm run worker`) on a Redis of the test's own, the fake Discord and the
 * provider fakes. Six stories over three servers are delivered exactly once each, with the
 * per-server, per-user and fleet limits held across processes (read from Redis itself while it
 * runs), places in line shown and moving, and Cancel reaching a job running on a worker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snowflake } from '../fakes/discord/snowflakes.js';
import { startFleet, slashStory, waitForOutput, type Fleet } from '../support/fleet.js';
import { watchLimits } from '../support/watch-limits.js';

let fleet: Fleet;
beforeAll(async () => {
  fleet = await startFleet({ guilds: 3 });
  const gateway = fleet.gateway({ METRICS_PORT: '0' });
  await waitForOutput(fleet.discord, gateway, /mode: redis/);
  const workers = [fleet.worker({ METRICS_PORT: '0' }), fleet.worker()];
  for (const w of workers) await waitForOutput(fleet.discord, w, /render worker .* ready/);
}, 120_000);
afterAll(async () => fleet?.close());

const embedOf = (fleet: Fleet, token: string) => JSON.stringify(fleet.discord.messages(token)[0]?.embeds ?? []);
/** Successful uploads of a video for this interaction: through its token, or its reply edited with the bot token. */
const uploads = (fleet: Fleet, token: string) => {
  const reply = fleet.discord.messages(token)[0];
  return fleet.discord.record.filter(
    (r) =>
      r.status === 200 &&
      r.files.some((f) => f.name === 'story.mp4') &&
      (r.token === token || (reply && r.path.endsWith(`/messages/${reply.id}`))),
  ).length;
};

describe('worker mode: one gateway, two render workers', () => {
  it('six stories over three servers: each delivered once, limits held across processes, places shown', async () => {
    const limits = watchLimits(fleet.peek(), { perGuildRunning: 1, perGuildWaiting: 5, globalRunning: 2 });

    const sent = fleet.guilds.flatMap((g, i) =>
      [0, 1].map((k) => ({
        guild: g.id,
        ...slashStory(fleet, g, { id: snowflake(), username: `u${i}${k}` }, `Story ${i}-${k}: a heron crossed the bay. The tide came in.`),
      })),
    );
    await fleet.discord.waitFor(() => sent.every((s) => uploads(fleet, s.token) > 0), 240_000, 'every video delivered');
    await fleet.discord.waitFor(
      () => fleet.jobs().length === 6 && fleet.jobs().every((j) => j.status === 'done'),
      30_000,
      'history to say done',
    );
    const peaks = await limits.stop();

    for (const s of sent) expect(uploads(fleet, s.token)).toBe(1);
    expect(peaks.guild).toBe(1);
    expect(peaks.fleet).toBeLessThanOrEqual(2);
    expect(peaks.fleet).toBe(2);
    // Both workers rendered: the work spread over the fleet.
    const doneLines = () =>
      fleet.procs.filter((p) => p.name.startsWith('worker')).map((p) => (p.output().match(/job \w+ done/g) ?? []).length);
    // A worker's log reaches us through a pipe, a moment after its report reached the gateway.
    await fleet.discord.waitFor(() => doneLines().reduce((a, b) => a + b, 0) === 6, 10_000, "every worker's done line");
    const rendered = doneLines();
    expect(rendered.every((n) => n > 0)).toBe(true);
    expect(rendered.reduce((a, b) => a + b, 0)).toBe(6);
    // The second job of each server waited, showing its place, then ran.
    const waited = sent.filter((s) =>
      /⏳/.test(JSON.stringify(fleet.discord.record.filter((r) => r.token === s.token && r.route === 'edit').map((r) => r.json))),
    );
    expect(waited.length).toBeGreaterThanOrEqual(3);
    for (const s of sent) expect(embedOf(fleet, s.token)).toMatch(/Ready, for/);
    // History was written by the gateway from what the workers reported.
    for (const j of fleet.jobs()) expect(j.result?.sizeBytes).toBeGreaterThan(0);
    // Each process with METRICS_PORT serves /healthz and Prometheus /metrics.
    const portOf = (name: string) => Number(/\/metrics on port (\d+)/.exec(fleet.procs.find((p) => p.name === name)!.output())![1]);
    const scrape = async (port: number) => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const gatewayText = await scrape(portOf('gateway'));
    expect(Number(/storyreel_jobs_total\{status="done",role="gateway"\} (\d+)/.exec(gatewayText)?.[1])).toBe(6);
    expect(gatewayText).toMatch(/storyreel_job_duration_seconds_count\{role="gateway"\} 6/);
    const workerText = await scrape(portOf(fleet.procs[1]!.name));
    expect(Number(/storyreel_render_duration_seconds_count\{role="worker"\} (\d+)/.exec(workerText)?.[1])).toBeGreaterThan(0);
    expect(workerText).toMatch(/storyreel_realtime_factor_count/);
    const health = await fetch(`http://127.0.0.1:${portOf('gateway')}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, mode: 'redis', discord: 'connected' });
    // No secret in any process's output.
    for (const p of fleet.procs) expect(p.output()).not.toContain(fleet.discord.token);
  }, 300_000);

  it('one story per person across servers, decided in Redis: a second is refused privately', async () => {
    const user = { id: snowflake(), username: 'twice' };
    fleet.images.options.latencyMs = 1500;
    const first = slashStory(fleet, fleet.guilds[0]!, user, 'A lamp was lit. The night was long.');
    const second = slashStory(fleet, fleet.guilds[1]!, user, 'A boat was built. The sea was calm.');
    await fleet.discord.waitFor(
      () => fleet.discord.callbacks(second.interactionId).length > 0 && fleet.discord.callbacks(first.interactionId).length > 0,
    );
    const cb = fleet.discord.callbacks(second.interactionId)[0] as { type: number; data: { content: string; flags: number } };
    expect(cb.type).toBe(4);
    expect(cb.data.flags & 64).toBe(64);
    expect(cb.data.content).toMatch(/already have a story in progress/);
    await fleet.discord.waitFor(() => uploads(fleet, first.token) > 0, 120_000, 'the first story');
    fleet.images.options.latencyMs = [50, 200];
  }, 180_000);

  it('Cancel reaches a job running on a worker: the render stops and the message says who cancelled', async () => {
    fleet.images.options.latencyMs = 4000;
    const owner = { id: snowflake(), username: 'owner' };
    const g = fleet.guilds[2]!;
    const { token } = slashStory(fleet, g, owner, 'The kite rose. The wind dropped. The kite fell.', 3);
    await fleet.discord.waitFor(() => fleet.jobs().some((j) => j.userId === owner.id && j.status === 'running'), 60_000, 'the job to run');
    const job = fleet.jobs().find((j) => j.userId === owner.id)!;
    const reply = fleet.discord.messages(token)[0]!;
    fleet.discord.sendButton({ guildId: g.id, channelId: g.channel, user: owner, customId: `sr:cancel:${job.id}`, messageId: reply.id });
    await fleet.discord.waitFor(() => /Cancelled by/.test(embedOf(fleet, token)), 10_000, 'the message to say cancelled');
    await fleet.discord.waitFor(
      () => fleet.jobs().find((j) => j.id === job.id)?.status === 'cancelled',
      10_000,
      'history to say cancelled',
    );
    expect(uploads(fleet, token)).toBe(0);
    fleet.images.options.latencyMs = [50, 200];
  }, 120_000);
});
