/**
 * The timing rules and the builder of the Timeline (core/timeline.ts): how long each scene lasts
 * (a lead-in before the voice, the voice, a breath after it, frame-aligned), how the camera moves
 * over each still (chosen by the scene's seed), the crossfade between scenes and the title card's
 * time. Pure: the engine calls it with what it knows, media renders what it returns.
 */
import type { Aspect, CaptionMode, WordTiming } from '../core/story.js';
import type {
  CaptionPosition,
  EncodingPlan,
  Framing,
  MotionSpec,
  Timeline,
  TimelineAudio,
  TimelineImage,
  TimelineScene,
  Transition,
} from '../core/timeline.js';
import { framesOf } from '../core/timeline.js';
import { seededRandom } from '../core/seeded-random.js';
import { PAN_MARGIN } from '../media/motion.js';

/** Picture before each scene's voice: the crossfade in is mostly over before the first word. */
export const LEAD_IN_SECONDS = 0.25;
/** A short breath after each scene's narration, so scenes do not run into each other. */
export const TAIL_SECONDS = 0.2;
/** Both together: what a scene adds to its narration (the encoding plan counts on it). */
export const SCENE_GAP_SECONDS = LEAD_IN_SECONDS + TAIL_SECONDS;
/** With a title card, the first scene's voice waits this long: the title is read first. */
export const TITLE_LEAD_SECONDS = 1.75;
/** The crossfade between scenes: long enough to feel edited, short enough not to blur two pictures. */
export const CROSSFADE: Transition = { kind: 'crossfade', seconds: 0.3 };
/** What the soundtrack aims at until music and loudness land: no music, platform loudness. */
export const DEFAULT_AUDIO: TimelineAudio = { music: { kind: 'none' }, loudness: { integratedLufs: -14, truePeakDb: -1 } };

/** The lead-in of scene `index`: longer for the first scene when a title card is shown. */
export function leadFor(index: number, hasTitle: boolean): number {
  return index === 0 && hasTitle ? TITLE_LEAD_SECONDS : LEAD_IN_SECONDS;
}

/** A scene lasts its lead-in, its narration and a breath, rounded up to a whole frame (so audio and video agree). */
export function sceneSeconds(narrationSeconds: number, fps: number, lead = LEAD_IN_SECONDS): number {
  return Math.ceil((lead + narrationSeconds + TAIL_SECONDS) * fps - 1e-6) / fps;
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

/** Zoom at the wide and the close end of a move: never 1, so a pan always has room. */
const ZOOM_WIDE = 1.04;
const ZOOM_CLOSE = PAN_MARGIN;
/** Share of the room at each end the centre may use: the rest is margin for the crossfade's overlap. */
const PAN_USE = 0.8;

/**
 * The move over scene `seed`'s still: zoom in or out, panning one of eight directions, both from
 * the seed, so neighbouring shots differ. The centre stays within the room the zoom leaves (the
 * window never leaves the picture) and the picture's middle is always in view, where a generated
 * picture puts its subject.
 */
export function chooseMotion(seed: number): MotionSpec {
  const random = seededRandom((seed ^ 0x5eed) >>> 0);
  const zoomIn = random() < 0.5;
  const direction = Math.floor(random() * 8);
  const angle = (direction * Math.PI) / 4;
  const [dx, dy] = [Math.round(Math.cos(angle)), Math.round(Math.sin(angle))];
  const room = (zoom: number) => ((1 - 1 / zoom) / 2) * PAN_USE;
  const at = (zoom: number, sign: number): Framing => ({
    zoom,
    x: Number((0.5 + sign * dx * room(zoom)).toFixed(4)),
    y: Number((0.5 + sign * dy * room(zoom)).toFixed(4)),
  });
  const [fromZoom, toZoom] = zoomIn ? [ZOOM_WIDE, ZOOM_CLOSE] : [ZOOM_CLOSE, ZOOM_WIDE];
  return { from: at(fromZoom, -1), to: at(toZoom, 1), easing: 'gentle' };
}

/** What the engine knows of one scene once its image and voice exist. */
export interface SceneInput {
  image: TimelineImage;
  /** The narration's audio; undefined for a scene with no voice (a hand-made timeline). */
  narration?: { path: string; seconds: number; text: string; words?: WordTiming[] };
  /** Scene length without narration (seconds), when there is none. */
  seconds?: number;
  seed: number;
}

/** One scene's part of the timeline, before its start is known (clips render as soon as their scene is ready). */
export function timelineScene(index: number, input: SceneInput, fps: number, hasTitle = false): Omit<TimelineScene, 'start'> {
  const lead = leadFor(index, hasTitle);
  const narration = input.narration ? { ...input.narration, lead } : undefined;
  const duration = narration ? sceneSeconds(narration.seconds, fps, lead) : framesOf(input.seconds ?? 3, fps) / fps;
  return { index, duration, image: input.image, motion: chooseMotion(input.seed), ...(narration ? { narration } : {}) };
}

export interface TimelineInput {
  plan: EncodingPlan;
  scenes: SceneInput[];
  captions?: { mode?: CaptionMode; position?: CaptionPosition; rtl?: boolean };
  /**
   * The story's title, when it is shown as a title card (the words side decides that): the first
   * scene's voice then starts after TITLE_LEAD_SECONDS and the card covers that lead-in.
   */
  title?: string;
  transition?: Transition;
  audio?: TimelineAudio;
}

export function buildTimeline(input: TimelineInput): Timeline {
  const hasTitle = input.title !== undefined && input.title.trim() !== '';
  let start = 0;
  const scenes = input.scenes.map((scene, i) => {
    const part = timelineScene(i, scene, input.plan.fps, hasTitle);
    const placed = { ...part, start: Number(start.toFixed(6)) };
    start += part.duration;
    return placed;
  });
  return {
    version: 1,
    plan: input.plan,
    duration: Number(start.toFixed(6)),
    scenes,
    transition: input.transition ?? CROSSFADE,
    captions: { mode: input.captions?.mode ?? 'karaoke', rtl: input.captions?.rtl ?? false, ...positionOf(input.captions) },
    ...(hasTitle ? { title: { text: input.title!.trim(), start: 0, end: leadFor(0, true) } } : {}),
    audio: input.audio ?? DEFAULT_AUDIO,
  };
}

const positionOf = (c: TimelineInput['captions']) => (c?.position ? { position: c.position } : {});
