/**
 * What a video is, as one plain JSON-serialisable value between the engine (which builds it from
 * the script and the assets) and media (which renders it whole, by batch of scenes, or one scene
 * for a redo). Times are seconds from the video's start; every duration is a whole number of
 * frames. Paths are local files that exist while the render runs; the hashes say what was in them.
 */
import type { CaptionMode, WordTiming } from './story.js';

/** Size, rate and bitrates the video is encoded with (from the size limit and the real length). */
export interface EncodingPlan {
  width: number;
  height: number;
  fps: number;
  videoKbps: number;
  audioKbps: number;
}

/** Where the camera looks: `zoom` >= 1 over the picture scaled to cover the frame; centre x/y in 0..1 of it. */
export interface Framing {
  zoom: number;
  x: number;
  y: number;
}

/**
 * How the speed runs over a shot: `linear` constant; `gentle` starts at half speed, peaks at 1.5x
 * in the middle and slows to half again (eased, but never standing still: a held frame is a stutter).
 */
export const EASINGS = ['linear', 'gentle'] as const;
export type Easing = (typeof EASINGS)[number];

/** A Ken Burns move: from one framing to another over the scene, at sub-pixel precision. */
export interface MotionSpec {
  from: Framing;
  to: Framing;
  easing: Easing;
}

export interface TimelineImage {
  path: string;
  /** sha256 of the image's bytes, when known: a clip is cached by what its picture was. */
  sha256?: string;
}

export interface TimelineNarration {
  path: string;
  /** Seconds of picture before the voice starts, within the scene (never on the cut's first frame). */
  lead: number;
  /** How long the voice speaks. */
  seconds: number;
  text: string;
  /** When each word is said, from the start of the narration (not of the scene). */
  words?: WordTiming[];
}

export interface TimelineScene {
  index: number;
  /** From the video's start. */
  start: number;
  /** A whole number of frames; includes the lead-in and the pause after the voice. */
  duration: number;
  image: TimelineImage;
  motion: MotionSpec;
  narration?: TimelineNarration;
}

/** How one scene gives way to the next: `crossfade` over the first `seconds` of the next scene; `cut` none. */
export const TRANSITION_KINDS = ['crossfade', 'cut'] as const;
export interface Transition {
  kind: (typeof TRANSITION_KINDS)[number];
  seconds: number;
}

export const CAPTION_POSITIONS = ['bottom', 'middle', 'top'] as const;
export type CaptionPosition = (typeof CAPTION_POSITIONS)[number];

export interface TimelineCaptions {
  mode: CaptionMode;
  /** Where the caption block sits; undefined is the default (the safe bottom). */
  position?: CaptionPosition;
  /** The story is written right to left. */
  rtl: boolean;
}

/** The title card: shown over the first scene's lead-in, before its narration starts. */
export interface TimelineTitle {
  text: string;
  start: number;
  end: number;
}

/** Read by the soundtrack renderer: the music bed (none yet) and the loudness the mix aims at. */
export interface TimelineAudio {
  music: { kind: 'none' } | { kind: 'track'; name: string; path?: string; volumeDb?: number };
  loudness: { integratedLufs: number; truePeakDb: number };
}

export interface Timeline {
  version: 1;
  plan: EncodingPlan;
  /** The sum of the scenes' durations. */
  duration: number;
  scenes: TimelineScene[];
  transition: Transition;
  captions: TimelineCaptions;
  title?: TimelineTitle;
  audio: TimelineAudio;
}

/** Frames a duration covers at `fps` (at least one). */
export function framesOf(seconds: number, fps: number): number {
  return Math.max(1, Math.round(seconds * fps));
}

/** Frames of the transition into a scene (0 for the first scene, or a cut). */
export function transitionFrames(timeline: Pick<Timeline, 'transition' | 'plan'>, sceneIndex: number): number {
  if (sceneIndex === 0 || timeline.transition.kind === 'cut') return 0;
  return framesOf(timeline.transition.seconds, timeline.plan.fps);
}
