/** The shapes that flow through the engine. Nothing here knows about Discord. */

export const ASPECTS = ['9:16', '16:9', '1:1'] as const;
export type Aspect = (typeof ASPECTS)[number];

/** Most scenes a story may be cut into, whoever writes the script. */
export const MAX_SCENES = 20;
/** Longest story accepted, in characters. */
export const MAX_STORY_CHARS = 20_000;

export interface Scene {
  /** 0-based position in the story. */
  index: number;
  /** What the narrator says over this scene. */
  narration: string;
  /** What the image of this scene shows (style and character sheet are added later). */
  imagePrompt: string;
}

/** A recurring character of a story (a person, an animal, an object that matters), as every image shows it. */
export interface CastMember {
  /** As the scenes name it ("Mara", "fox"): a scene shows it when its narration or image prompt names it. */
  name: string;
  /** A short visual description in English (species, age, clothes, colours). */
  description: string;
  /** The seed its portrait was drawn with (set by the render; a redo keeps it). */
  seed?: number;
}

/** Most characters that get a portrait and appear in the scenes' references. */
export const MAX_CAST = 4;

export interface Script {
  title: string;
  /**
   * Set when the story opened with a title line (short, no final stop, a blank line after): the
   * title as written, shown on a card over the first scene and kept out of the narration.
   */
  titleCard?: string;
  scenes: Scene[];
  /** Short description of recurring characters and setting, added to every image prompt. */
  visualBrief?: string;
  /** The recurring characters, main ones first (at most MAX_CAST are drawn). */
  cast?: CastMember[];
  /** The story-wide look in English: setting, period, palette. */
  look?: string;
  /** Name of the writer that produced the scenes ("local", "openai"). */
  writer: string;
  /** Set when the configured writer failed and the offline writer stood in; says why. */
  fallbackReason?: string;
}

/** One spoken word and when it is said, in seconds from the start of its scene's narration. */
export interface WordTiming {
  word: string;
  start: number;
  end: number;
}

/** How captions show: karaoke lights the word being said (needs the voice's word timings, plain otherwise). */
export const CAPTION_MODES = ['karaoke', 'plain', 'none'] as const;
export type CaptionMode = (typeof CAPTION_MODES)[number];

/** Where captions sit: inside the platforms' safe zone at the bottom (default), in the middle, or at the top. */
export const CAPTION_POSITIONS = ['bottom', 'middle', 'top'] as const;
export type CaptionPosition = (typeof CAPTION_POSITIONS)[number];

export interface StoryOptions {
  aspect: Aspect;
  /** Number of scenes wanted; undefined lets the writer choose (about one per 22 words, 1-20). */
  scenes?: number;
  /** The finished MP4 must be at most this many bytes. */
  maxBytes: number;
  /** A named visual style added to every image prompt. */
  style?: string;
  /** A voice id for the voice provider; undefined uses its default. */
  voice?: string;
  /** A model of the voice provider (Inworld: inworld-tts-1, inworld-tts-1-max); undefined uses the configured one. */
  voiceModel?: string;
  /** Base seed; scene i gets seed + i unless `seeds` says otherwise. */
  seed?: number;
  /** The story's language (BCP-47, e.g. "es"); undefined detects it from the text. */
  language?: string;
  /** A language to prefer when the text is short or ambiguous (the Discord user's locale). */
  languageHint?: string;
  /** Caption style; undefined is karaoke, which shows plain captions when the voice gives no word timings. */
  captions?: CaptionMode;
  /** Where captions sit; undefined is the safe bottom. */
  captionsPosition?: CaptionPosition;
  /** The music bed: a mood (calm, warm, mystery, bright), an audio file (CLI), or none; undefined uses DEFAULT_MUSIC. */
  music?: string;
  /** Who reads the dialogue: each character its own voice (default), or the narrator alone. */
  voices?: 'characters' | 'narrator-only';
  /** The image service's content filter (Pollinations `safe`) for every image; undefined: the provider's setting. */
  safeImages?: boolean;
}
