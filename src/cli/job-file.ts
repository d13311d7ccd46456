/**
 * What the CLI keeps beside each video it writes (`video.mp4` -> `video.job.json`): the story, its
 * options, the script and the per-scene seeds, so `--redo N --from video.mp4` can make scene N
 * again with the rest of the video unchanged. No key or token is part of it.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { z } from 'zod';
import { ASPECTS, CAPTION_MODES, CAPTION_POSITIONS, MAX_SCENES, type Script, type StoryOptions } from '../core/story.js';
import type { Timeline } from '../core/timeline.js';
import { scriptSchema } from '../store/job-record.js';
import { StoryInputError } from '../engine/story-input.js';

const jobFileSchema = z.object({
  storyreel: z.literal('job'),
  version: z.literal(1),
  video: z.string(),
  story: z.string().min(1),
  options: z.object({
    aspect: z.enum(ASPECTS),
    scenes: z.number().int().min(1).max(MAX_SCENES).optional(),
    maxBytes: z.number().int().positive(),
    style: z.string().optional(),
    voice: z.string().optional(),
    voiceModel: z.string().optional(),
    seed: z.number().int().optional(),
    // A redo keeps the story's language and caption choice (absent: detected / karaoke).
    language: z.string().max(16).optional(),
    captions: z.enum(CAPTION_MODES).optional(),
    captionsPosition: z.enum(CAPTION_POSITIONS).optional(),
    // a mood, none, or the absolute path of the user's file
    music: z.string().max(4096).optional(),
    // who read the dialogue (absent: each character its voice)
    voices: z.enum(['characters', 'narrator-only']).optional(),
  }),
  script: scriptSchema,
  seeds: z.array(z.number().int()).min(1).max(MAX_SCENES),
  /** Set on a redo: the video it was made from and the scene (1-based) that changed. */
  redo: z.object({ from: z.string(), scene: z.number().int().positive() }).optional(),
  /** The Timeline the video was rendered from (core/timeline.ts), for reading; a redo rebuilds its own. */
  timeline: z.looseObject({ version: z.literal(1), duration: z.number(), scenes: z.array(z.unknown()) }).optional(),
});
export type JobFile = z.infer<typeof jobFileSchema>;

export function jobFilePathFor(video: string): string {
  return video.replace(/\.mp4$/i, '') + '.job.json';
}

/** Written next to the video, under a temporary name first, so a reader never sees half of it. */
export async function writeJobFile(
  video: string,
  job: { story: string; options: StoryOptions; script: Script; seeds: number[]; redo?: JobFile['redo']; timeline?: Timeline },
): Promise<string> {
  const path = jobFilePathFor(video);
  const body: Omit<JobFile, 'timeline'> & { timeline?: Timeline } = {
    storyreel: 'job',
    version: 1,
    video: basename(video),
    story: job.story,
    options: job.options,
    script: job.script,
    seeds: job.seeds,
    ...(job.redo ? { redo: job.redo } : {}),
    ...(job.timeline ? { timeline: { ...job.timeline } } : {}),
  };
  const temp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, JSON.stringify(body, null, 2) + '\n', 'utf8');
  await rename(temp, path);
  return path;
}

/** `from` is the earlier video (its job file beside it) or the job file itself. */
export async function readJobFile(from: string): Promise<JobFile> {
  const path = from.toLowerCase().endsWith('.json') ? from : jobFilePathFor(from);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new StoryInputError(
      code === 'ENOENT'
        ? `--from: there is no ${path} (storyreel writes it beside each video it makes; a video made before this version cannot be redone).`
        : `--from: cannot read ${path} (${code ?? 'unreadable'}).`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new StoryInputError(`--from: ${path} is not JSON.`);
  }
  const parsed = jobFileSchema.safeParse(json);
  if (!parsed.success)
    throw new StoryInputError(
      `--from: ${path} is not a storyreel job file (${parsed.error.issues[0]!.path.join('.') || 'root'}: ${parsed.error.issues[0]!.message}).`,
    );
  if (parsed.data.seeds.length !== parsed.data.script.scenes.length)
    throw new StoryInputError(`--from: ${path} has ${parsed.data.seeds.length} seeds for ${parsed.data.script.scenes.length} scenes.`);
  return parsed.data;
}
