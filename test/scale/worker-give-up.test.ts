/**
 * A story whose render worker dies again and again (here: killed three times) is not taken up
 * forever: BullMQ fails it after its third stall, and the gateway gives it up visibly, as the
 * one-process bot does after its resume cap: interrupted in history, its message says why and
 * offers Re-run. (Locks of 3 s instead of 20 s keep the test short.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { snowflake } from '../fakes/discord/snowflakes.js';
import { startFleet, slashStory, waitForOutput, type Fleet, type Proc } from '../support/fleet.js';

let fleet: Fleet | undefined;
afterAll(async () => fleet?.close());

describe('worker mode: a job that keeps killing its workers', () => {
  it('is given up after its third stall: interrupted, with a message that says why and offers Re-run', async () => {
    const f = (fleet = await startFleet({ guilds: 1, imageLatencyMs: 60_000, env: { WORKER_LOCK_MS: '3000' } }));
    await waitForOutput(f.discord, f.gateway(), /mode: redis/);
    const g = f.guilds[0]!;
    const { token } = slashStory(f, g, { id: snowflake(), username: 'k' }, 'The storm came. The lamp held.', 2);
    const takeAndKill = async (rendering: RegExp): Promise<Proc> => {
      const w = f.worker();
      await waitForOutput(f.discord, w, rendering, 60_000);
      w.child.kill('SIGKILL');
      await w.exited;
      return w;
    };
    await takeAndKill(/job \w+: rendering$/m);
    await takeAndKill(/taken up again: its worker stopped 1 time/);
    await takeAndKill(/taken up again: its worker stopped 2 time/);
    const last = f.worker();
    await f.discord.waitFor(() => f.jobs()[0]?.status === 'interrupted', 60_000, 'the job given up');
    expect(f.jobs()[0]!.error).toMatch(/a render worker stopped 3 times/);
    const reply = JSON.stringify(f.discord.messages(token)[0]);
    expect(reply).toMatch(/A render worker stopped 3 times while making this story/);
    expect(reply).toMatch(/sr:rerun:/);
    expect(last.output()).not.toMatch(/job \w+: rendering/);
  }, 240_000);
});
