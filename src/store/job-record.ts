/**
 * A job as history keeps it: its types, the checks a new job passes before it is written, the
 * checks its JSON columns pass when read back, and which status may follow which.
 *
 * No credential is ever part of a job. The bot token obviously not; the interaction token
 * (15 minutes, but it lets anyone holding it edit and post as the bot in that conversation)
 * is not stored either, nor its expiry, which is useless without it: while the process lives it
 * keeps the interaction in memory, and after a restart it posts in the channel with its own
 * token and records that message's id (`messageIds.channelMessage`). `newJobSchema` is strict,
 * so an input with an extra field (say `interactionToken`) is refused rather than dropped.
 */
import { MUSIC_CHOICES } from '../media/music-recipes.js';
import { z } from 'zod';
import { ASPECTS, CAPTION_MODES, CAPTION_POSITIONS, MAX_CAST, MAX_SCENES, MAX_STORY_CHARS } from '../core/story.js';
import { JOB_ID_PATTERN } from '../core/job-id.js';
import { REPLY_LOCALES } from '../i18n/locales.js';
import { SCOPE_PATTERN } from '../core/admission-scope.js';

export const JOB_STATUSES = ['queued', 'running', 'done', 'failed', 'cancelled', 'interrupted'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const JOB_KINDS = ['story', 'rerun', 'new-images', 'redo'] as const;
export type JobKind = (typeof JOB_KINDS)[number];
export type EndStatus = Extract<JobStatus, 'done' | 'failed' | 'cancelled' | 'interrupted'>;

/** Which status may follow which. Nothing leaves done, failed or cancelled. */
export const TRANSITIONS: Readonly<Record<JobStatus, readonly JobStatus[]>> = {
  queued: ['running', 'failed', 'cancelled', 'interrupted'],
  // back to queued: resumed after a restart
  running: ['done', 'failed', 'cancelled', 'interrupted', 'queued'],
  interrupted: ['queued'],
  done: [],
  failed: [],
  cancelled: [],
};

export function canTransition(from: JobStatus, to: JobStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/**
 * A bound on what is stored, in characters (code points), twice the engine's limit: a story
 * over MAX_STORY_CHARS is still recorded, and its job fails with the engine's clear message.
 */
export const MAX_STORED_STORY_CHARS = 2 * MAX_STORY_CHARS;

/**
 * SQLite stores text as UTF-8, where an unpaired surrogate has no encoding (the driver turns one
 * into three U+FFFD). Replace each with one U+FFFD up front, as String#toWellFormed does.
 */
export function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** Composed prompts stay under 1,800 URL-encoded characters (engine/styles.ts); this only bounds a row. */
export const MAX_STORED_PROMPT_CHARS = 4_000;

const snowflake = z.string().regex(/^\d{1,20}$/, 'must be a Discord snowflake');
const text = z.string().transform(wellFormed);
/** A job's `guildId`: its server, or `user:<id>` for a member's own scope (core/admission-scope.ts). */
export const scopeSchema = z.string().regex(SCOPE_PATTERN, 'must be a Discord snowflake or user:<snowflake>');

export const jobOptionsSchema = z.object({
  aspect: z.enum(ASPECTS),
  scenes: z.number().int().min(1).max(MAX_SCENES).optional(),
  style: z.string().max(100).optional(),
  voice: z.string().max(100).optional(),
  maxBytes: z.number().int().positive(),
  /** Base image seed: scene i uses seed + i, so a resumed job asks for (and finds in the cache) the same images. */
  seed: z.number().int().nonnegative(),
  /** The language the user chose (BCP-47 primary subtag); absent: detected from the story. */
  language: z.string().max(16).optional(),
  /** The user's Discord locale, normalized: a hint for short or ambiguous stories. */
  languageHint: z.string().max(16).optional(),
  captions: z.enum(CAPTION_MODES).optional(),
  captionsPosition: z.enum(CAPTION_POSITIONS).optional(),
  /** The music bed the user chose (a mood or none); absent: DEFAULT_MUSIC. */
  music: z.enum(MUSIC_CHOICES).optional(),
  /**
   * The language the job's message speaks (the member's Discord locale, else the server's, else
   * English): kept so a resumed job and a Re-run keep it; one the bot has no messages for reads 'en'.
   */
  locale: z.enum(REPLY_LOCALES).optional().catch('en'),
  /** Pollinations' safe filter for this job's images: false only in an age-restricted channel with ALLOW_NSFW_IN_AGE_RESTRICTED. */
  safeImages: z.boolean().optional(),
});
export type JobOptions = z.infer<typeof jobOptionsSchema>;

export const seedsSchema = z.array(z.number().int()).max(MAX_SCENES);

/** The most characters a script lists (writers/parse-scenes.ts MAX_CAST_LISTED). */
const MAX_LISTED_CAST = 8;

/** The scenes as written, so "New images" can keep scenes and narration, and a redo its cast's portraits. */
export const scriptSchema = z.object({
  title: z.string(),
  /** The story's own title line (a title card), when it opened with one. */
  titleCard: z.string().optional(),
  writer: z.string(),
  visualBrief: z.string().optional(),
  /** The recurring characters and the story-wide look (issue 21); absent in older rows. */
  cast: z
    .array(z.object({ name: z.string(), description: z.string(), seed: z.number().int().optional() }))
    .max(MAX_LISTED_CAST)
    .optional(),
  look: z.string().optional(),
  fallbackReason: z.string().optional(),
  scenes: z
    .array(z.object({ index: z.number().int().nonnegative(), narration: z.string(), imagePrompt: z.string() }))
    .min(1)
    .max(MAX_SCENES),
});
export type JobScript = z.infer<typeof scriptSchema>;

const assetOutcome = {
  provider: z.string(),
  cacheKey: z.string(),
  cached: z.boolean(),
  /** True when a stand-in provider made it. */
  fallback: z.boolean(),
  error: z.string().optional(),
};

/** What each scene used: the engine's SceneOutcome. */
export const sceneResultSchema = z.object({
  index: z.number().int().nonnegative(),
  seed: z.number().int(),
  /** The image prompt as sent; absent in rows written before it was kept. */
  prompt: z.string().max(MAX_STORED_PROMPT_CHARS).transform(wellFormed).optional(),
  seconds: z.number().nonnegative(),
  narrationSeconds: z.number().nonnegative(),
  image: z.object(assetOutcome),
  voice: z.object({ ...assetOutcome, silent: z.boolean(), voice: z.string().optional() }),
});
export type SceneResult = z.infer<typeof sceneResultSchema>;
export const sceneResultsSchema = z.array(sceneResultSchema).max(MAX_SCENES);

/** The cast as drawn: each main character's portrait seed and URL (when the image service took references). */
export const castSchema = z
  .array(
    z.object({
      name: z.string(),
      description: z.string(),
      seed: z.number().int().optional(),
      url: z
        .string()
        .max(MAX_STORED_PROMPT_CHARS * 3)
        .optional(),
      error: z.string().optional(),
    }),
  )
  .max(MAX_CAST);
export type JobCast = z.infer<typeof castSchema>;

export const timingsSchema = z.object({
  queuedAt: z.number().int(),
  startedAt: z.number().int().optional(),
  finishedAt: z.number().int().optional(),
  /** The engine's own timings (scriptMs, muxMs, totalMs, ...). */
  engine: z.record(z.string(), z.number()).optional(),
});
export type JobTimings = z.infer<typeof timingsSchema>;

export const resultSchema = z.object({
  durationSeconds: z.number().nonnegative(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  sizeBytes: z.number().int().nonnegative(),
  scenes: z.number().int().nonnegative(),
  fallbackScenes: z.array(z.number().int().nonnegative()),
  providers: z.object({ writer: z.string(), image: z.string(), voice: z.string() }),
  /** The story's language and the voice id of each scene (absent in jobs made before languages). */
  language: z.string().max(16).optional(),
  voices: z.array(z.string()).max(MAX_SCENES).optional(),
  voiceNote: z.string().optional(),
  /** The video's caption cues (absent in jobs made before subtitle files): the .srt the bot sends. */
  captions: z
    .array(
      z.object({
        text: z.string(),
        start: z.number(),
        end: z.number(),
        words: z.array(z.object({ text: z.string(), start: z.number(), end: z.number() })).optional(),
      }),
    )
    .max(5000)
    .optional(),
});
export type JobResult = z.infer<typeof resultSchema>;

export const messageIdsSchema = z.object({
  /** The interaction's reply (edited through the interaction token while it lives). */
  original: snowflake.optional(),
  /** The message carrying the video, when it is not the original (e.g. a follow-up). */
  result: snowflake.optional(),
  /** A message the bot posted itself (token expired, or the job resumed after a restart). */
  channelMessage: snowflake.optional(),
});
export type JobMessageIds = z.infer<typeof messageIdsSchema>;

/** What a new job starts with; history fills in the rest. */
export const newJobSchema = z
  .strictObject({
    kind: z.enum(JOB_KINDS),
    parentJobId: z.string().regex(JOB_ID_PATTERN, 'must be a job id').optional(),
    guildId: scopeSchema,
    channelId: snowflake,
    userId: snowflake,
    story: z
      .string()
      .max(MAX_STORED_STORY_CHARS)
      .transform(wellFormed)
      .refine((s) => s.trim().length > 0, 'must not be empty'),
    title: text.optional(),
    options: jobOptionsSchema,
    seeds: seedsSchema.optional(),
    script: scriptSchema.optional(),
    /** A Re-run's kept cast: its parent's characters, drawn again with new seeds. */
    cast: castSchema.optional(),
    /** A redo's scene (0-based): its parent's video with this scene made again. */
    redoScene: z
      .number()
      .int()
      .min(0)
      .max(MAX_SCENES - 1)
      .optional(),
  })
  .refine((job) => (job.kind === 'redo') === (job.redoScene !== undefined), {
    message: 'a redo, and only a redo, names its scene',
    path: ['redoScene'],
  })
  .refine(
    (job) =>
      job.kind !== 'redo' || (job.parentJobId !== undefined && job.script !== undefined && job.seeds?.length === job.script.scenes.length),
    {
      message: 'a redo needs its parent, script and one seed per scene',
      path: ['kind'],
    },
  );
export type NewJob = z.input<typeof newJobSchema>;

/** What a running job learns along the way (kept so a re-run or "New images" can reuse it). */
export const progressSchema = z.strictObject({
  title: text.optional(),
  seeds: seedsSchema.optional(),
  script: scriptSchema.optional(),
  sceneResults: sceneResultsSchema.optional(),
  cast: castSchema.optional(),
});
export type JobProgress = z.input<typeof progressSchema>;

export interface JobRecord {
  id: string;
  kind: JobKind;
  parentJobId?: string;
  /** For a redo: the scene (0-based) made again. */
  redoScene?: number;
  /** Its server, or `user:<id>` when the member's own install ran it (core/admission-scope.ts). */
  guildId: string;
  channelId: string;
  userId: string;
  story: string;
  title?: string;
  options: JobOptions;
  seeds?: number[];
  script?: JobScript;
  sceneResults?: SceneResult[];
  /** The story's main characters as drawn (issue 21); absent in older rows and offline jobs without one. */
  cast?: JobCast;
  status: JobStatus;
  /** Why it failed, was cancelled or interrupted: one line. */
  error?: string;
  timings: JobTimings;
  result?: JobResult;
  messageIds: JobMessageIds;
  /** How many times it was resumed after a restart. */
  attempts: number;
  createdAt: number;
  updatedAt: number;
}
