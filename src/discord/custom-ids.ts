/**
 * custom_id strings for buttons, modals and menus: `sr:<action>:<data>`, at most 100 characters.
 * They carry the job id (or the modal's options), so they keep working after a restart.
 */
import { MUSIC_CHOICES, type MusicChoice } from '../media/music-recipes.js';
import { z } from 'zod';
import { JOB_ID_PATTERN } from '../core/job-id.js';
import { ASPECTS, CAPTION_MODES, CAPTION_POSITIONS, MAX_SCENES, type CaptionMode, type CaptionPosition } from '../core/story.js';

export const JOB_ACTIONS = ['rerun', 'images', 'cancel', 'delete', 'subtitles'] as const;
export type JobAction = (typeof JOB_ACTIONS)[number];

const jobId = z.string().regex(JOB_ID_PATTERN);

export function jobButtonId(action: JobAction, id: string): string {
  return `sr:${action}:${id}`;
}

export function parseJobButtonId(customId: string): { action: JobAction; jobId: string } | undefined {
  const [prefix, action, id, ...rest] = customId.split(':');
  if (prefix !== 'sr' || rest.length > 0 || !JOB_ACTIONS.includes(action as JobAction) || !jobId.safeParse(id).success) return undefined;
  return { action: action as JobAction, jobId: id! };
}

export const REDO_MENU_PREFIX = 'sr:redo:';

/** The "Redo a scene…" menu of a job's result. */
export function redoMenuId(id: string): string {
  return `${REDO_MENU_PREFIX}${id}`;
}

export function parseRedoMenuId(customId: string): string | undefined {
  if (!customId.startsWith(REDO_MENU_PREFIX)) return undefined;
  const id = customId.slice(REDO_MENU_PREFIX.length);
  return jobId.safeParse(id).success ? id : undefined;
}

/** The /story options that wait while the modal asks for the story text. */
export interface ModalOptions {
  aspect: (typeof ASPECTS)[number];
  scenes?: number;
  style?: string;
  voice?: string;
  language?: string;
  captions?: CaptionMode;
  captionsPosition?: CaptionPosition;
  music?: MusicChoice;
}

const code = z.string().regex(/^[a-z]{2,3}$/);
const modalOptions = z.object({
  aspect: z.enum(ASPECTS),
  scenes: z.coerce.number().int().min(1).max(MAX_SCENES).optional(),
  style: z
    .string()
    .regex(/^[a-z]{1,20}$/)
    .optional(),
  voice: z
    .string()
    .regex(/^[a-z]{1,20}$/)
    .optional(),
  language: code.optional(),
  captions: z.enum(CAPTION_MODES).optional(),
  captionsPosition: z.enum(CAPTION_POSITIONS).optional(),
  music: z.enum(MUSIC_CHOICES).optional(),
});

export const STORY_MODAL_PREFIX = 'sr:modal:';
export const STORY_MODAL_FIELD = 'story';
export const HISTORY_MENU_ID = 'sr:history';

/**
 * `sr:modal:9:16|3|noir|deep|es|karaoke|middle`: at most 9 + 4 + 2 + 20 + 20 + 3 + 7 + 5 + 7 = 77 characters.
 * Language, captions and their position are appended only when chosen, so the id is unchanged otherwise.
 */
export function storyModalId(o: ModalOptions): string {
  const fields = [o.aspect, o.scenes ?? '', o.style ?? '', o.voice ?? ''];
  if (o.language || o.captions || o.captionsPosition || o.music) fields.push(o.language ?? '', o.captions ?? '');
  if (o.captionsPosition || o.music) fields.push(o.captionsPosition ?? '');
  if (o.music) fields.push(o.music);
  return STORY_MODAL_PREFIX + fields.join('|');
}

/** Forms opened before language and captions existed (4 fields) still parse. */
export function parseStoryModalId(customId: string): ModalOptions | undefined {
  if (!customId.startsWith(STORY_MODAL_PREFIX)) return undefined;
  const [aspect, scenes, style, voice, language, captions, captionsPosition, music] = customId.slice(STORY_MODAL_PREFIX.length).split('|');
  const parsed = modalOptions.safeParse({
    aspect,
    scenes: scenes || undefined,
    style: style || undefined,
    voice: voice || undefined,
    language: language || undefined,
    captions: captions || undefined,
    captionsPosition: captionsPosition || undefined,
    music: music || undefined,
  });
  if (!parsed.success) return undefined;
  return Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined)) as unknown as ModalOptions;
}
