/**
 * A story with a title line and emoji, through the bot over the fake Discord: the title is kept out
 * of every voice request and every caption, no emoji reaches the voice, and the Subtitles button
 * sends the video's cues as an .srt only its presser sees, the same file after a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snowflake } from '../fakes/discord/snowflakes.js';
import { startHarness, type Harness } from '../support/bot-harness.js';
import { parseSrt } from '../support/parse-srt.js';

const TITLE = "The Clockmaker's Fox";
const STORY = `${TITLE}\n\nThe fox 🦊 found a lantern in the snow. It carried the light home ✨ to the mill.`;
const PICTOGRAPH = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;

let h: Harness;
const owner = { id: snowflake(), username: 'owner' };
const stranger = { id: snowflake(), username: 'stranger' };
const base = (user = owner) => ({ guildId: h.guilds[0]!.id, channelId: h.guilds[0]!.channel, user });
const jobs = () => h.bot.history.recent({ guildId: h.guilds[0]!.id, limit: 20 });
let video: { messageId: string; jobId: string };

beforeAll(async () => {
  h = await startHarness();
  const { token } = h.discord.sendSlash({
    ...base(),
    name: 'story',
    options: [
      { name: 'story', type: 3, value: STORY },
      { name: 'scenes', type: 4, value: 2 },
      { name: 'captions_position', type: 3, value: 'middle' },
    ],
  });
  await h.discord.waitFor(() => h.discord.messages(token)[0]?.files.some((f) => f.name === 'story.mp4') ?? false, 60_000);
  await h.discord.waitFor(() => jobs()[0]?.status === 'done');
  video = { messageId: h.discord.messages(token)[0]!.id, jobId: jobs()[0]!.id };
});
afterAll(async () => h?.close());

async function pressSubtitles(user = stranger) {
  const { interactionId } = h.discord.sendButton({ ...base(user), customId: `sr:subtitles:${video.jobId}`, messageId: video.messageId });
  await h.discord.waitFor(() => h.discord.callbacks(interactionId).length > 0);
  const cb = h.discord.callbacks(interactionId)[0] as { type: number; data?: { flags?: number } };
  const sent = h.discord.record.find((r) => r.route === 'callback' && r.path.includes(interactionId));
  return { cb, file: sent?.files[0] };
}

describe('words of a story through the bot', () => {
  it('keeps the title line out of the narration and the emoji out of the voice', () => {
    const job = jobs()[0]!;
    expect(job.script).toMatchObject({ title: TITLE, titleCard: TITLE });
    expect(job.options.captionsPosition).toBe('middle');
    const texts = h.voices.record.map((r) => (JSON.parse(r.body) as { text: string }).text);
    expect(texts.length).toBeGreaterThan(0);
    for (const text of texts) {
      expect(text).not.toMatch(PICTOGRAPH);
      expect(text).not.toContain('Clockmaker');
    }
    expect(job.script!.scenes.map((s) => s.narration).join(' ')).toContain('🦊');
  });

  it('the result has a Subtitles button; it sends the .srt privately, to anyone who asks', async () => {
    const components = JSON.stringify(h.discord.message(video.messageId)!.components);
    expect(components).toContain(`sr:subtitles:${video.jobId}`);
    const { cb, file } = await pressSubtitles();
    expect(cb.type).toBe(4);
    expect((cb.data?.flags ?? 0) & 64).toBe(64);
    expect(file?.name).toBe('The-Clockmaker-s-Fox.srt');
    const cues = parseSrt(file!.bytes.toString('utf8'));
    const stored = jobs()[0]!.result!.captions!;
    expect(cues.map((c) => c.text.replace(/\n/g, ' '))).toEqual(stored.map((c) => c.text));
    cues.forEach((c, i) => {
      expect(c.start).toBeCloseTo(stored[i]!.start, 2);
      expect(c.end).toBeCloseTo(stored[i]!.end, 2);
    });
    // Word-timed (the fake Inworld times words), the emoji kept, the title not captioned
    expect(stored.every((c) => c.words && c.words.length > 0)).toBe(true);
    expect(cues.map((c) => c.text).join(' ')).toContain('🦊');
    expect(cues.map((c) => c.text).join(' ')).not.toContain('Clockmaker');
  });

  it('sends the same file after a restart (the cues are kept in history)', async () => {
    const before = (await pressSubtitles(owner)).file!.bytes;
    await h.bot.stop();
    await h.startBot();
    const after = (await pressSubtitles(owner)).file!.bytes;
    expect(after.equals(before)).toBe(true);
  });
});
