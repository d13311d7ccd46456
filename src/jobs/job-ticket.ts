/**
 * What a job carries to whoever runs it (this process, or a render worker on another machine):
 * the story and its options, and where to show it. Validated when it arrives, not trusted.
 *
 * `message.interaction.token` lets its holder edit the reply for 15 minutes. In this process it is
 * kept in memory only; through Redis it travels sealed (see seal.ts), never in clear and never in
 * history.
 */
import { z } from 'zod';
import { castSchema, JOB_KINDS, scopeSchema, jobOptionsSchema, scriptSchema, seedsSchema, type JobRecord } from '../store/job-record.js';
import { JOB_ID_PATTERN } from '../core/job-id.js';

const snowflake = z.string().regex(/^\d{1,20}$/);

export const jobTicketSchema = z.object({
  id: z.string().regex(JOB_ID_PATTERN),
  kind: z.enum(JOB_KINDS),
  /** Its server, or `user:<id>`: shown through the interaction's webhook only (admission-scope.ts). */
  guildId: scopeSchema,
  channelId: snowflake,
  userId: snowflake,
  story: z.string().min(1),
  title: z.string().optional(),
  options: jobOptionsSchema,
  /** Scenes and narration to keep ("New images", a redo). */
  script: scriptSchema.optional(),
  /** A Re-run's kept cast (its parent's characters; new portrait seeds). */
  cast: castSchema.optional(),
  /** A redo's per-scene seeds: its parent's, one replaced, so every other asset is a cache hit. */
  seeds: seedsSchema.optional(),
  /** A redo's scene (0-based), to say which one changed. */
  redoScene: z.number().int().nonnegative().optional(),
  /** Its server's blocked words, checked on the written script before any image or voice (workers never read the settings). */
  blockedWords: z.array(z.string().min(1).max(100)).max(500).optional(),
  /** Times this job was taken up again after its process died. */
  attempts: z.number().int().nonnegative(),
  message: z.object({
    applicationId: snowflake,
    interaction: z.object({ token: z.string().min(1), createdAt: z.number().int() }).optional(),
    /** The reply (or channel message) to edit with the bot token once the interaction token is gone. */
    messageId: snowflake.optional(),
  }),
});
export type JobTicket = z.infer<typeof jobTicketSchema>;

/** A ticket for a job history already holds (resumed after a restart: no interaction token). */
export function ticketFromRecord(
  record: JobRecord,
  applicationId: string,
  interaction?: { token: string; createdAt: number },
  /** What the gateway adds from its server's settings, which history does not keep. */
  settings: { blockedWords?: readonly string[] } = {},
): JobTicket {
  return {
    id: record.id,
    kind: record.kind,
    guildId: record.guildId,
    channelId: record.channelId,
    userId: record.userId,
    story: record.story,
    title: record.title,
    options: record.options,
    script: record.kind === 'new-images' || record.kind === 'redo' ? record.script : undefined,
    cast: record.kind === 'rerun' ? keptCast(record.cast) : undefined,
    seeds: record.kind === 'redo' ? record.seeds : undefined,
    redoScene: record.kind === 'redo' ? record.redoScene : undefined,
    ...(settings.blockedWords?.length ? { blockedWords: [...settings.blockedWords] } : {}),
    attempts: record.attempts,
    message: { applicationId, interaction, messageId: record.messageIds.channelMessage ?? record.messageIds.original },
  };
}

/** A cast's names and descriptions (a Re-run's own progress may have drawn it already: its seeds are not kept). */
function keptCast(cast: JobRecord['cast']): JobTicket['cast'] {
  return cast?.length ? cast.map(({ name, description }) => ({ name, description })) : undefined;
}
