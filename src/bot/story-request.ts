/**
 * What a user asked for, from a slash command, a modal or a button, validated before any work:
 * each problem is one sentence telling the user what to change, in their language.
 */
import { z } from 'zod';
import { ASPECTS, CAPTION_MODES, CAPTION_POSITIONS, MAX_SCENES } from '../core/story.js';
import { normalizeLanguage } from '../core/language.js';
import { STYLE_NAMES } from '../core/image-prompt.js';
import { VOICE_PRESET_NAMES } from '../providers/voice-presets.js';
import { MUSIC_CHOICES } from '../media/music-recipes.js';
import { cleanStory, StoryInputError } from '../engine/story-input.js';
import type { ModalOptions } from '../discord/custom-ids.js';
import type { Translate } from '../i18n/translate.js';
import { ENGLISH, storyInputText, type MemberText } from '../discord/member-text.js';

/** Discord allows 6000 characters in a slash string option; the modal allows 4000. */
export const SLASH_STORY_MAX = 6000;
export const MODAL_STORY_MAX = 4000;

/** A story and its options: the options /story's form carries in its custom_id, and the text. */
export interface StoryRequest extends ModalOptions {
  story: string;
  /** The user's Discord locale, normalized: the language to prefer for a short or ambiguous story. */
  languageHint?: string;
}

/** The options' rules, each problem phrased in the member's language. */
function schemaFor(t: Translate) {
  const scenesRange = t('story.options.scenesRange', { max: MAX_SCENES });
  return z.object({
    aspect: z.enum(ASPECTS, { error: t('story.options.aspect', { choices: ASPECTS.join(', ') }) }),
    scenes: z
      .number({ error: t('story.options.scenesNumber') })
      .int(t('story.options.scenesWhole'))
      .min(1, scenesRange)
      .max(MAX_SCENES, scenesRange)
      .optional(),
    style: z
      .enum(STYLE_NAMES as [string, ...string[]], { error: t('story.options.style', { choices: STYLE_NAMES.join(', ') }) })
      .optional(),
    voice: z
      .enum(VOICE_PRESET_NAMES as [string, ...string[]], { error: t('story.options.voice', { choices: VOICE_PRESET_NAMES.join(', ') }) })
      .optional(),
    language: z
      .string()
      .transform((v, ctx) => {
        const code = normalizeLanguage(v);
        if (code) return code;
        ctx.addIssue({ code: 'custom', message: t('story.options.language') });
        return z.NEVER;
      })
      .optional(),
    captions: z.enum(CAPTION_MODES, { error: t('story.options.captions', { choices: CAPTION_MODES.join(', ') }) }).optional(),
    captionsPosition: z
      .enum(CAPTION_POSITIONS, { error: t('story.options.captionsPosition', { choices: CAPTION_POSITIONS.join(', ') }) })
      .optional(),
    music: z.enum(MUSIC_CHOICES, { error: t('story.options.music', { choices: MUSIC_CHOICES.join(', ') }) }).optional(),
    // A locale we do not know is no error: it only helps when it names a language.
    languageHint: z
      .string()
      .optional()
      .transform((v) => normalizeLanguage(v)),
  });
}

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

/** Options only (the story may come later, from the modal); problems in `m`'s language. */
export function checkOptions(
  input: OptionsInput,
  m: MemberText = ENGLISH,
): { ok: true; value: Omit<StoryRequest, 'story'> } | { ok: false; message: string } {
  const parsed = schemaFor(m.t).safeParse({
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

export function checkStoryRequest(
  story: string,
  input: OptionsInput,
  m: MemberText = ENGLISH,
): { ok: true; value: StoryRequest } | { ok: false; message: string } {
  const options = checkOptions(input, m);
  if (!options.ok) return options;
  try {
    return { ok: true, value: { ...options.value, story: cleanStory(story) } };
  } catch (error) {
    if (error instanceof StoryInputError) return { ok: false, message: storyInputText(error, m) };
    throw error;
  }
}
