/**
 * What a user asked for, from a slash command, a modal or a button, validated before any work:
 * each problem is one sentence telling the user what to change.
 */
import { z } from 'zod';
import { ASPECTS, CAPTION_MODES, CAPTION_POSITIONS, MAX_SCENES } from '../core/story.js';
import { normalizeLanguage } from '../core/language.js';
import { STYLE_NAMES } from '../core/image-prompt.js';
import { VOICE_PRESET_NAMES } from '../providers/voice-presets.js';
import { MUSIC_CHOICES } from '../media/music-recipes.js';
import { cleanStory, StoryInputError } from '../engine/story-input.js';
import type { ModalOptions } from '../discord/custom-ids.js';

/** Discord allows 6000 characters in a slash string option; the modal allows 4000. */
export const SLASH_STORY_MAX = 6000;
export const MODAL_STORY_MAX = 4000;

/** A story and its options: the options /story's form carries in its custom_id, and the text. */
export interface StoryRequest extends ModalOptions {
  story: string;
  /** The user's Discord locale, normalized: the language to prefer for a short or ambiguous story. */
  languageHint?: string;
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
  voice: z
    .enum(VOICE_PRESET_NAMES as [string, ...string[]], { error: `Voice must be one of ${VOICE_PRESET_NAMES.join(', ')}.` })
    .optional(),
  language: z
    .string()
    .transform((v, ctx) => {
      const code = normalizeLanguage(v);
      if (code) return code;
      ctx.addIssue({ code: 'custom', message: 'Language must be a language code like en, es, ja or pt-BR.' });
      return z.NEVER;
    })
    .optional(),
  captions: z.enum(CAPTION_MODES, { error: `Captions must be one of ${CAPTION_MODES.join(', ')}.` }).optional(),
  captionsPosition: z.enum(CAPTION_POSITIONS, { error: `Captions position must be one of ${CAPTION_POSITIONS.join(', ')}.` }).optional(),
  music: z.enum(MUSIC_CHOICES, { error: `Music must be one of ${MUSIC_CHOICES.join(', ')}.` }).optional(),
  // A locale we do not know is no error: it only helps when it names a language.
  languageHint: z
    .string()
    .optional()
    .transform((v) => normalizeLanguage(v)),
});

export type OptionsInput = {
  aspect?: string | null;
  scenes?: number | null;
  style?: string | null;
  voice?: string | null;
  language?: string | null;
  captions?: string | null;
  captionsPosition?: string | null;
  music?: string | null;
  languageHint?: string | null;
};

/** Options only (the story may come later, from the modal). */
export function checkOptions(input: OptionsInput): { ok: true; value: Omit<StoryRequest, 'story'> } | { ok: false; message: string } {
  const parsed = schema.safeParse({
    aspect: input.aspect ?? '9:16',
    scenes: input.scenes ?? undefined,
    style: input.style ?? undefined,
    voice: input.voice ?? undefined,
    language: input.language ?? undefined,
    captions: input.captions ?? undefined,
    captionsPosition: input.captionsPosition ?? undefined,
    music: input.music ?? undefined,
    languageHint: input.languageHint ?? undefined,
  });
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0]!.message };
  // Unset options stay absent (not undefined keys), as before.
  const value = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined));
  return { ok: true, value: value as Omit<StoryRequest, 'story'> };
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
