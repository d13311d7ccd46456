/** The prompt each scene's image is asked for: its words, an English core, the brief, the framing, the style, no text. */
import type { Aspect } from '../core/story.js';
import { englishCore } from '../providers/images/scene-reading.js';
import { FRAMING, NO_TEXT, styleWords } from '../core/image-prompt.js';

/**
 * Budgets in URL-encoded characters. Pollinations carries the prompt in the URL path and cuts it
 * at 1,800 encoded characters (images/pollinations.ts): the scene, the brief and a non-English
 * scene's English core get 1,100 + 300 + 100, leaving about 300 for framing, style and "no text"
 * (about 200), which are never the part cut. In English
 * that is at most ~1,000 characters, ~250 T5 tokens: about what FLUX.1 schnell reads (256).
 */
export const SCENE_BUDGET = 1_100;
export const BRIEF_BUDGET = 300;
/** The English core of a scene in another language: a few pictographs' English names. */
export const CORE_BUDGET = 100;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** `text` cut to `budget` encoded characters, between graphemes, at a word end when one is near. */
export function clipEncoded(text: string, budget: number): string {
  if (encodeURIComponent(text).length <= budget) return text;
  let used = 0;
  let end = 0;
  for (const { segment, index } of graphemes.segment(text)) {
    used += encodeURIComponent(segment).length;
    if (used > budget) break;
    end = index + segment.length;
  }
  const cut = text.slice(0, end);
  const space = cut.lastIndexOf(' ');
  return (space >= cut.length * 0.7 ? cut.slice(0, space) : cut).replace(/[\s,;:]+$/, '');
}

const asSentence = (part: string) => (/[.!?…。！？]$/u.test(part) ? part : `${part}.`);

/**
 * The prompt sent to the image provider, what a painter would need: the scene, for a scene not in
 * English the English names of what it shows (images/scene-reading.ts englishCore), the story's
 * recurring characters and places, the framing for the video's shape, the style, and no text.
 */
export function composeImagePrompt(
  scenePrompt: string,
  visualBrief: string | undefined,
  style: string | undefined,
  aspect?: Aspect,
): string {
  const scene = clipEncoded(scenePrompt.trim(), SCENE_BUDGET);
  const core = englishCore(scene);
  // a short scene leaves its room to the brief (an LLM's look and its characters' descriptions)
  const brief = visualBrief && clipEncoded(visualBrief.trim(), BRIEF_BUDGET + SCENE_BUDGET - encodeURIComponent(scene).length);
  return [scene, core && clipEncoded(core, CORE_BUDGET), brief, aspect && FRAMING[aspect], styleWords(style), NO_TEXT]
    .map((part) => part?.trim())
    .filter((part): part is string => Boolean(part))
    .map(asSentence)
    .join(' ');
}
