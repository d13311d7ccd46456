/**
 * The title card over the first scene (real libass): big and centred while it shows, gone after;
 * in the caption file of scene 0 only, and out of the way of middle captions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAss } from '../../src/engine/caption-ass.js';
import { titleCardEvents } from '../../src/engine/title-card.js';
import { sceneAss, type ClipJob } from '../../src/engine/scene-clip.js';
import { boxOf, burnFrame, lit } from './burn-frame.js';

const [W, H] = [720, 1280];
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storyreel-title-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const card = (position?: 'middle') =>
  buildAss([], {
    width: W,
    height: H,
    extraEvents: titleCardEvents("The Clockmaker's Fox", { width: W, height: H, start: 0, end: 2, position }),
  });

describe('title card', () => {
  it('is drawn big and centred while it shows, and gone after', async () => {
    const box = boxOf(await burnFrame(dir, card(), W, H, 1), lit)!;
    expect((box.y0 + box.y1) / 2 / H).toBeGreaterThan(0.4);
    expect((box.y0 + box.y1) / 2 / H).toBeLessThan(0.6);
    expect(box.x0 / W).toBeGreaterThanOrEqual(0.06);
    expect(box.x1 / W).toBeLessThanOrEqual(0.94);
    // Bigger than a caption line: more than one and a half caption font sizes tall per line
    expect(box.y1 - box.y0).toBeGreaterThan(1.5 * 0.085 * W);
    expect(boxOf(await burnFrame(dir, card(), W, H, 2.1), lit)).toBeUndefined();
  });

  it('moves to the upper part when the captions are in the middle', async () => {
    const box = boxOf(await burnFrame(dir, card('middle'), W, H, 1), lit)!;
    expect(box.y1 / H).toBeLessThan(0.45);
  });

  it("is in scene 0's caption file when the job carries the title, and only then", () => {
    const job = {
      scene: { index: 0, narration: 'Old Henrike kept the clocks.', imagePrompt: 'x' },
      voice: { seconds: 2 },
      part: { duration: 4, narration: { lead: 1.8, seconds: 2 } },
      plan: { width: W, height: H },
    } as unknown as ClipJob;
    expect(sceneAss(job)).not.toContain('Clockmaker');
    const titled = sceneAss({ ...job, title: { text: "The Clockmaker's Fox", start: 0, end: 1.8 } })!;
    expect(titled).toMatch(/Dialogue: 1,0:00:00\.00,0:00:01\.80,Caption,.*The Clockmaker's Fox/);
    expect(titled).toContain('Old Henrike kept');
    // Captions off: the title card is still drawn
    expect(sceneAss({ ...job, captions: 'none', title: { text: 'T', start: 0, end: 1.8 } })).toContain('Dialogue: 1,');
    expect(sceneAss({ ...job, captions: 'none' })).toBeUndefined();
  });
});
