/**
 * The offline scene writer: cuts the story at sentence and paragraph boundaries into balanced
 * scenes. Each image prompt is the scene's own sentences, whole; the story's recurring names and
 * nouns become the visual brief every scene shares (story-brief.ts), and those that stand for someone
 * or something that matters its cast (story-cast.ts). The engine adds the framing,
 * the style and "no text" (engine/styles.ts).
 */
import type { SceneWriter, Script, WriteRequest } from '../types.js';
import { autoSceneCount, groupSentences, splitSentences } from './split-story.js';
import { sceneImageText, storyBrief } from './story-brief.js';
import { storyCast } from './story-cast.js';

export function titleFrom(story: string): string {
  const firstLine =
    story
      .split('\n')
      .map((l) => l.trim())
      .find(Boolean) ?? '';
  const first = splitSentences(firstLine)[0]?.text ?? firstLine;
  const chars = [...first.replace(/[.!?。！？]+$/u, '')];
  return chars.length <= 80
    ? chars.join('')
    : chars
        .slice(0, 79)
        .join('')
        .replace(/\s+\S*$/, '') + '…';
}

export class LocalSceneWriter implements SceneWriter {
  readonly name = 'local';

  async write(req: WriteRequest): Promise<Script> {
    const sentences = splitSentences(req.story);
    if (sentences.length === 0) throw new Error('The story has no sentences to narrate.');
    const total = sentences.reduce((s, x) => s + x.weight, 0);
    const count = req.scenes ?? autoSceneCount(total, sentences.length);
    const groups = groupSentences(sentences, count);
    const cast = storyCast(req.story);
    return {
      title: titleFrom(req.story),
      writer: this.name,
      visualBrief: storyBrief(req.story),
      ...(cast.length > 0 ? { cast } : {}),
      scenes: groups.map((group, index) => {
        const narration = group.map((s) => s.text).join(' ');
        return { index, narration, imagePrompt: sceneImageText(narration) };
      }),
    };
  }
}
