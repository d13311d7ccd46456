/**
 * Live previews: the contact sheet itself (pixels: tiles in order, placeholders, stand-in marks,
 * under 300 KB), and over the fake Discord with the real discord.js: sheets arrive in progress
 * edits as multipart image attachments the embed points at, at most one every 4 s, and the final
 * message keeps only the video.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { snowflake } from '../fakes/discord/snowflakes.js';
import { startHarness, type Harness } from '../support/bot-harness.js';
import { makeTile, paintContactSheet, sheetLayout, SHEET_COLORS, SHEET_MAX_BYTES } from '../../src/discord/contact-sheet.js';
import { LivePreview, PREVIEW_INTERVAL_MS, PREVIEW_NAME } from '../../src/discord/live-preview.js';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Aspect } from '../../src/core/story.js';

type Rgb = [number, number, number];
const hex = (c: string): Rgb => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)) as Rgb;
const near = (a: Rgb, b: Rgb, tolerance = 24) => a.every((v, i) => Math.abs(v - b[i]!) <= tolerance);

async function pixels(jpeg: Buffer) {
  const img = await loadImage(jpeg);
  const canvas = createCanvas(img.width, img.height);
  const g = canvas.getContext('2d');
  g.drawImage(img, 0, 0);
  const data = g.getImageData(0, 0, img.width, img.height).data;
  return {
    width: img.width,
    height: img.height,
    at: (x: number, y: number): Rgb => [0, 1, 2].map((k) => data[(Math.round(y) * img.width + Math.round(x)) * 4 + k]!) as Rgb,
  };
}

function solid(color: string, w = 720, h = 1280): Buffer {
  const c = createCanvas(w, h);
  const g = c.getContext('2d');
  g.fillStyle = color;
  g.fillRect(0, 0, w, h);
  return c.toBuffer('image/png');
}

function noise(w: number, h: number, seed: number): Buffer {
  const c = createCanvas(w, h);
  const g = c.getContext('2d');
  const img = g.createImageData(w, h);
  let x = seed;
  for (let i = 0; i < img.data.length; i++) img.data[i] = i % 4 === 3 ? 255 : (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  g.putImageData(img, 0, 0);
  return c.toBuffer('image/png');
}

describe('contact sheet', () => {
  it('paints tiles in scene order, placeholders for scenes still coming, and marks a stand-in', async () => {
    const aspect: Aspect = '9:16';
    const tiles = [
      { tile: await makeTile(solid('#d03030'), aspect) },
      { tile: await makeTile(solid('#3050d0'), aspect), standIn: true },
      {},
      {},
      {},
    ];
    const jpeg = await paintContactSheet(aspect, tiles);
    expect(jpeg.length).toBeLessThanOrEqual(SHEET_MAX_BYTES);
    const layout = sheetLayout(5, aspect);
    const p = await pixels(jpeg);
    expect([p.width, p.height]).toEqual([layout.width, layout.height]);
    const centre = (i: number) => p.at(layout.origins[i]!.x + layout.tile.w / 2, layout.origins[i]!.y + layout.tile.h / 2);
    expect(near(centre(0), [0xd0, 0x30, 0x30])).toBe(true);
    expect(near(centre(1), [0x30, 0x50, 0xd0])).toBe(true);
    for (const i of [2, 3, 4]) expect(near(centre(i), hex(SHEET_COLORS.placeholder))).toBe(true);
    // Stand-in strip along the bottom of tile 2 only.
    const bottom = (i: number) => p.at(layout.origins[i]!.x + layout.tile.w - 10, layout.origins[i]!.y + layout.tile.h - 6);
    expect(near(bottom(1), hex(SHEET_COLORS.standIn))).toBe(true);
    expect(near(bottom(0), hex(SHEET_COLORS.standIn))).toBe(false);
    // Each tile carries its number in a dark badge at the top left; the gaps are background.
    const badge = p.at(layout.origins[0]!.x + 6, layout.origins[0]!.y + 6);
    expect(badge.every((v) => v < 90)).toBe(true);
    expect(near(p.at(2, 2), hex(SHEET_COLORS.background))).toBe(true);
  });

  it('stays under 300 KB with 20 scenes of pure noise, in every shape', async () => {
    for (const aspect of ['9:16', '16:9', '1:1'] as const) {
      const tiles = await Promise.all(
        Array.from({ length: 20 }, async (_, i) => ({ tile: await makeTile(noise(360, 360, i + 1), aspect) })),
      );
      const jpeg = await paintContactSheet(aspect, tiles);
      expect(jpeg.length).toBeLessThanOrEqual(SHEET_MAX_BYTES);
      const p = await pixels(jpeg);
      expect([p.width, p.height]).toEqual([sheetLayout(20, aspect).width, sheetLayout(20, aspect).height]);
    }
  }, 60_000);
});

describe('LivePreview', () => {
  it('uploads a new sheet only when one is ready and 4 s have passed, chosen as the edit is sent', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sr-preview-'));
    try {
      let now = 1_000_000;
      let asked = 0;
      const preview = new LivePreview({ aspect: '1:1', dir, jobId: 'abcdef12', onSheet: () => asked++, now: () => now });
      preview.scenes(3);
      const edit = () => preview.decorate({ embeds: [{ description: 'working' }], components: [] });
      // Nothing painted yet: the payload goes out untouched.
      expect(edit()).toEqual({ embeds: [{ description: 'working' }], components: [] });
      const image = join(dir, 'scene-0.png');
      await writeFile(image, solid('#20a040', 512, 512));
      await preview.imageArrived(0, image, false);
      await expect.poll(() => asked).toBe(1);
      const first = edit();
      expect(first.files?.map((f) => f.name)).toEqual([PREVIEW_NAME]);
      expect(first.embeds![0]!.image).toEqual({ url: `attachment://${PREVIEW_NAME}` });
      // Next image 1 s later: painted, but not sent before the 4 s are up; the embed keeps pointing at the sheet.
      now += 1000;
      await preview.imageArrived(1, image, true);
      await expect.poll(() => asked).toBe(2);
      const early = edit();
      expect(early.files).toBeUndefined();
      expect(early.embeds![0]!.image).toEqual({ url: `attachment://${PREVIEW_NAME}` });
      now += PREVIEW_INTERVAL_MS - 1000;
      expect(edit().files?.map((f) => f.name)).toEqual([PREVIEW_NAME]);
      expect(edit().files).toBeUndefined(); // nothing new since
      expect(preview.uploads).toBe(2);
      await preview.stop();
      expect((await readdir(dir)).filter((f) => f.includes('preview'))).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('previews over Discord', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  it('attaches sheets to progress edits at most every 4 s, the embed pointing at them; the result keeps only the video', async () => {
    const story = 'The fox found a lantern. It crossed the river. The heron waited. They walked home together.';
    const { token } = h.discord.sendSlash({
      guildId: h.guilds[0]!.id,
      channelId: h.guilds[0]!.channel,
      user: { id: snowflake(), username: 'alice' },
      name: 'story',
      options: [
        { name: 'story', type: 3, value: story },
        { name: 'scenes', type: 4, value: 4 },
      ],
    });
    await h.discord.waitFor(() => h.bot.history.recent({ guildId: h.guilds[0]!.id, limit: 1 })[0]?.status === 'done', 90_000);
    const edits = h.discord.record.filter((r) => r.route === 'edit' && r.token === token && r.status === 200);
    const withSheet = edits.filter((e) => e.files.some((f) => f.name === PREVIEW_NAME));
    expect(withSheet.length).toBeGreaterThanOrEqual(1);
    for (const [i, e] of withSheet.entries()) {
      const sheet = e.files.find((f) => f.name === PREVIEW_NAME)!;
      expect(sheet.bytes.length).toBeLessThanOrEqual(SHEET_MAX_BYTES);
      expect((e.json?.embeds as { image?: { url: string } }[] | undefined)?.[0]?.image?.url).toBe(`attachment://${PREVIEW_NAME}`);
      // 100 ms of slack for the loopback round trip: the sends themselves are 4 s apart.
      if (i > 0) expect(e.at - withSheet[i - 1]!.at).toBeGreaterThanOrEqual(PREVIEW_INTERVAL_MS - 100);
    }
    // The last sheet shows four tiles: none of them the background, and the sheet is four tiles big.
    const last = withSheet.at(-1)!.files.find((f) => f.name === PREVIEW_NAME)!;
    const p = await pixels(Buffer.from(last.bytes));
    const layout = sheetLayout(4, '9:16');
    expect([p.width, p.height]).toEqual([layout.width, layout.height]);
    for (const o of layout.origins)
      expect(near(p.at(o.x + layout.tile.w / 2, o.y + layout.tile.h / 2), hex(SHEET_COLORS.background), 8)).toBe(false);

    const [message] = h.discord.messages(token);
    expect(message!.files.map((f) => f.name)).toEqual(['story.mp4']);
    expect((message!.embeds.at(-1) as { image?: unknown }).image).toBeUndefined();
  }, 120_000);
});
