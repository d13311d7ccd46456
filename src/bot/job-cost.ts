/**
 * What a job is expected to spend, reserved against the daily caps when it is admitted
 * (quota-rules.ts): one story; narration characters: the story's length (a script's narration is
 * held near it: engine/narration-cap.ts); images: one per scene, the scenes asked for or the count
 * the local writer would choose from the story's length (split-story.ts autoSceneCount: 3-12 for
 * most stories). New images reuse the script and its narration (cached): images only. A redone
 * scene: one image.
 */
import type { JobKind, JobRecord } from '../store/job-record.js';
import type { JobCost } from '../jobs/quota-rules.js';
import { autoSceneCount, splitSentences } from '../providers/writers/split-story.js';
import type { StoryRequest } from './story-request.js';

export function sceneCountOf(story: string, scenes: number | undefined): number {
  if (scenes !== undefined) return scenes;
  const sentences = splitSentences(story);
  return autoSceneCount(
    sentences.reduce((sum, s) => sum + s.weight, 0),
    sentences.length,
  );
}

export function jobCost(request: StoryRequest, from?: { kind: Exclude<JobKind, 'story'>; parent: JobRecord }): JobCost {
  if (from?.kind === 'redo') return { stories: 1, narrationCharacters: 0, images: 1 };
  if (from?.kind === 'new-images') {
    const scenes = from.parent.script?.scenes.length ?? sceneCountOf(request.story, request.scenes);
    return { stories: 1, narrationCharacters: 0, images: scenes };
  }
  return { stories: 1, narrationCharacters: [...request.story].length, images: sceneCountOf(request.story, request.scenes) };
}
