/**
 * Story -> scenes through the configured SceneWriter; if it fails outright, the offline writer
 * stands in and the script says why. Whatever comes back is checked: 1-20 scenes, no empty text.
 */
import type { SceneWriter, WriteRequest } from '../providers/types.js';
import type { Script } from '../core/story.js';
import { MAX_SCENES } from '../core/story.js';
import { isAbort } from './retry.js';
import { describeError } from '../core/describe-error.js';

export async function writeScript(writer: SceneWriter, fallback: SceneWriter, req: WriteRequest): Promise<Script> {
  if (writer === fallback) return checkScript(await writer.write(req));
  try {
    return checkScript(await writer.write(req));
  } catch (error) {
    if (isAbort(error, req.signal)) throw error;
    const script = checkScript(await fallback.write(req));
    return { ...script, fallbackReason: `${writer.name} writer failed: ${describeError(error)}` };
  }
}

export function checkScript(script: Script): Script {
  const scenes = script.scenes
    .map((s) => ({ narration: s.narration.trim(), imagePrompt: s.imagePrompt.trim() }))
    .filter((s) => s.narration.length > 0)
    .slice(0, MAX_SCENES)
    .map((s, index) => ({ index, narration: s.narration, imagePrompt: s.imagePrompt || s.narration }));
  if (scenes.length === 0) throw new Error(`The ${script.writer} writer returned no scenes.`);
  return { ...script, title: script.title.trim() || scenes[0]!.narration.slice(0, 80), scenes };
}
