/**
 * A cast, drawn once, used everywhere (issue 21), against the Pollinations and LLM fakes: the
 * writer's cast gets one portrait each, requested before any scene that shows it; every scene
 * naming a character is asked for with `image=` (its portraits' own URLs) on the reference model;
 * a service that refuses references still makes every scene, from its words, and the job says so once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { expectNoKeys, expectPlayable, startBadDay, type BadDay, type BadDayOptions } from '../support/bad-day-harness.js';
import { referencesOf, type RecordedRequest } from '../fakes/providers.js';
import type { FakeCastMember } from '../fakes/llm.js';
import { portraitSeeds } from '../../src/engine/cast-portraits.js';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FOUR_SCENES } from '../support/bad-day-harness.js';
import { fakeConfig } from '../support/provider-config.js';
import { engineFromConfig } from '../../src/engine-from-config.js';
import { resolveFfmpeg } from '../../src/media/binaries.js';
import { redoScene } from '../../src/engine/redo-scene.js';

let day: BadDay | undefined;
afterEach(async () => {
  await day?.close();
  day = undefined;
});

const CAST: FakeCastMember[] = [
  { name: 'Mara', description: 'a woman in her sixties, grey braid, yellow oilskin coat', scenes: [0, 2] },
  { name: 'the fox', description: 'a small red fox with a white-tipped tail', scenes: [1, 2] },
];
const LOOK = 'a rocky coast in the 1950s, slate blues and lamp-light amber';

const imageRequests = (day: BadDay) => day.polli!.record.filter((r) => r.path.startsWith('/image/'));
const isPortrait = (r: RecordedRequest) => r.path.includes('Character portrait of');
const urlOf = (day: BadDay, r: RecordedRequest) => `${day.polli!.url}${r.path.split('/').map(encodeURIComponent).join('/')}?${r.query}`;

async function castDay(env: Record<string, string> = {}, polli: BadDayOptions['polli'] = {}) {
  day = await startBadDay({ polli, llm: { cast: CAST, look: LOOK }, env });
  return day;
}

describe('the cast, drawn once, used everywhere', () => {
  it('portraits first; every scene naming a character carries image= with its portraits on klein; the others stay text-only on flux', async () => {
    const d = await castDay();
    const result = await d.render('cast');
    await expectPlayable(result, { min: 4, max: 40 });

    const requests = imageRequests(d);
    const portraits = requests.filter(isPortrait);
    const scenes = requests.filter((r) => !isPortrait(r));
    expect(portraits).toHaveLength(2);
    expect(scenes).toHaveLength(4);
    expect(portraits.map((p) => p.query.get('model'))).toEqual(['flux', 'flux']);
    expect(portraits.map((p) => p.path)).toEqual([
      expect.stringMatching(/^\/image\/Character portrait of Mara, a woman in her sixties.*plain light grey background/),
      expect.stringMatching(/^\/image\/Character portrait of the fox, a small red fox/),
    ]);
    const [maraUrl, foxUrl] = portraits.map((p) => urlOf(d, p));
    // its own seed each, not a scene's
    expect(new Set(portraits.map((p) => p.query.get('seed'))).size).toBe(2);

    const scene = (i: number) => scenes.find((r) => r.path.includes(`scene ${i + 1}, warm light`))!;
    // by name, in the image prompt (the writer's) or the narration (scene 1 says "The fox found...")
    const expected = [[maraUrl, foxUrl], [foxUrl], [maraUrl, foxUrl], []];
    expected.forEach((urls, i) => {
      const r = scene(i);
      expect(referencesOf(r)).toEqual(urls);
      expect(r.query.get('model')).toBe(urls.length > 0 ? 'klein' : 'flux');
      expect(r.status).toBe(200);
      // the portrait it names was made (answered) before the scene was asked for
      for (const url of urls) {
        const portrait = portraits[url === maraUrl ? 0 : 1]!;
        expect(portrait.endedAt).toBeLessThanOrEqual(r.startedAt);
      }
    });
    // the look and the scene's characters' descriptions travel in its prompt
    expect(scene(2).path).toContain(LOOK);
    expect(scene(2).path).toContain('Mara: a woman in her sixties');
    expect(scene(2).path).toContain('the fox: a small red fox');
    expect(scene(3).path).not.toContain('Mara:');

    expect(result.cast).toEqual([
      { name: 'Mara', description: CAST[0]!.description, seed: expect.any(Number), url: maraUrl },
      { name: 'the fox', description: CAST[1]!.description, seed: expect.any(Number), url: foxUrl },
    ]);
    expect(result.script.cast?.map((m) => m.seed)).toEqual(result.cast!.map((m) => m.seed));
    expect(result.referencesNote).toBeUndefined();
    expect(result.fallbackScenes).toEqual([]);
    expect(d.logs.some((l) => / WARN /.test(l))).toBe(false);
    expectNoKeys(d.events, d.logs, result);
  });

  it('a refused reference model: every scene is still made by Pollinations from its words, and the job says so once', async () => {
    const d = await castDay({}, { refuseModels: ['klein'], refuseStatus: 402 });
    const result = await d.render('cast-refused');
    await expectPlayable(result, { min: 4, max: 40 });

    const scenes = imageRequests(d).filter((r) => !isPortrait(r));
    const refused = scenes.filter((r) => r.status === 402);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused.every((r) => r.query.get('model') === 'klein')).toBe(true);
    // four scenes made, all text only on flux
    const made = scenes.filter((r) => r.status === 200);
    expect(made).toHaveLength(4);
    for (const r of made) {
      expect(r.query.get('model')).toBe('flux');
      expect(r.query.has('image')).toBe(false);
    }
    expect(result.fallbackScenes).toEqual([]);
    expect(result.sceneResults.every((s) => s.image.provider === 'pollinations' && !s.image.fallback)).toBe(true);
    expect(result.referencesNote).toMatch(/^klein did not take the cast's portraits \(.*402.*\); scenes are drawn from their words alone$/);
    expect(d.logs.filter((l) => /did not take the cast's portraits/.test(l))).toHaveLength(1);
  });

  it('portraits that cannot be made: the scenes are made from their words, the cast says why, one warning', async () => {
    const everywhere = CAST.map((m) => ({ ...m, scenes: [0, 1, 2, 3] }));
    day = await startBadDay({ llm: { cast: everywhere, look: LOOK } });
    day.polli!.script.push({ status: 400 }, { status: 400 });
    const result = await day.render('cast-no-portraits');
    await expectPlayable(result, { min: 4, max: 40 });
    const requests = imageRequests(day);
    expect(requests.slice(0, 2).every(isPortrait)).toBe(true);
    const scenes = requests.filter((r) => !isPortrait(r));
    expect(scenes).toHaveLength(4);
    expect(scenes.every((r) => r.status === 200 && r.query.get('model') === 'flux' && !r.query.has('image'))).toBe(true);
    expect(result.cast!.map((m) => [m.name, m.url, m.error])).toEqual([
      ['Mara', undefined, expect.stringMatching(/400/)],
      ['the fox', undefined, expect.stringMatching(/400/)],
    ]);
    expect(result.fallbackScenes).toEqual([]);
    expect(day.logs.filter((l) => /a portrait could not be made/.test(l))).toHaveLength(1);
  });

  it('kontext takes one reference: a scene with two characters sends the first portrait only', async () => {
    const d = await castDay({ POLLINATIONS_REFERENCE_MODEL: 'kontext' });
    await d.render('cast-kontext');
    const scenes = imageRequests(d).filter((r) => !isPortrait(r));
    const both = scenes.find((r) => r.path.includes('scene 3, warm light'))!;
    expect(both.query.get('model')).toBe('kontext');
    expect(referencesOf(both)).toHaveLength(1);
    expect(scenes.every((r) => r.status === 200)).toBe(true);
  });

  it('the same base seed draws the same portraits (the same URLs: the same images at Pollinations)', async () => {
    const d = await castDay();
    const first = await d.render('cast-a');
    const again = await d.render('cast-b');
    expect(again.cast!.map((m) => m.url)).toEqual(first.cast!.map((m) => m.url));
    expect(first.cast!.map((m) => m.seed)).toEqual([100_001, 100_002]);
  });
});

describe('Redo one scene keeps the cast and its portraits; New images draws new portraits', () => {
  it('a redo (scene seeds given, another base seed) asks for the same portrait URLs; new images (no seeds) for new ones', async () => {
    const d = await castDay();
    const dir = await mkdtemp(join(tmpdir(), 'sr-cast-'));
    const config = fakeConfig({ pollinations: d.polli!.url, inworld: d.inworld.url, llm: d.llm!.url }, { DATA_DIR: join(dir, 'data') });
    const engine = engineFromConfig(config, resolveFfmpeg(), { cache: false });
    const out = (name: string) => join(dir, `${name}.mp4`);
    const options = { aspect: '9:16' as const, scenes: 2, maxBytes: 3_000_000, seed: 10 };
    const shown: string[] = [];
    const first = await engine.render({
      story: FOUR_SCENES,
      out: out('first'),
      options,
      // for the live preview: each portrait on disk as it arrives
      onPortrait: (i, p) => shown.push(`${i}:${p.name}:${existsSync(p.path)}`),
    });
    expect(shown.sort()).toEqual(['0:Mara:true', '1:the fox:true']);
    const urls = first.cast!.map((m) => m.url);
    expect(first.cast!.map((m) => m.seed)).toEqual([100_010, 100_011]);

    const redo = await redoScene(engine.render, {
      story: FOUR_SCENES,
      out: out('redo'),
      options: { ...options, seed: 77 },
      script: first.script,
      seeds: first.seeds,
      scene: 1,
    });
    expect(redo.cast!.map((m) => m.url)).toEqual(urls);
    const redone = imageRequests(d).filter((r) => !isPortrait(r) && r.query.get('seed') === String(redo.redo.newSeed));
    expect(redone).toHaveLength(1);
    expect(referencesOf(redone[0]!)).toEqual([urls[1]]);

    const fresh = await engine.render({ story: FOUR_SCENES, out: out('images'), options: { ...options, seed: 77 }, script: first.script });
    expect(fresh.cast!.map((m) => m.seed)).toEqual([100_077, 100_078]);
    expect(fresh.cast!.map((m) => m.name)).toEqual(first.cast!.map((m) => m.name));
    expect(fresh.cast!.map((m) => m.url)).not.toEqual(urls);
    await rm(dir, { recursive: true, force: true });
  });
});

describe('Re-run keeps the cast with new seeds', () => {
  it("the script is written again, but the parent's cast (not the writer's) is drawn, from the new base seed", async () => {
    const d = await castDay();
    const dir = await mkdtemp(join(tmpdir(), 'sr-cast-'));
    const config = fakeConfig({ pollinations: d.polli!.url, inworld: d.inworld.url, llm: d.llm!.url }, { DATA_DIR: join(dir, 'data') });
    const engine = engineFromConfig(config, resolveFfmpeg(), { cache: false });
    const options = { aspect: '9:16' as const, scenes: 2, maxBytes: 3_000_000, seed: 10 };
    const first = await engine.render({ story: FOUR_SCENES, out: join(dir, 'first.mp4'), options });
    // the parent's cast as history keeps it (the writer now says something else about Mara)
    const parent = first.cast!.map((m, i) => (i === 0 ? { ...m, description: 'a tall woman in a blue fisherman sweater' } : m));
    const writes = d.llm!.record.length;
    const rerun = await engine.render({ story: FOUR_SCENES, out: join(dir, 'rerun.mp4'), options: { ...options, seed: 77 }, cast: parent });
    expect(d.llm!.record.length).toBe(writes + 1);
    expect(rerun.cast!.map(({ name, description }) => ({ name, description }))).toEqual(
      parent.map(({ name, description }) => ({ name, description })),
    );
    expect(rerun.script.cast!.map((m) => m.description)).toEqual(parent.map((m) => m.description));
    expect(rerun.cast!.map((m) => m.seed)).toEqual([100_077, 100_078]);
    expect(rerun.cast!.map((m) => m.seed)).not.toEqual(first.cast!.map((m) => m.seed));
    const portraits = imageRequests(d).filter(isPortrait);
    expect(portraits.at(-2)!.path).toContain('Character portrait of Mara, a tall woman in a blue fisherman sweater');
    await rm(dir, { recursive: true, force: true });
  });
});

describe('portrait seeds', () => {
  const cast = [
    { name: 'Mara', description: 'a woman', seed: 7 },
    { name: 'fox', description: 'a fox' },
  ];
  it("a redo keeps the script's portrait seeds; otherwise (Re-run, New images: a new base seed) they come from the base seed", () => {
    expect(portraitSeeds(cast, 50, true)).toEqual([7, 100_051]);
    expect(portraitSeeds(cast, 50, false)).toEqual([100_050, 100_051]);
    expect(portraitSeeds(cast, 2 ** 31 - 2, false)[0]).toBeLessThan(2 ** 31);
  });
});
