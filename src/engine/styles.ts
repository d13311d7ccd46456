/** Named visual styles a user can pick; each adds words to every image prompt. */
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
export const DEFAULT_STYLE: StyleName = 'cinematic';

export function isStyleName(value: string): value is StyleName {
  return Object.hasOwn(STYLES, value);
}

/** The prompt sent to the image provider: the scene, the story's recurring look, the style. */
export function composeImagePrompt(scenePrompt: string, visualBrief: string | undefined, style: string | undefined): string {
  const styleWords = style && isStyleName(style) ? STYLES[style] : style;
  return [scenePrompt, visualBrief, styleWords]
    .map((part) => part?.trim())
    .filter((part): part is string => Boolean(part))
    .join('. ');
}
