/**
 * custom_id strings for buttons, modals and menus: `sr:<action>:<data>`, at most 100 characters.
 * They carry the job id (or the modal's options), so they keep working after a restart.
 */
import { z } from 'zod';
import { ASPECTS, MAX_SCENES } from '../core/story.js';

export const JOB_ACTIONS = ['rerun', 'images', 'cancel', 'delete'] as const;
export type JobAction = (typeof JOB_ACTIONS)[number];

const jobId = z.string().regex(/^[a-z0-9]{6,32}$/);

export function jobButtonId(action: JobAction, id: string): string {
  return `sr:${action}:${id}`;
}

export function parseJobButtonId(customId: string): { action: JobAction; jobId: string } | undefined {
  const [prefix, action, id, ...rest] = customId.split(':');
  if (prefix !== 'sr' || rest.length > 0 || !JOB_ACTIONS.includes(action as JobAction) || !jobId.safeParse(id).success) return undefined;
  return { action: action as JobAction, jobId: id! };
}

/** The /story options that wait while the modal asks for the story text. */
export interface ModalOptions {
  aspect: (typeof ASPECTS)[number];
  scenes?: number;
  style?: string;
  voice?: string;
}

const modalOptions = z.object({
  aspect: z.enum(ASPECTS),
  scenes: z.coerce.number().int().min(1).max(MAX_SCENES).optional(),
  style: z.string().regex(/^[a-z]{1,20}$/).optional(),
  voice: z.string().regex(/^[a-z]{1,20}$/).optional(),
});

export const STORY_MODAL_PREFIX = 'sr:modal:';
export const STORY_MODAL_FIELD = 'story';
export const HISTORY_MENU_ID = 'sr:history';

export function storyModalId(o: ModalOptions): string {
  return `${STORY_MODAL_PREFIX}${o.aspect}|${o.scenes ?? ''}|${o.style ?? ''}|${o.voice ?? ''}`;
}

export function parseStoryModalId(customId: string): ModalOptions | undefined {
  if (!customId.startsWith(STORY_MODAL_PREFIX)) return undefined;
  const [aspect, scenes, style, voice] = customId.slice(STORY_MODAL_PREFIX.length).split('|');
  const parsed = modalOptions.safeParse({ aspect, scenes: scenes || undefined, style: style || undefined, voice: voice || undefined });
  return parsed.success ? parsed.data : undefined;
}
