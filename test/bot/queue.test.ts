/** Ten /story commands at once across three servers: limits hold, positions are shown, all finish. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snowflake } from '../fakes/discord/snowflakes.js';
import { startHarness, type Harness } from '../support/bot-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ guilds: 3, editIntervalMs: 300 });
});
afterAll(async () => h?.close());

describe('per-guild queue', () => {
  it('never runs more than the per-guild limit, shows correct positions, and finishes all ten', async () => {
    const running = new Map<string, number>();
    let peakPerGuild = 0;
    let peakGlobal = 0;
    let now = 0;
    h.bot.localQueue!.on('start', (job) => {
      running.set(job.guildId, (running.get(job.guildId) ?? 0) + 1);
      now += 1;
      peakPerGuild = Math.max(peakPerGuild, ...running.values());
      peakGlobal = Math.max(peakGlobal, now);
    });
    h.bot.localQueue!.on('end', (job) => {
      running.set(job.guildId, running.get(job.guildId)! - 1);
      now -= 1;
    });

    const sent = Array.from({ length: 10 }, (_, i) => {
      const g = h.guilds[i % 3]!;
      const story = `Story number ${i + 1}: a small bird crossed the sea.`;
      return {
        guild: g.id,
        ...h.discord.sendSlash({
          guildId: g.id,
          channelId: g.channel,
          user: { id: snowflake(), username: `user${i}` },
          name: 'story',
          options: [
            { name: 'story', type: 3, value: story },
            { name: 'scenes', type: 4, value: 1 },
          ],
        }),
      };
    });
    await h.discord.waitFor(
      () => sent.every((s) => h.discord.messages(s.token)[0]?.files.some((f) => f.name === 'story.mp4') ?? false),
      240_000,
    );
    await h.discord.waitFor(
      () => h.guilds.every((g) => h.bot.history.recent({ guildId: g.id, limit: 20 }).every((j) => j.status === 'done')),
      30_000,
    );

    expect(peakPerGuild).toBe(1);
    expect(peakGlobal).toBeLessThanOrEqual(2);
    const all = h.guilds.flatMap((g) => h.bot.history.recent({ guildId: g.id, limit: 20 }));
    expect(all).toHaveLength(10);
    expect(all.every((j) => j.status === 'done')).toBe(true);

    // Each waiting job showed its place in its server's line, moving up to "you are next".
    // (Admission order depends on which defer lands first, so places are checked for consistency.)
    const placesOf = (token: string) =>
      h.discord.record
        .filter((r) => r.route === 'edit' && r.token === token)
        .map((r) => (r.json?.embeds as { description?: string }[] | undefined)?.[0]?.description ?? '')
        .filter((d) => d.startsWith('⏳'))
        .map((d) => (/you are next/.test(d) ? 1 : Number(/number (\d+)/.exec(d)![1])));
    const waited = sent.map((s) => ({ ...s, places: placesOf(s.token) })).filter((s) => s.places.length > 0);
    expect(waited.length).toBeGreaterThanOrEqual(4);
    expect(Math.max(...waited.flatMap((w) => w.places))).toBeGreaterThanOrEqual(2);
    for (const w of waited) {
      const inGuild = sent.filter((s) => s.guild === w.guild).length;
      expect(Math.max(...w.places)).toBeLessThanOrEqual(inGuild);
      for (let i = 1; i < w.places.length; i++) expect(w.places[i]).toBeLessThan(w.places[i - 1]!);
      expect(w.places.at(-1)).toBe(1);
    }
  }, 300_000);

  it('once history says a job ended, its user may start the next one straight away', async () => {
    const g = h.guilds[0]!;
    const user = { id: snowflake(), username: 'quick' };
    // What the queue answers this user in the first moment after each job's row is finished.
    const answers: string[] = [];
    const finish = h.bot.history.finish.bind(h.bot.history);
    h.bot.history.finish = (id, end) => {
      const row = finish(id, end);
      setImmediate(() => {
        const a = h.bot.localQueue!.check(g.id, user.id);
        answers.push(a.ok ? 'free' : a.reason);
      });
      return row;
    };
    const { token } = h.discord.sendSlash({
      guildId: g.id,
      channelId: g.channel,
      user,
      name: 'story',
      options: [
        { name: 'story', type: 3, value: 'A bird sang. Then it slept.' },
        { name: 'scenes', type: 4, value: 1 },
      ],
    });
    await h.discord.waitFor(() => answers.length > 0, 60_000, 'the job to finish');
    expect(answers).toEqual(['free']);
    expect(h.discord.messages(token)[0]!.files[0]!.name).toBe('story.mp4');
  }, 120_000);
});
