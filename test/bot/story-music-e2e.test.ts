/**
 * /story's music end to end through the real bot (issue 20, item 7): `music: none` delivers a video
 * with no bed (silence after the last word), and without the option the render host's
 * DEFAULT_MUSIC (calm) plays under it; both at -14 LUFS, true peak under -1 dBTP; history keeps
 * the choice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snowflake } from '../fakes/discord/snowflakes.js';
import { startHarness, type Harness } from '../support/bot-harness.js';
import { resolveFfmpeg } from '../../src/media/binaries.js';
import { parseEbur128Summary } from '../../src/media/loudness.js';

const { ffmpeg } = resolveFfmpeg();
let h: Harness;
let dir: string;
beforeAll(async () => {
  h = await startHarness();
  dir = await mkdtemp(join(tmpdir(), 'sr-music-e2e-'));
});
afterAll(async () => {
  await h?.close();
  await rm(dir, { recursive: true, force: true });
});

/** RMS (dBFS) of the video's last 0.3 s but 50 ms: after the narration, where only a bed plays. */
function tailLevel(path: string): number {
  const bytes = execFileSync(ffmpeg, ['-v', 'error', '-i', path, '-f', 'f32le', '-ac', '1', '-ar', '48000', '-'], { maxBuffer: 1e9 });
  const samples = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  const tail = samples.subarray(samples.length - 0.3 * 48_000, samples.length - 0.05 * 48_000);
  return 10 * Math.log10(tail.reduce((sum, v) => sum + v * v, 0) / tail.length + 1e-20);
}

async function story(music?: string): Promise<string> {
  const g = h.guilds[0]!;
  const { token } = h.discord.sendSlash({
    guildId: g.id,
    channelId: g.channel,
    user: { id: snowflake(), username: 'ana' },
    name: 'story',
    options: [
      { name: 'story', type: 3, value: 'The keeper climbed the tower at dusk. He lit the great lamp.' },
      { name: 'scenes', type: 4, value: 1 },
      ...(music ? [{ name: 'music', type: 3, value: music }] : []),
    ],
  });
  await h.discord.waitFor(() => h.discord.messages(token)[0]?.files.some((f) => f.name === 'story.mp4') ?? false, 90_000, 'the video');
  const video = join(dir, `${music ?? 'default'}.mp4`);
  await writeFile(video, h.discord.messages(token)[0]!.files.find((f) => f.name === 'story.mp4')!.bytes);
  await h.discord.waitFor(() => h.bot.history.recent({ guildId: g.id, limit: 1 })[0]?.status === 'done');
  return video;
}

describe('/story music', () => {
  it('none: no bed; unset: the default bed; both at -14 LUFS', async () => {
    const quiet = await story('none');
    expect(h.bot.history.recent({ guildId: h.guilds[0]!.id, limit: 1 })[0]!.options.music).toBe('none');
    const withBed = await story();
    expect(tailLevel(quiet)).toBeLessThan(-90);
    expect(tailLevel(withBed)).toBeGreaterThan(-50);
    for (const video of [quiet, withBed]) {
      const log = spawnSync(
        ffmpeg,
        ['-hide_banner', '-nostats', '-i', video, '-af', 'ebur128=peak=true:framelog=verbose', '-f', 'null', '-'],
        {
          encoding: 'utf8',
        },
      ).stderr;
      const summary = parseEbur128Summary(log)!;
      expect(Math.abs(summary.integrated - -14)).toBeLessThanOrEqual(1);
      expect(summary.truePeak!).toBeLessThanOrEqual(-1);
    }
  }, 240_000);
});
