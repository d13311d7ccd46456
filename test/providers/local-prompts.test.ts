/**
 * Good image prompts without any LLM (issue 16), on the sample story: each prompt holds its scene's
 * sentences whole (no "not" dropped, names kept), the story's shared brief (the same words in every
 * prompt), the framing for the video's shape, the style (cinematic when none is chosen) and
 * "No text or lettering". Pure functions: the local writer and the engine's prompt composer.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalSceneWriter } from '../../src/providers/writers/local.js';
import { MAX_SCENE_TEXT, recurringNamesAndNouns, sceneImageText, storyBrief } from '../../src/providers/writers/story-brief.js';
import { clipEncoded, composeImagePrompt } from '../../src/engine/styles.js';
import { DEFAULT_STYLE, FRAMING, NO_TEXT, STYLES } from '../../src/core/image-prompt.js';
import { MAX_ENCODED_PROMPT } from '../../src/providers/images/pollinations.js';
import { ASPECTS } from '../../src/core/story.js';

const SAMPLE = join(import.meta.dirname, '../../samples/lighthouse.txt');
const nots = (text: string) => (text.match(/\bnot\b|n't\b/gi) ?? []).length;

describe('local prompts on samples/lighthouse.txt', () => {
  it.each(ASPECTS)('%s: every prompt has its scene whole, the shared brief, the framing, the default style and no text', async (aspect) => {
    const story = await readFile(SAMPLE, 'utf8');
    const script = await new LocalSceneWriter().write({ story, aspect });
    expect(script.scenes.length).toBeGreaterThanOrEqual(3);
    expect(script.visualBrief).toBe('Recurring in this story: Mara, Gull Point, letter, harbour, light, steps, beam, lamp, rock, storm');

    const prompts = script.scenes.map((s) => composeImagePrompt(s.imagePrompt, script.visualBrief, undefined, aspect));
    script.scenes.forEach((scene, i) => {
      const prompt = prompts[i]!;
      // The scene's sentences, whole and first: negations and names intact.
      expect(prompt.startsWith(scene.narration)).toBe(true);
      expect(nots(prompt)).toBe(nots(scene.narration));
      expect(prompt).toContain(`${script.visualBrief}.`);
      expect(prompt).toContain(`${FRAMING[aspect]}.`);
      expect(prompt).toContain(STYLES[DEFAULT_STYLE]);
      expect(prompt.endsWith(`${NO_TEXT}.`)).toBe(true);
      expect(encodeURIComponent(prompt).length).toBeLessThanOrEqual(MAX_ENCODED_PROMPT);
    });
    // The sentence the old keyword prompts broke ("Mara did not wait" became "Mara wait").
    expect(prompts.some((p) => p.includes('Mara did not wait for permission.'))).toBe(true);
    expect(prompts.filter((p) => p.includes('did not need an old lamp on a rock'))).toHaveLength(1);
  });

  it('a chosen style replaces the default in every prompt', async () => {
    const story = await readFile(SAMPLE, 'utf8');
    const script = await new LocalSceneWriter().write({ story, aspect: '9:16', style: 'watercolor' });
    for (const scene of script.scenes) {
      const prompt = composeImagePrompt(scene.imagePrompt, script.visualBrief, 'watercolor', '9:16');
      expect(prompt).toContain(STYLES.watercolor);
      expect(prompt).not.toContain(STYLES.cinematic);
    }
  });
});

describe('the scene text', () => {
  it('drops double quotes (an image model letters quoted words) and keeps every word', () => {
    expect(sceneImageText('“Stay,” said Mara. She did "not" move.')).toBe('Stay, said Mara. She did not move.');
  });

  it('keeps whole sentences up to the limit, and cuts a single over-long one at a clause', () => {
    const sentence = (n: number) => `Sentence ${n} tells of the keeper and the lamp and the long black water below.`;
    const text = Array.from({ length: 8 }, (_, i) => sentence(i)).join(' ');
    const kept = sceneImageText(text);
    expect(kept.length).toBeLessThanOrEqual(MAX_SCENE_TEXT);
    expect(kept.startsWith(sentence(0) + ' ' + sentence(1))).toBe(true);
    expect(kept.endsWith('below.')).toBe(true);
    const long = `The keeper would not leave the lamp, ${'and the sea rose higher and higher, '.repeat(15)}until dawn.`;
    const cut = sceneImageText(long);
    expect(cut.length).toBeLessThanOrEqual(MAX_SCENE_TEXT);
    expect(cut.startsWith('The keeper would not leave the lamp, and the sea rose')).toBe(true);
    expect(cut).toMatch(/higher$/);
  });
});

describe('the shared brief', () => {
  it('names are runs of capitals not at a sentence start; nouns follow a determiner; both recur; plurals join', () => {
    const story =
      'The Fox Who Counted Stars\n\nOld Tom met a fox at the river. The fox had a red lantern. Tom asked the fox about the lanterns. Tomorrow the river froze. Tom sang.';
    expect(recurringNamesAndNouns(story)).toEqual({ names: ['Tom'], nouns: ['fox', 'river', 'lantern'] });
    // The title's capitals are not names; "Old" and "Tomorrow" start sentences and are not known names.
    expect(storyBrief(story)).toBe('Recurring in this story: Tom, fox, river, lantern');
  });

  it('nothing recurs: no brief, and the prompt goes without one', () => {
    expect(storyBrief('A fox ran. The moon rose.')).toBeUndefined();
    expect(composeImagePrompt('A fox ran.', undefined, undefined, '1:1')).toBe(
      `A fox ran. ${FRAMING['1:1']}. ${STYLES.cinematic}. ${NO_TEXT}.`,
    );
  });
});

describe('prompt budget', () => {
  it('a long scene is cut at a word end so framing, style and no-text always stay, in any script', () => {
    for (const word of ['lighthouse', 'маяк', '灯台']) {
      const prompt = composeImagePrompt(`${word} `.repeat(600), `${word} `.repeat(200), 'noir', '9:16');
      expect(encodeURIComponent(prompt).length).toBeLessThanOrEqual(MAX_ENCODED_PROMPT);
      expect(prompt.endsWith(`${FRAMING['9:16']}. ${STYLES.noir}. ${NO_TEXT}.`)).toBe(true);
    }
    expect(clipEncoded('short', 100)).toBe('short');
    expect(clipEncoded('one two three four', 13)).toBe('one two');
  });
});
