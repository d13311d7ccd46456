/** Pure timing and sizing rules shared by the pipeline's steps. */
import type { Aspect } from '../core/story.js';

/** A short breath after each scene's narration, so scenes do not run into each other. */
export const SCENE_GAP_SECONDS = 0.35;

/** A scene lasts its narration plus the gap, rounded up to a whole frame (so audio and video agree). */
export function sceneSeconds(narrationSeconds: number, fps: number): number {
  return Math.ceil((narrationSeconds + SCENE_GAP_SECONDS) * fps - 1e-6) / fps;
}

/** The size asked of image providers: multiples of 64, about a megapixel, in the video's shape. */
export function imageSizeFor(aspect: Aspect): { width: number; height: number } {
  switch (aspect) {
    case '9:16':
      return { width: 768, height: 1344 };
    case '16:9':
      return { width: 1344, height: 768 };
    case '1:1':
      return { width: 1024, height: 1024 };
  }
}
