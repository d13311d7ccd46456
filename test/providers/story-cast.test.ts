/**
 * The cast a writer returns (issue 21): the LLM's, asked for in the same request and validated
 * (a malformed cast is dropped, never a reason to refuse the scenes); the offline writer's, from
 * the story's recurring names and nouns; and how a Pollinations URL carries references.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSceneAnswer } from '../../src/providers/writers/parse-scenes.js';
import { systemPrompt } from '../../src/providers/writers/openai.js';
import { storyCast } from '../../src/providers/writers/story-cast.js';
import { LocalSceneWriter } from '../../src/providers/writers/local.js';
import { PollinationsImageProvider, pollinationsUrl, type PollinationsOptions } from '../../src/providers/images/pollinations.js';
import { referencesOf, startFakePollinations, type FakeServer } from '../fakes/providers.js';
import { fakeConfig, TEST_KEYS } from '../support/provider-config.js';
import { loadConfig } from '../../src/config.js';
import { castInScene, portraitPrompt, sceneBrief } from '../../src/engine/cast-portraits.js';

const scenes = [{ narration: 'Mara lit the lamp.', imagePrompt: 'Mara lights a brass lamp in a lighthouse' }];

describe('the LLM writer asks for a cast and checks it', () => {
  it('asks for the cast (name, English visual description) and the look in the same request', () => {
    const prompt = systemPrompt({ aspect: '9:16' });
    expect(prompt).toMatch(/cast: the recurring characters \(people, animals, objects that matter\)/);
    expect(prompt).toMatch(/short visual description in English \(species, age, build, clothes, colours\)/);
    expect(prompt).toMatch(/look: the story-wide setting, period and colour palette/);
    expect(prompt).toContain('"cast": [{"name": string, "description": string}]');
  });

  it('keeps a good cast and look, trimmed', () => {
    const answer = JSON.stringify({
      title: 'T',
      look: ' a rocky coast,\n 1950s ',
      cast: [{ name: ' Mara ', description: 'a woman in her sixties, grey braid' }],
      scenes,
    });
    const checked = parseSceneAnswer(answer);
    expect(checked.ok && checked.value).toMatchObject({
      look: 'a rocky coast, 1950s',
      cast: [{ name: 'Mara', description: 'a woman in her sixties, grey braid' }],
    });
  });

  it.each([
    ['not an array', { cast: 'Mara and the fox' }, []],
    [
      'members of the wrong shape',
      { cast: [{ name: 'Mara' }, 'fox', { name: 3, description: 'x' }, { name: 'Fox', description: 'a fox' }] },
      ['Fox'],
    ],
    [
      'a name twice',
      {
        cast: [
          { name: 'Mara', description: 'a' },
          { name: 'mara', description: 'b' },
        ],
      },
      ['Mara'],
    ],
    ['an empty name', { cast: [{ name: '  ', description: 'a fox' }] }, []],
  ])('drops a malformed cast (%s) and keeps the scenes', (_what, extra, names) => {
    const checked = parseSceneAnswer(JSON.stringify({ title: 'T', look: 42, ...extra, scenes }));
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.value.cast.map((m) => m.name)).toEqual(names);
    expect(checked.value.look).toBeUndefined();
    expect(checked.value.scenes).toHaveLength(1);
  });

  it('keeps at most 8 members and cuts long descriptions', () => {
    const cast = Array.from({ length: 12 }, (_, i) => ({ name: `N${i}`, description: 'd'.repeat(500) }));
    const checked = parseSceneAnswer(JSON.stringify({ cast, scenes }));
    expect(checked.ok && checked.value.cast).toHaveLength(8);
    expect(checked.ok && checked.value.cast[0]!.description.length).toBeLessThanOrEqual(240);
  });
});

describe('the offline writer derives a cast from the recurring names and nouns', () => {
  it('the demo: Mara (a woman, by her pronouns), the letter and the lamp; not Gull Point, a place', () => {
    const story = readFileSync(join(import.meta.dirname, '..', '..', 'samples', 'lighthouse.txt'), 'utf8');
    expect(storyCast(story)).toEqual([
      { name: 'Mara', description: 'a woman' },
      { name: 'letter', description: 'a letter' },
      { name: 'lamp', description: 'a lamp' },
    ]);
  });

  it("a name's appositive is its description; animals and objects that recur join it; at most 4", async () => {
    const story =
      'A fox found a lantern. The fox carried the lantern home. Tom, a young farmer, saw the fox. Tom smiled at the lantern. The dog barked. The dog slept. A cat came. The cat ate.';
    const cast = storyCast(story);
    expect(cast[0]).toEqual({ name: 'Tom', description: 'a young farmer' });
    expect(cast.map((m) => m.name)).toContain('fox');
    expect(cast.length).toBeLessThanOrEqual(4);
    const script = await new LocalSceneWriter().write({ story, aspect: '9:16' });
    expect(script.cast).toEqual(cast);
  });

  it('in another language, a noun gets its English name (der Fuchs: a fox)', () => {
    expect(storyCast('Ein Fuchs fand eine Laterne. Der Fuchs trug die Laterne nach Hause. Der Fuchs schlief.')).toEqual([
      { name: 'Fuchs', description: 'a fox' },
    ]);
  });

  it('a two-letter word that starts two sentences is no name (Norwegian "Om natten... Om morgenen...")', () => {
    expect(storyCast('Om natten sov katten ved vinduet. Om morgenen spiste katten fisk.').map((m) => m.name)).not.toContain('Om');
  });

  it('nothing recurs: no cast', async () => {
    const script = await new LocalSceneWriter().write({ story: 'A fox found a lantern. It walked home.', aspect: '9:16' });
    expect(script.cast).toBeUndefined();
  });
});

describe('scenes and their characters', () => {
  const cast = [
    { name: 'Mara', description: 'a woman in a yellow coat' },
    { name: 'the fox', description: 'a red fox' },
  ];
  it('a scene shows the members its narration or prompt names, as whole words, any case', () => {
    expect(castInScene(cast, { narration: 'The Fox ran.', imagePrompt: 'a fox runs' }).map((m) => m.name)).toEqual(['the fox']);
    expect(castInScene(cast, { narration: 'Foxglove and Maranta grew.', imagePrompt: 'flowers' })).toEqual([]);
    expect(castInScene(cast, { narration: 'x', imagePrompt: 'Mara, smiling' }).map((m) => m.name)).toEqual(['Mara']);
  });

  it("an LLM script's look and the scene's characters make its brief; the offline brief stays as written", () => {
    const scene = { index: 0, narration: 'Mara waved.', imagePrompt: 'Mara waves' };
    expect(sceneBrief({ look: 'a coast, 1950s.', cast, visualBrief: 'b' }, scene)).toBe('a coast, 1950s. Mara: a woman in a yellow coat');
    expect(sceneBrief({ visualBrief: 'Recurring in this story: Mara', cast }, scene)).toBe('Recurring in this story: Mara');
  });

  it('a portrait: the character alone on a plain background, in the style, no text', () => {
    expect(portraitPrompt(cast[0]!, 'noir')).toBe(
      'Character portrait of Mara, a woman in a yellow coat. Full figure, facing the viewer, centred on a plain light grey background. black and white film noir, hard shadows, moody high contrast. No text or lettering.',
    );
  });
});

describe('Pollinations URLs with references', () => {
  const cfg: PollinationsOptions = {
    mode: 'legacy',
    baseUrl: 'https://image.pollinations.ai',
    model: 'flux',
    referenceModel: 'klein',
    concurrency: 1,
    timeoutMs: 1000,
    nologo: true,
    enhance: false,
    safe: true,
    private: true,
    referrer: 'storyreel',
  };
  const req = { prompt: 'Mara waves', width: 768, height: 1344, seed: 3 };
  const refs = ['https://image.pollinations.ai/prompt/a?seed=1', 'https://image.pollinations.ai/prompt/b?seed=2'];

  it('references go as image=a|b on the reference model; none: the scene model, no image=', () => {
    const url = new URL(pollinationsUrl(cfg, { ...req, references: refs }));
    expect(url.searchParams.get('image')).toBe(refs.join('|'));
    expect(url.searchParams.get('model')).toBe('klein');
    const plain = new URL(pollinationsUrl(cfg, req));
    expect(plain.searchParams.has('image')).toBe(false);
    expect(plain.searchParams.get('model')).toBe('flux');
  });

  it('kontext takes the first reference only; without a reference model no reference is sent', () => {
    expect(new URL(pollinationsUrl({ ...cfg, referenceModel: 'kontext' }, { ...req, references: refs })).searchParams.get('image')).toBe(
      refs[0],
    );
    expect(new URL(pollinationsUrl({ ...cfg, referenceModel: undefined }, { ...req, references: refs })).searchParams.has('image')).toBe(
      false,
    );
  });
});

describe('the Pollinations fake and references', () => {
  let fake: FakeServer | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it("takes a reference it served (the portrait request's own URL), refuses one it did not, and a text-only model's", async () => {
    fake = await startFakePollinations({ apiKey: TEST_KEYS.pollinations });
    const cfg = fakeConfig({ pollinations: fake.url }).images.pollinations;
    const p = new PollinationsImageProvider(cfg);
    const portrait = { prompt: 'Character portrait of Mara', width: 768, height: 768, seed: 9 };
    await p.generate(portrait);
    const scene = { prompt: 'Mara waves', width: 768, height: 1344, seed: 1 };
    await p.generate({ ...scene, references: [p.referenceUrl(portrait)] });
    const ok = fake.record.at(-1)!;
    expect([ok.status, ok.query.get('model'), referencesOf(ok)]).toEqual([200, 'klein', [p.referenceUrl(portrait)]]);

    const unknown = await p.generate({ ...scene, references: [`${fake.url}/image/never-made?seed=1`] }).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ info: { status: 400 } });
    const flux = new PollinationsImageProvider({ ...cfg, referenceModel: 'flux' });
    const textOnly = await flux.generate({ ...scene, references: [p.referenceUrl(portrait)] }).catch((e: unknown) => e);
    expect(textOnly).toMatchObject({ info: { status: 400 } });
  });
});

describe('POLLINATIONS_REFERENCE_MODEL', () => {
  it('defaults to klein, takes kontext, refuses a text-only model or a malformed name with one line naming it', () => {
    expect(loadConfig({ IMAGE_PROVIDER: 'pollinations' }).images.pollinations.referenceModel).toBe('klein');
    expect(loadConfig({ IMAGE_PROVIDER: 'pollinations', POLLINATIONS_REFERENCE_MODEL: 'kontext' }).images.pollinations.referenceModel).toBe(
      'kontext',
    );
    expect(() => loadConfig({ POLLINATIONS_REFERENCE_MODEL: 'flux' })).toThrow(/POLLINATIONS_REFERENCE_MODEL.*take text only/);
    expect(() => loadConfig({ POLLINATIONS_REFERENCE_MODEL: 'klein; rm' })).toThrow(/POLLINATIONS_REFERENCE_MODEL/);
  });
});
