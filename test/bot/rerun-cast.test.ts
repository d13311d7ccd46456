/**
 * Re-run keeps the cast with new seeds (issue 21): the button's job draws its parent's characters
 * as history keeps them, not whatever the writer says this time, with portraits from a new seed.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { snowflake } from '../fakes/discord/snowflakes.js';
import { historyPath, startHarness, type Harness } from '../support/bot-harness.js';

const CAST_STORY =
  'Mara, an old keeper, climbed the lighthouse at night. The fox watched Mara from the rocks. ' +
  'At dawn Mara fed the fox and the fox slept by the door.';
/** What the parent's cast said about Mara, as history keeps it (the offline writer would now say "an old keeper"). */
const KEPT = 'a tall woman in a blue fisherman sweater';

let h: Harness;
const owner = { id: snowflake(), username: 'owner' };
const base = () => ({ guildId: h.guilds[0]!.id, channelId: h.guilds[0]!.channel, user: owner });
const done = (token: string) =>
  h.discord.waitFor(() => h.discord.messages(token)[0]?.files.some((f) => f.name === 'story.mp4') ?? false, 90_000);
const jobs = () => h.bot.history.recent({ guildId: h.guilds[0]!.id, limit: 20 });

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

it("Re-run draws the parent's cast (names and descriptions) with new portrait seeds", async () => {
  const { token } = h.discord.sendSlash({
    ...base(),
    name: 'story',
    options: [
      { name: 'story', type: 3, value: CAST_STORY },
      { name: 'scenes', type: 4, value: 2 },
    ],
  });
  await done(token);
  await h.discord.waitFor(() => jobs()[0]?.status === 'done');
  const original = jobs()[0]!;
  expect(original.cast?.map((m) => m.name)).toContain('Mara');
  const db = new Database(historyPath(h));
  db.prepare(
    `UPDATE jobs SET script = json_set(script, '$.cast[0].description', @kept), cast_members = json_set(cast_members, '$[0].description', @kept) WHERE id = @id`,
  ).run({ kept: KEPT, id: original.id });
  db.close();
  const parentCast = h.bot.history.get(original.id)!.cast!.map(({ name, description }) => ({ name, description }));
  expect(parentCast[0]).toEqual({ name: 'Mara', description: KEPT });

  const messageId = h.discord.messages(token)[0]!.id;
  const rerun = h.discord.sendButton({ ...base(), customId: `sr:rerun:${original.id}`, messageId });
  await done(rerun.token);
  await h.discord.waitFor(() => jobs()[0]?.kind === 'rerun' && jobs()[0]?.status === 'done');
  const job = jobs()[0]!;
  expect(job.parentJobId).toBe(original.id);
  expect(job.cast!.map(({ name, description }) => ({ name, description }))).toEqual(parentCast);
  expect(job.script!.cast!.slice(0, parentCast.length).map((m) => m.description)).toEqual(parentCast.map((m) => m.description));
  const seeds = (j: typeof job) => j.cast!.map((m) => m.seed);
  expect(seeds(job).every((s) => s !== undefined)).toBe(true);
  expect(seeds(job)).not.toEqual(seeds(original));
  expect(h.images.record.some((r) => r.path.includes(`Character portrait of Mara, ${KEPT}`))).toBe(true);
});
