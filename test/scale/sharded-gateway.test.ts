/**
 * The gateway sharded (SHARDS=2: discord.js's ShardingManager, one process per shard, each seeing
 * only its guilds) over one Redis: two gateway processes admitting a burst at the same moment
 * never pass a limit (per server, per person across servers, the fleet), and a job left from
 * before the restart is recovered once, by the shard that owns its server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { snowflake } from '../fakes/discord/snowflakes.js';
import { startFleet, waitForOutput, type Fleet, type Proc } from '../support/fleet.js';
import { watchLimits } from '../support/watch-limits.js';
import { JobHistory } from '../../src/store/job-history.js';
import { shardFor } from '../../src/bot/shard-of.js';

let fleet: Fleet;
let gateway: Proc;
/** Two guilds on each shard. */
let onShard: { id: string; channel: string }[][];
let leftOver: string;

beforeAll(async () => {
  // Enough random guilds that both shards have two.
  fleet = await startFleet({ guilds: 4, shards: 2, env: { MAX_QUEUE_PER_GUILD: '1', MAX_RUNNING_JOBS: '2' } });
  onShard = [0, 1].map((s) => fleet.guilds.filter((g) => shardFor(g.id, 2) === s).slice(0, 2));
  if (onShard.some((l) => l.length < 2)) throw new Error('random guild ids did not cover both shards; run again');
  // A job queued before this gateway started, on shard 1's first guild.
  const h = new JobHistory(join(fleet.dataDir, 'storyreel.sqlite'));
  leftOver = h.create({
    kind: 'story',
    guildId: onShard[1]![0]!.id,
    channelId: onShard[1]![0]!.channel,
    userId: snowflake(),
    story: 'A lamp was left on. Morning came.',
    options: { aspect: '9:16', scenes: 1, maxBytes: 10 * 1024 * 1024, seed: 7 },
  }).id;
  h.close();
  gateway = fleet.gateway({ SHARDS: 'auto' });
  await waitForOutput(fleet.discord, gateway, /gateway running as 2 shard/, 90_000);
  const worker = fleet.worker();
  await waitForOutput(fleet.discord, worker, /render worker .* ready/);
}, 150_000);
afterAll(async () => fleet?.close());

describe('sharded gateway', () => {
  it('each shard logs in as itself; the job left from before is recovered once, by its shard', async () => {
    expect(gateway.output()).toMatch(/shard 0 of 2/);
    expect(gateway.output()).toMatch(/shard 1 of 2/);
    await fleet.discord.waitFor(() => fleet.jobs().find((j) => j.id === leftOver)?.status === 'done', 120_000, 'the left-over job');
    expect(gateway.output().match(/resumed 1 unfinished job/g)).toHaveLength(1);
  }, 150_000);

  it('a burst into both shards at the same moment never passes a limit', async () => {
    const limits = watchLimits(
      fleet.peek(),
      { perGuildRunning: 1, perGuildWaiting: 1, globalRunning: 2 },
      onShard.flat().map((g) => g.id),
    );
    // One person in a server of each shard at once (two processes decide), and three people per server.
    const twice = { id: snowflake(), username: 'twice' };
    const sent = [
      ...onShard.map((l) => ({
        kind: 'twice',
        ...fleet.discord.sendSlash({
          guildId: l[1]!.id,
          channelId: l[1]!.channel,
          user: twice,
          name: 'story',
          options: [
            { name: 'story', type: 3, value: 'One bird. One song.' },
            { name: 'scenes', type: 4, value: 1 },
          ],
        }),
      })),
      ...onShard.flat().flatMap((g, i) =>
        [0, 1, 2].map((k) => ({
          kind: 'crowd',
          ...fleet.discord.sendSlash({
            guildId: g.id,
            channelId: g.channel,
            user: { id: snowflake(), username: `c${i}${k}` },
            name: 'story',
            options: [
              { name: 'story', type: 3, value: `Tale ${i}-${k}. The end.` },
              { name: 'scenes', type: 4, value: 1 },
            ],
          }),
        })),
      ),
    ];
    await fleet.discord.waitFor(
      () => sent.every((s) => fleet.discord.callbacks(s.interactionId).length > 0),
      30_000,
      'every command answered',
    );
    const refusedOf = (s: (typeof sent)[number]) => {
      const cb = fleet.discord.callbacks(s.interactionId)[0] as { type: number; data?: { content?: string } };
      return cb.type === 4 ? (cb.data?.content ?? '') : undefined;
    };
    const twiceRefused = sent.filter((s) => s.kind === 'twice').map(refusedOf);
    expect(twiceRefused.filter((r) => r === undefined)).toHaveLength(1);
    expect(twiceRefused.find((r) => r !== undefined)).toMatch(/already have a story in progress/);
    const admitted = sent.filter((s) => refusedOf(s) === undefined);
    // Per server: at most one running and one waiting were ever admitted.
    for (const s of sent.filter((x) => refusedOf(x) !== undefined && x.kind === 'crowd')) expect(refusedOf(s)).toMatch(/queue is full/);
    await fleet.discord.waitFor(
      () => admitted.every((s) => fleet.discord.messages(s.token)[0]?.files.some((f) => f.name === 'story.mp4') ?? false),
      240_000,
      'every admitted video',
    );
    const peaks = await limits.stop();
    expect(peaks.guild).toBe(1);
    expect(peaks.fleet).toBeLessThanOrEqual(2);
    expect(peaks.waiting).toBeLessThanOrEqual(1);
    expect(admitted.length).toBeLessThanOrEqual(4 * 2);
  }, 300_000);
});
