/** The buttons on a finished video: Re-run, New images, Cancel, Delete; strangers are refused. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snowflake } from '../fakes/discord/snowflakes.js';
import { PERMISSIONS } from '../fakes/discord/server.js';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startHarness, STORY, type Harness } from '../support/bot-harness.js';

let h: Harness;
const owner = { id: snowflake(), username: 'owner' };
const stranger = { id: snowflake(), username: 'stranger' };
let first: { token: string; messageId: string; jobId: string };

const base = (user = owner, memberPermissions?: string) => ({
  guildId: h.guilds[0]!.id,
  channelId: h.guilds[0]!.channel,
  user,
  memberPermissions,
});
const done = (token: string) =>
  h.discord.waitFor(() => h.discord.messages(token)[0]?.files.some((f) => f.name === 'story.mp4') ?? false, 60_000);
const jobs = () => h.bot.history.recent({ guildId: h.guilds[0]!.id, limit: 20 });

beforeAll(async () => {
  h = await startHarness();
  const { token } = h.discord.sendSlash({
    ...base(),
    name: 'story',
    options: [
      { name: 'story', type: 3, value: STORY },
      { name: 'scenes', type: 4, value: 2 },
    ],
  });
  await done(token);
  await h.discord.waitFor(() => jobs()[0]?.status === 'done');
  first = { token, messageId: h.discord.messages(token)[0]!.id, jobId: jobs()[0]!.id };
});
afterAll(async () => h?.close());

/** The cache's one soundtrack (the only entry kept without metadata): when it was written and last used. */
function soundtrackEntry(): { sidecarMs: number; usedMs: number } {
  const dir = join(h.dataDir, 'cache');
  const found = readdirSync(dir).flatMap((sub) =>
    readdirSync(join(dir, sub))
      .filter((f) => /^[0-9a-f]{64}\.json$/.test(f))
      .map((f) => join(dir, sub, f))
      .filter((json) => Object.keys((JSON.parse(readFileSync(json, 'utf8')) as { meta: object }).meta).length === 0),
  );
  expect(found).toHaveLength(1);
  return { sidecarMs: statSync(found[0]!).mtimeMs, usedMs: statSync(found[0]!.replace(/\.json$/, '.bin')).mtimeMs };
}

function ephemeralReply(interactionId: string): string {
  const cb = h.discord.callbacks(interactionId)[0] as { type: number; data?: { content?: string; flags?: number } };
  expect(cb.type).toBe(4);
  expect((cb.data?.flags ?? 0) & 64).toBe(64);
  return cb.data!.content!;
}

describe('result buttons', () => {
  it("a stranger's click is refused with an ephemeral 'not yours'", async () => {
    for (const action of ['rerun', 'images', 'delete']) {
      const { interactionId } = h.discord.sendButton({
        ...base(stranger),
        customId: `sr:${action}:${first.jobId}`,
        messageId: first.messageId,
      });
      await h.discord.waitFor(() => h.discord.callbacks(interactionId).length > 0);
      expect(ephemeralReply(interactionId)).toMatch(/^Not yours/);
    }
    expect(jobs()).toHaveLength(1);
    expect(h.discord.message(first.messageId)?.deleted).toBeFalsy();
  });

  it('Re-run makes a new video of the same story with new seeds', async () => {
    const { token } = h.discord.sendButton({ ...base(), customId: `sr:rerun:${first.jobId}`, messageId: first.messageId });
    await done(token);
    await h.discord.waitFor(() => jobs()[0]?.status === 'done');
    const [rerun, original] = jobs();
    expect(rerun).toMatchObject({ kind: 'rerun', parentJobId: original!.id, story: original!.story, status: 'done' });
    expect(rerun!.seeds).not.toEqual(original!.seeds);
    expect(h.discord.messages(token)[0]!.files[0]!.name).toBe('story.mp4');
  });

  it('New images keeps scenes and narration: new image requests, no new voice requests', async () => {
    const voiceRequests = h.voices.record.length;
    const imageRequests = h.images.record.length;
    const before = soundtrackEntry();
    const { token } = h.discord.sendButton({ ...base(), customId: `sr:images:${first.jobId}`, messageId: first.messageId });
    await done(token);
    await h.discord.waitFor(() => jobs()[0]?.status === 'done');
    const [fresh, , original] = jobs();
    expect(fresh).toMatchObject({ kind: 'new-images', parentJobId: original!.id });
    expect(fresh!.script?.scenes.map((s) => s.narration)).toEqual(original!.script?.scenes.map((s) => s.narration));
    expect(h.voices.record.length).toBe(voiceRequests);
    expect(h.images.record.length).toBe(imageRequests + 2);
    // the soundtrack (same narration) was read back, not mixed and kept again: its sidecar is as it
    // was (only a write makes one), its bytes were touched by the read
    const after = soundtrackEntry();
    expect(after.sidecarMs).toBe(before.sidecarMs);
    expect(after.usedMs).toBeGreaterThan(before.usedMs);
  });

  it('Cancel stops a running job and says so', async () => {
    h.images.options.latencyMs = 3000;
    const { token } = h.discord.sendSlash({
      ...base(),
      name: 'story',
      options: [{ name: 'story', type: 3, value: 'A slow story. It takes its time.' }],
    });
    await h.discord.waitFor(() => jobs()[0]?.status === 'running', undefined, 'job running');
    const messageId = h.discord.messages(token)[0]!.id;
    const { interactionId } = h.discord.sendButton({
      ...base(stranger, PERMISSIONS.manageMessages),
      customId: `sr:cancel:${jobs()[0]!.id}`,
      messageId,
    });
    await h.discord.waitFor(() => jobs()[0]?.status === 'cancelled', 20_000, 'job cancelled');
    expect(h.discord.callbacks(interactionId)[0]).toMatchObject({ type: 6 });
    await h.discord.waitFor(
      () => /Cancelled by/.test(String((h.discord.messages(token)[0]!.embeds[0] as { description?: string })?.description)),
      undefined,
      "the embed saying 'Cancelled by'",
    );
    h.images.options.latencyMs = [50, 200];
  });

  it('Delete removes the message for its owner', async () => {
    const { interactionId } = h.discord.sendButton({ ...base(), customId: `sr:delete:${first.jobId}`, messageId: first.messageId });
    await h.discord.waitFor(() => h.discord.message(first.messageId)?.deleted === true);
    expect(h.discord.callbacks(interactionId)[0]).toMatchObject({ type: 6 });
  });
});
