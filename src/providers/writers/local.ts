/**
 * The offline scene writer: cuts the story at sentence and paragraph boundaries into balanced
 * scenes, and builds each image prompt from the scene's own words plus the chosen style.
 */
import type { SceneWriter, Script, WriteRequest } from '../types.js';
import { autoSceneCount, groupSentences, splitSentences } from './split-story.js';

const STOP_WORDS = new Set(
  'a an the and or but if then so of to in on at by for with from into onto over under as is are was were be been being it its he she they them his her their we our you your i me my this that these those there here not no yes very just than too also up down out off again once all any each few more most other some such only own same can will would could should did do does had has have having while when where why how who whom which what said says say'.split(' '),
);

export function promptFromText(text: string, maxWords = 14): string {
  const words = text
    .replace(/[“”"«»()[\]{}]/g, ' ')
    .split(/\s+/)
    .map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
    .filter((w) => w && !STOP_WORDS.has(w.toLowerCase()));
  const unique = [...new Set(words)].slice(0, maxWords);
  return unique.length > 0 ? unique.join(' ') : text.slice(0, 120);
}

export function titleFrom(story: string): string {
  const firstLine = story.split('\n').map((l) => l.trim()).find(Boolean) ?? '';
  const first = splitSentences(firstLine)[0]?.text ?? firstLine;
  const chars = [...first.replace(/[.!?。！？]+$/u, '')];
  return chars.length <= 80 ? chars.join('') : chars.slice(0, 79).join('').replace(/\s+\S*$/, '') + '…';
}

export class LocalSceneWriter implements SceneWriter {
  readonly name = 'local';

  async write(req: WriteRequest): Promise<Script> {
    const sentences = splitSentences(req.story);
    if (sentences.length === 0) throw new Error('The story has no sentences to narrate.');
    const total = sentences.reduce((s, x) => s + x.weight, 0);
    const count = req.scenes ?? autoSceneCount(total, sentences.length);
    const groups = groupSentences(sentences, count);
    return {
      title: titleFrom(req.story),
      writer: this.name,
      scenes: groups.map((group, index) => {
        const narration = group.map((s) => s.text).join(' ');
        return { index, narration, imagePrompt: promptFromText(narration) };
      }),
    };
  }
}
