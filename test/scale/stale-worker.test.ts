/**
 * A run that no longer holds its job never touches the job's message again: a worker frozen past
 * its lock (SIGSTOP: a paused VM, a long GC) resumes after another worker delivered, and Redis
 * stopped past the lock while a worker renders. Real processes; the fake Discord's record of
 * requests shows that no edit reached the message after the video, which is still there.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { snowflake } from '../fakes/discord/snowflakes.js';
import { startFleet, slashStory, waitForOutput, type Fleet } from '../support/fleet.js';

let fleet: Fleet | undefined;
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && process.env.DEBUG_FLEET)
    for (const p of fleet?.procs ?? []) console.log(`--- ${p.name}\n${p.output()}`);
  for (const p of fleet?.procs ?? []) if (p.child.exitCode === null) p.child.kill('SIGCONT');
  await fleet?.close();
  fleet = undefined;
});

const LOCK_MS = 3000;
const STORY = 'The fox ran. The moon rose. The snow fell.';
const STALE = /another run holds this job now; this run stops and leaves its message alone/;
/** How a stale run ends: it stands down (or, as it did before, finds the video delivered only once it has rendered). */
const ENDED = new RegExp(`${STALE.source}|its video was already delivered`);

/** Every request that changed the job's message (its interaction reply, or the same message in the channel). */
function edits(f: Fleet, token: string) {
  const reply = f.discord.messages(token)[0];
  return f.discord.record.filter(
    (r) =>
      (r.method === 'PATCH' || r.method === 'POST') &&
      r.route !== 'callback' &&
      (r.token === token || (reply !== undefined && r.path.endsWith(`/messages/${reply.id}`))),
  );
}
const delivery = (f: Fleet, token: string) => edits(f, token).find((r) => r.status === 200 && r.files.some((x) => x.name === 'story.mp4'));

function expectNothingAfterDelivery(f: Fleet, token: string): void {
  const delivered = delivery(f, token)!;
  const later = edits(f, token).filter((r) => r !== delivered && r.at >= delivered.at);
  expect(later.map((r) => `${r.method} ${r.path} files=${r.files.map((x) => x.name).join(',')}`)).toEqual([]);
  expect(f.discord.messages(token)[0]!.files.map((x) => x.name)).toEqual(['story.mp4']);
  expect(edits(f, token).filter((r) => r.files.some((x) => x.name === 'story.mp4'))).toHaveLength(1);
}

/** Gateway and two idle workers, then a story: resolves once one worker renders it and its message shows progress. */
async function renderingOnOneOfTwo(f: Fleet) {
  await waitForOutput(f.discord, f.gateway(), /mode: redis/);
  const workers = [f.worker(), f.worker()];
  for (const w of workers) await waitForOutput(f.discord, w, /render worker .* ready/);
  const { token } = slashStory(f, f.guilds[0]!, { id: snowflake(), username: 'p' }, STORY, 3);
  await f.discord.waitFor(
    () => workers.some((w) => /: rendering/.test(w.output())) && f.images.inFlight() > 0 && edits(f, token).length > 0,
    60_000,
    'a worker rendering, the message edited',
  );
  const holder = workers.find((w) => /: rendering/.test(w.output()))!;
  return { token, holder, other: workers.find((w) => w !== holder)! };
}

describe('a run that lost its job', () => {
  it('a worker frozen past its lock (SIGSTOP) resumes after another delivered: not one edit more', async () => {
    const f = (fleet = await startFleet({ guilds: 1, imageLatencyMs: 5000, env: { WORKER_LOCK_MS: String(LOCK_MS) } }));
    const { token, holder, other } = await renderingOnOneOfTwo(f);
    holder.child.kill('SIGSTOP');
    f.images.options.latencyMs = 100;
    await f.discord.waitFor(() => delivery(f, token) !== undefined, 120_000, 'the video from the other worker');
    await f.discord.waitFor(() => f.jobs()[0]?.status === 'done', 60_000, 'history to say done');
    holder.child.kill('SIGCONT');
    await waitForOutput(f.discord, holder, ENDED, 60_000);
    expectNothingAfterDelivery(f, token);
    expect(holder.output()).toMatch(STALE);
    expect(other.output()).toMatch(/job \w+ done/);
  }, 300_000);

  it('Redis stopped past the lock while a worker renders: whichever run delivers, no edit follows the video', async () => {
    const f = (fleet = await startFleet({ guilds: 1, imageLatencyMs: 5000, env: { WORKER_LOCK_MS: String(LOCK_MS) } }));
    const { token, holder, other } = await renderingOnOneOfTwo(f);
    await f.redis.kill();
    f.images.options.latencyMs = 100;
    await waitForOutput(f.discord, holder, /lost Redis/, 30_000);
    // The outage itself: longer than the lock, so A's lock lapses while it renders on.
    await new Promise((r) => setTimeout(r, LOCK_MS * 2));
    await f.redis.restart();
    await f.discord.waitFor(() => delivery(f, token) !== undefined, 180_000, 'the video after Redis came back');
    await f.discord.waitFor(() => f.jobs()[0]?.status === 'done', 60_000, 'history to say done');
    await f.discord.waitFor(() => ENDED.test(holder.output()) || ENDED.test(other.output()), 60_000, 'the stale run to stand down');
    expectNothingAfterDelivery(f, token);
  }, 300_000);
});
