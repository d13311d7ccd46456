/**
 * The shape of a composed image prompt, known to both sides: the engine composes it
 * (engine/styles.ts composeImagePrompt) and the offline painter, which gets only the prompt, reads
 * the style and the scene back from it (providers/images). Named styles a user can pick, the
 * framing per shape, "no text", and the openings of the parts the engine adds.
 */
import type { Aspect } from './story.js';

export const STYLES = {
  cinematic: 'cinematic film still, dramatic lighting, shallow depth of field, rich colour grading',
  storybook: "children's storybook illustration, soft gouache, warm friendly colours",
  anime: 'anime key visual, clean line art, vibrant cel shading',
  watercolor: 'loose watercolor painting, soft washes, paper texture',
  noir: 'black and white film noir, hard shadows, moody high contrast',
  pixel: '16-bit pixel art, crisp pixels, limited palette',
} as const;

export type StyleName = keyof typeof STYLES;
export const STYLE_NAMES = Object.keys(STYLES) as StyleName[];
/**
 * The look of every image when none is chosen. Cinematic, because it suits the widest range of
 * stories (a fable, a thriller, a memory) in a video frame, while storybook, anime, pixel, noir and
 * watercolor each commit a story to one genre or palette (noir drops colour altogether); and
 * FLUX.1 schnell is at its most consistent on film-still prompts. Every prompt carries it, so all
 * scenes of a story share one look.
 */
export const DEFAULT_STYLE: StyleName = 'cinematic';

/** Image models letter quoted or named text into pictures; captions are added by us. */
export const NO_TEXT = 'No text or lettering';

/**
 * Framing per shape. The clip pans across a still scaled 12% beyond the frame (PAN_MARGIN in
 * media/clip-args.ts), so the edges are cropped: the subject goes in the middle, with room around it.
 */
export const FRAMING: Record<Aspect, string> = {
  '9:16': 'Tall vertical 9:16 frame, the subject centred with room around it',
  '16:9': 'Wide 16:9 frame, the subject centred with room around it',
  '1:1': 'Square 1:1 frame, the subject centred with room around it',
};

/** How the English core of a scene not written in English begins (providers/images/scene-reading.ts). */
export const ENGLISH_OPENING = 'Showing:';

/** The words a style adds: a named style's description, a free text as given, the default when none. */
export function styleWords(style: string | undefined): string {
  const name = style?.trim() || DEFAULT_STYLE;
  return isStyleName(name) ? STYLES[name] : name;
}

export function isStyleName(value: string): value is StyleName {
  return Object.hasOwn(STYLES, value);
}

/**
 * The named style a composed prompt carries (its exact words, as composeImagePrompt puts them), or
 * the default: how the offline painter learns the style without a field of its own. A free-text
 * style paints as the default.
 */
export function styleInPrompt(prompt: string): StyleName {
  return STYLE_NAMES.find((name) => prompt.includes(STYLES[name])) ?? DEFAULT_STYLE;
}

/** How the offline writer's brief begins (writers/story-brief.ts). */
const BRIEF_OPENING = 'Recurring in this story:';

/**
 * A composed prompt taken apart again (for the offline painter, which gets only the prompt): the
 * scene's own words (without the English core composeImagePrompt may add), and the offline
 * writer's brief when there is one. What follows the scene
 * (framing, style, "no text") is recognised by its exact words; another writer's brief stays with
 * the scene, having no words of its own to be known by.
 */
export function splitComposedPrompt(prompt: string): { scene: string; brief?: string } {
  const ends = [...Object.values(FRAMING), ...Object.values(STYLES), NO_TEXT].map((words) => prompt.indexOf(words)).filter((at) => at >= 0);
  let head = prompt.slice(0, Math.min(prompt.length, ...ends)).trim();
  let brief: string | undefined;
  const at = head.indexOf(BRIEF_OPENING);
  if (at >= 0) {
    brief = head
      .slice(at + BRIEF_OPENING.length)
      .replace(/\.$/, '')
      .trim();
    head = head.slice(0, at).trim();
  }
  // the English core is ours, not the scene's words
  const core = head.lastIndexOf(` ${ENGLISH_OPENING} `);
  const scene = core >= 0 ? head.slice(0, core).trim() : head;
  return brief === undefined ? { scene } : { scene, brief };
}
