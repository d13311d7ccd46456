/**
 * What a user asked for, from a slash command, a modal or a button, validated before any work:
 * each problem is one sentence telling the user what to change.
 */
import { z } from 'zod';
import { ASPECTS, MAX_SCENES, type Aspect } from '../core/story.js';
import { STYLE_NAMES } from '../engine/styles.js';
import { VOICE_PRESET_NAMES } from '../providers/voice-presets.js';
import { cleanStory, StoryInputError } from '../engine/story-input.js';

/** Discord allows 6000 characters in a slash string option; the modal allows 4000. */
export const SLASH_STORY_MAX = 6000;
export const MODAL_STORY_MAX = 4000;

export interface StoryRequest {
  story: string;
  aspect: Aspect;
  scenes?: number;
  style?: string;
  voice?: string;
}

const schema = z.object({
  aspect: z.enum(ASPECTS, { error: `Aspect must be one of ${ASPECTS.join(', ')}.` }),
  scenes: z
    .number({ error: 'Scenes must be a number.' })
    .int('Scenes must be a whole number.')
    .min(1, `Scenes must be from 1 to ${MAX_SCENES}.`)
    .max(MAX_SCENES, `Scenes must be from 1 to ${MAX_SCENES}.`)
    .optional(),
  style: z.enum(STYLE_NAMES as [string, ...string[]], { error: `Style must be one of ${STYLE_NAMES.join(', ')}.` }).optional(),
  voice: z.enum(VOICE_PRESET_NAMES as [string, ...string[]], { error: `Voice must be one of ${VOICE_PRESET_NAMES.join(', ')}.` }).optional(),
});

export type OptionsInput = { aspect?: string | null; scenes?: number | null; style?: string | null; voice?: string | null };

/** Options only (the story may come later, from the modal). */
export function checkOptions(input: OptionsInput): { ok: true; value: Omit<StoryRequest, 'story'> } | { ok: false; message: string } {
  const parsed = schema.safeParse({
    aspect: input.aspect ?? '9:16',
    scenes: input.scenes ?? undefined,
    style: input.style ?? undefined,
    voice: input.voice ?? undefined,
  });
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0]!.message };
  return { ok: true, value: parsed.data as Omit<StoryRequest, 'story'> };
}

export function checkStoryRequest(story: string, input: OptionsInput): { ok: true; value: StoryRequest } | { ok: false; message: string } {
  const options = checkOptions(input);
  if (!options.ok) return options;
  try {
    return { ok: true, value: { ...options.value, story: cleanStory(story) } };
  } catch (error) {
    if (error instanceof StoryInputError) return { ok: false, message: error.message };
    throw error;
  }
}
