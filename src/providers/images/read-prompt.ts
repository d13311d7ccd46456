/**
 * The scene reading of a composed image prompt: its scene and brief taken apart again
 * (core/image-prompt.ts splitComposedPrompt), then read (scene-reading.ts). Its own module so that
 * styles.ts can use scene-reading.ts for the English core without an import cycle.
 */
import { splitComposedPrompt } from '../../core/image-prompt.js';
import { readSceneText, type SceneReading } from './scene-reading.js';

export function readScene(prompt: string): SceneReading {
  const { scene, brief } = splitComposedPrompt(prompt);
  return readSceneText(scene, brief);
}
