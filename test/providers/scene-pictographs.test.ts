/**
 * Offline cards that depict the scene, in any language (issue 21, offline section): the scene's
 * words matched to pictographs through the CLDR annotations of its own language, a setting, time
 * of day and weather from the scene's own words (never the story-wide brief), the same character
 * with the same pictograph and place in every scene, and the English names of what is shown.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { paintCard } from '../../src/providers/images/paint-card.js';
import { emojiFont, paintPictographs } from '../../src/providers/images/paint-pictographs.js';
import { PAN_MARGIN } from '../../src/media/clip-args.js';
import { readScene } from '../../src/providers/images/read-prompt.js';
import { LocalSceneWriter } from '../../src/providers/writers/local.js';
import { composeImagePrompt } from '../../src/engine/styles.js';

const SAMPLE = readFileSync(join(import.meta.dirname, '../../samples/lighthouse.txt'), 'utf8');
const contextPrototype = Object.getPrototypeOf(createCanvas(1, 1).getContext('2d')) as Record<'fillText', (...args: unknown[]) => void>;

afterEach(() => {
  vi.restoreAllMocks();
});

const prompt = (scene: string, brief?: string) => composeImagePrompt(scene, brief, undefined, '16:9');

describe('what a scene shows, in its own language', () => {
  // language, scene, the English name of its main noun's pictograph
  const scenes: [string, string, string][] = [
    ['es', 'El zorro duerme bajo el árbol en el bosque.', 'fox'],
    ['fr', 'Le chat regarde la lune depuis la fenêtre.', 'cat'],
    ['de', 'Am Morgen schwimmt der Fisch im Meer.', 'fish'],
    ['ru', 'Ночью лиса пришла к морю.', 'fox'],
    ['zh', '晚上，狐狸去了海边。', 'fox'],
    ['ko', '밤에 고양이가 창문 옆에서 잤다.', 'cat'],
    ['vi', 'Con chim bay qua cánh đồng.', 'bird'],
    ['pl', 'Koń stoi w lesie.', 'horse'],
    ['it', 'Il cane corre sulla spiaggia al mattino.', 'dog'],
    ['pt', 'O cavalo come uma maçã na chuva.', 'horse'],
    ['nl', 'De koe staat in de sneeuw.', 'cow'],
    ['ja', '海の近くで猫が寝ている。', 'cat'],
    // Scandinavian nouns with their definite ending (räv-en, hest-en), read as Romanian and German
    ['sv', 'Räven sov under granen.', 'fox'],
    ['da', 'Hesten stod i sneen.', 'horse'],
  ];

  it.each(scenes)('%s: "%s" shows a %s, and says so in English', (language, scene, noun) => {
    const reading = readScene(prompt(scene));
    expect(reading.language).toBe(language);
    expect(reading.subject?.english).toMatch(new RegExp(`\\b${noun}\\b`));
    expect(reading.english[0]).toBe(reading.subject?.english);
  });

  it('time of day, weather and setting come from the scene in its language', () => {
    expect(readScene(prompt('Ночью лиса пришла к морю.'))).toMatchObject({ time: 'night' });
    expect(readScene(prompt('Il cane corre sulla spiaggia al mattino.'))).toMatchObject({ time: 'morning', setting: 'sea' });
    expect(readScene(prompt('O cavalo come uma maçã na chuva.'))).toMatchObject({ weather: 'rain' });
    expect(readScene(prompt('De koe staat in de sneeuw.'))).toMatchObject({ setting: 'snow' });
    expect(readScene(prompt('El zorro duerme bajo el árbol en el bosque.'))).toMatchObject({ setting: 'forest' });
    // a definite ending, and a keyword most of whose pictographs are of the sea (Hungarian "on the beach")
    expect(readScene(prompt('Räven sov under granen.'))).toMatchObject({ setting: 'forest' });
    expect(readScene(prompt('Hesten stod i sneen.'))).toMatchObject({ setting: 'snow', weather: 'snow' });
    expect(readScene(prompt('A kutya a tengerparton futott.'))).toMatchObject({ language: 'hu', setting: 'sea' });
    // Ukrainian ніч, ночі (і in a closed syllable, о elsewhere); Finnish yö, yöllä (a case ending on a short stem)
    expect(readScene(prompt('Тієї ночі лисиця спала під ялиною.'))).toMatchObject({ language: 'uk', time: 'night' });
    expect(readScene(prompt('Kettu nukkui kuusen alla yöllä.'))).toMatchObject({ language: 'fi', time: 'night' });
    // Thai กลางคืน (night), which the word segmenter splits in two
    expect(readScene(prompt('แมวนอนอยู่ใต้ต้นไม้ตอนกลางคืน'))).toMatchObject({ language: 'th', time: 'night' });
  });

  it('a short scene read as a language without annotations is tried in its runners-up; Turkish (none) stays calm', () => {
    const french = readScene(
      prompt('Chaque nuit, Léa montait au sommet du phare. Elle regardait la mer noire.', 'Recurring in this story: Léa, lettre'),
    );
    expect(french).toMatchObject({ language: 'fr', lighthouse: true, time: 'night', setting: 'sea' });
    expect(french.characters.map((c) => c.name)).toEqual(['Léa']);
    const turkish = readScene(prompt('Sabah bir mektup geldi.'));
    expect(turkish.subject).toBeUndefined();
    expect(turkish.english).toEqual([]);
  });

  it('no false friends: Vietnamese "bay" (to fly) paints no bay nor sea', () => {
    const reading = readScene(prompt('Con chim bay qua cánh đồng.'));
    expect(reading.setting).not.toBe('sea');
    expect(reading.english.join(' ')).not.toMatch(/water|wave|beach|sea/);
    // the same word in an English scene is the sea's
    expect(readScene(prompt('The boat sailed into the bay.')).setting).toBe('sea');
  });

  it("never the story-wide brief's weather or time: a calm scene of a stormy story is calm", () => {
    const reading = readScene(prompt('Mara read the letter twice.', 'Recurring in this story: Mara, storm, night, gulls, rain'));
    expect(reading.weather).toBeUndefined();
    expect(reading.time).toBeUndefined();
    expect(reading.subject?.english).toBe('envelope');
  });
});

describe('the sample story offline (samples/lighthouse.txt)', () => {
  it('the lighthouse at night first, the letter in its scenes, morning light when it says morning; Mara the same everywhere', async () => {
    const script = await new LocalSceneWriter().write({ story: SAMPLE, aspect: '16:9' });
    const readings = script.scenes.map((s) => readScene(prompt(s.imagePrompt, script.visualBrief)));
    expect(readings[0]).toMatchObject({ lighthouse: true, time: 'night', setting: 'sea' });
    script.scenes.forEach((scene, i) => {
      const shown = [readings[i]!.subject, ...readings[i]!.props].map((p) => p?.english);
      if (/\bletter\b/.test(scene.imagePrompt)) expect(shown).toContain('envelope');
      if (/\bmorning\b/.test(scene.imagePrompt)) expect(readings[i]!.time).toBe('morning');
      // the brief names the storm, but only the storm scenes have rain
      if (!/storm|rain/.test(scene.imagePrompt)) expect(readings[i]!.weather).toBeUndefined();
    });
    expect(readings.some((r) => r.time === 'morning')).toBe(true);
    const mara = readings.flatMap((r) => r.characters.filter((c) => c.name === 'Mara'));
    expect(mara.length).toBeGreaterThanOrEqual(3);
    expect(new Set(mara.map((c) => `${c.emoji}@${c.x}`)).size).toBe(1);

    const cards = script.scenes.map((s) =>
      paintCard({ prompt: prompt(s.imagePrompt, script.visualBrief), width: 320, height: 180, seed: 1000 + s.index }).toString('base64'),
    );
    expect(new Set(cards).size).toBe(cards.length);
  });
});

describe('drawing pictographs', () => {
  it('the colour emoji font is there, and a fox is drawn large and orange in the middle of its card', async () => {
    expect(emojiFont()).toBe(true);
    const orange = async (scene: string) => {
      const [w, h] = [640, 360];
      const canvas = createCanvas(w, h);
      canvas.getContext('2d').drawImage(await loadImage(paintCard({ prompt: prompt(scene), width: w, height: h, seed: 1 })), 0, 0);
      const { data } = canvas.getContext('2d').getImageData(w * 0.35, h * 0.5, w * 0.3, h * 0.45);
      let count = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i]! > 200 && data[i + 1]! > 70 && data[i + 1]! < 150 && data[i + 2]! < 60) count++;
      return count / (data.length / 4);
    };
    expect(await orange('El zorro duerme en la colina.')).toBeGreaterThan(0.05);
    expect(await orange('Die Kuh schläft auf dem Hügel.')).toBeLessThan(0.01);
  });

  it('keeps every pictograph inside the part of the frame the pan always shows, at every shape', () => {
    const reading = readScene(
      prompt(
        'Ana, Luis, Pedro and Marta saw the fox with a letter and an apple by the house.',
        'Recurring in this story: Ana, Luis, Pedro, Marta',
      ),
    );
    expect(reading.characters).toHaveLength(4);
    expect(reading.subject?.english).toBe('fox');
    expect(reading.props.length).toBe(2);
    for (const [w, h] of [
      [288, 512],
      [512, 288],
      [400, 400],
    ] as const) {
      const canvas = createCanvas(w, h);
      paintPictographs(canvas.getContext('2d'), reading, w, h);
      const { data } = canvas.getContext('2d').getImageData(0, 0, w, h);
      let minX: number = w;
      let maxX = -1;
      for (let i = 3; i < data.length; i += 4) {
        if (data[i]! < 170) continue;
        const x = ((i - 3) / 4) % w;
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x);
      }
      expect(minX / w, `${w}x${h}`).toBeGreaterThanOrEqual(1 - 1 / PAN_MARGIN);
      expect((maxX + 1) / w, `${w}x${h}`).toBeLessThanOrEqual(1 / PAN_MARGIN);
    }
  });

  it('with nothing matched the card is a calm picture: no pictograph, no label', () => {
    const fill = vi.spyOn(contextPrototype, 'fillText');
    for (const scene of ['שלום עליכם, אמרה.', 'It was what it was.']) {
      expect(readScene(prompt(scene)).subject).toBeUndefined();
      paintCard({ prompt: prompt(scene), width: 320, height: 180, seed: 2 });
    }
    expect(fill).not.toHaveBeenCalled();
  });
});

describe('an English core for image prompts', () => {
  it('a scene in another language gets the English names of what it shows; an English one gets nothing more', () => {
    const spanish = prompt('El zorro duerme bajo el árbol en el bosque.', 'Recurring in this story: Ana, zorro');
    expect(spanish).toContain('El zorro duerme bajo el árbol en el bosque. Showing: fox, evergreen tree. Recurring in this story');
    // the painter reads the scene's words, not the core
    expect(readScene(spanish)).toMatchObject({ language: 'es', scene: 'El zorro duerme bajo el árbol en el bosque.' });
    expect(prompt('The fox sleeps under the tree.')).not.toContain('Showing:');
    expect(prompt('שלום עליכם, אמרה.')).not.toContain('Showing:');
  });
});
