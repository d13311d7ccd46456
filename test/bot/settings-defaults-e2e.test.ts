/**
 * `/settings defaults style:noir` makes the next story's video grey without the member naming a
 * style; a member's own style still wins. Rendered for real (local scene cards, real ffmpeg) and
 * measured on the decoded frames: ffmpeg's signalstats SATAVG (mean chroma distance from grey).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHarness, STORY, type Harness } from '../support/bot-harness.js';
import { firstAnswer, privateReply, sendSettings, sendStory } from '../support/settings-slash.js';
import { resolveFfmpeg } from '../../src/media/binaries.js';

let h: Harness;
let dir: string;
beforeAll(async () => {
  // Local scene cards: their noir is grey by construction (card-finish.ts), as Pollinations' is by prompt.
  h = await startHarness({ env: { IMAGE_PROVIDER: 'local' } });
  dir = await mkdtemp(join(tmpdir(), 'sr-noir-'));
});
afterAll(async () => {
  await h?.close();
  await rm(dir, { recursive: true, force: true });
});

/**
 * SATAVG of every 10th frame of the video a /story delivered, over the picture above the captions
 * (its top 60%): the lit caption word is yellow in every style, and how much of it a sampled frame
 * holds depends on the voice's word times.
 */
async function saturation(token: string, name: string): Promise<number[]> {
  const file = h.discord.messages(token)[0]!.files.find((f) => f.name === 'story.mp4')!;
  const path = join(dir, `${name}.mp4`);
  await writeFile(path, file.bytes);
  const { stderr } = await promisify(execFile)(resolveFfmpeg().ffmpeg, [
    '-hide_banner',
    '-i',
    path,
    '-vf',
    "select='not(mod(n,10))',crop=iw:ih*0.6:0:0,signalstats,metadata=print:key=lavfi.signalstats.SATAVG",
    '-an',
    '-f',
    'null',
    '-',
  ]);
  return [...stderr.matchAll(/lavfi\.signalstats\.SATAVG=([\d.]+)/g)].map((m) => Number(m[1]));
}

async function render(options: { name: string; type: number; value: unknown }[], name: string) {
  const { interactionId, token } = sendStory(h, [
    { name: 'story', type: 3, value: STORY },
    { name: 'scenes', type: 4, value: 2 },
    ...options,
  ]);
  expect((await firstAnswer(h, interactionId)).type).toBe(5);
  await h.discord.waitFor(() => h.discord.messages(token)[0]?.files.some((f) => f.name === 'story.mp4') ?? false, 120_000, 'the video');
  const [job] = h.bot.history.recent({ guildId: h.guilds[0]!.id, limit: 1 });
  return { job: job!, sat: await saturation(token, name) };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('server defaults in the video', () => {
  it('style noir by default: grey frames; a member who names a style gets it', async () => {
    expect(await privateReply(h, sendSettings(h, 'defaults', [{ name: 'style', type: 3, value: 'noir' }]).interactionId)).toMatch(
      /^Defaults saved\./,
    );
    const grey = await render([], 'noir');
    expect(grey.job.options.style).toBe('noir');
    const colour = await render([{ name: 'style', type: 3, value: 'storybook' }], 'storybook');
    expect(colour.job.options.style).toBe('storybook');
    expect(grey.sat.length).toBeGreaterThan(3);
    expect(Math.max(...grey.sat), `SATAVG per 10th frame: ${grey.sat.join(' ')}`).toBeLessThan(3);
    expect(mean(colour.sat)).toBeGreaterThan(10);
  });
});
