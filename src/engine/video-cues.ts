/**
 * The whole video's captions on one timeline: each scene's chunks (captions.ts) shifted by where
 * the scene starts. The burned captions of a batch of scenes and the .srt beside the video are
 * both made here, so they show the same cues at the same times.
 */
import type { WordTiming } from '../core/story.js';
import { chunkCaptions, type CaptionChunk } from './captions.js';

/** A caption chunk with times in seconds from the start of the video (or of a batch's clip). */
export type CaptionCue = CaptionChunk;

export interface SceneCaptions {
  narration: string;
  /** How long the narration speaks. */
  narrationSeconds: number;
  /** The voice's word timings, from the start of the narration. */
  words?: WordTiming[];
  /** Where the narration starts on the timeline, in seconds. */
  start: number;
}

export function shiftCue(cue: CaptionCue, by: number): CaptionCue {
  return {
    ...cue,
    start: cue.start + by,
    end: cue.end + by,
    words: cue.words?.map((w) => ({ ...w, start: w.start + by, end: w.end + by })),
  };
}

export function sceneCues(scene: SceneCaptions, language?: string): CaptionCue[] {
  return chunkCaptions(scene.narration, scene.narrationSeconds, scene.words, language).map((c) => shiftCue(c, scene.start));
}

export function videoCues(scenes: SceneCaptions[], language?: string): CaptionCue[] {
  return scenes.flatMap((scene) => sceneCues(scene, language));
}

/** Scenes one after another: each starts where the ones before it end (`seconds`: a scene's length in the video). */
export function consecutiveStarts(seconds: number[]): number[] {
  let at = 0;
  return seconds.map((s) => {
    const start = at;
    at += s;
    return start;
  });
}
