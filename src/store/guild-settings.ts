/**
 * A server's settings (/settings, issue 23): defaults for /story, limits, where /story may be used,
 * the role it needs, blocked words. One JSON document a server in SQLite (guild_settings), checked
 * against the schema on every read and every write: a row this version cannot read is an error
 * naming the server, never silently "no limits" (a server that blocked words keeps them blocked).
 *
 * Only the gateway reads this: render workers get what they need in the job's ticket.
 */
import { z } from 'zod';
import { ASPECTS, CAPTION_MODES, CAPTION_POSITIONS, MAX_SCENES, MAX_STORY_CHARS } from '../core/story.js';
import { STYLE_NAMES } from '../core/image-prompt.js';
import { normalizeLanguage } from '../core/language.js';
import { VOICE_PRESET_NAMES } from '../providers/voice-presets.js';
import { MUSIC_CHOICES } from '../media/music-recipes.js';
import { openDatabase, type Db } from './open-database.js';

const snowflake = z.string().regex(/^\d{1,20}$/);

/** Most channels a server may list, blocked words it may keep, and the longest blocked word. */
export const MAX_ALLOWED_CHANNELS = 50;
export const MAX_BLOCKED_WORDS = 200;
export const MAX_BLOCKED_WORD_LENGTH = 50;
/** Bounds of the per-member limits (a day has 1440 minutes). */
export const MAX_MEMBER_DAILY = 1000;
export const MAX_COOLDOWN_MINUTES = 1440;

export const guildDefaultsSchema = z.object({
  style: z.enum(STYLE_NAMES as [string, ...string[]]).optional(),
  voice: z.enum(VOICE_PRESET_NAMES as [string, ...string[]]).optional(),
  language: z
    .string()
    .refine((v) => normalizeLanguage(v) === v, 'a language code like en or pt-BR')
    .optional(),
  captions: z.enum(CAPTION_MODES).optional(),
  aspect: z.enum(ASPECTS).optional(),
  music: z.enum(MUSIC_CHOICES).optional(),
  captionsPosition: z.enum(CAPTION_POSITIONS).optional(),
});

const count = (max: number) => z.number().int().min(0).max(max).optional();

/** 0 or absent: no limit. */
export const guildLimitsSchema = z.object({
  memberDaily: count(MAX_MEMBER_DAILY),
  cooldownMinutes: count(MAX_COOLDOWN_MINUTES),
  maxCharacters: count(MAX_STORY_CHARS),
  maxScenes: count(MAX_SCENES),
  /** At most the bot's MAX_JOBS_PER_GUILD (checked by /settings, which knows it). */
  maxRunning: count(20),
});

export const guildSettingsSchema = z.object({
  defaults: guildDefaultsSchema.default({}),
  limits: guildLimitsSchema.default({}),
  /** Channels where /story may be used; empty: all. */
  channels: z.array(snowflake).max(MAX_ALLOWED_CHANNELS).default([]),
  /** The role a member needs for /story; absent: none. */
  role: snowflake.optional(),
  blockedWords: z.array(z.string().min(1).max(MAX_BLOCKED_WORD_LENGTH)).max(MAX_BLOCKED_WORDS).default([]),
});

export type GuildDefaults = z.infer<typeof guildDefaultsSchema>;
export type GuildLimitSettings = z.infer<typeof guildLimitsSchema>;
export type GuildSettings = z.infer<typeof guildSettingsSchema>;

/** A server that never used /settings. */
export const DEFAULT_GUILD_SETTINGS: GuildSettings = Object.freeze({ defaults: {}, limits: {}, channels: [], blockedWords: [] });

export class GuildSettingsError extends Error {
  override readonly name = 'GuildSettingsError';
}

/** What admission needs: one server's settings. */
export interface GuildSettingsSource {
  get(guildId: string): GuildSettings;
}

function parse(value: unknown, what: string): GuildSettings {
  const parsed = guildSettingsSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length ? ` ${issue.path.join('.')}` : '';
  throw new GuildSettingsError(`Invalid settings ${what}${where}: ${issue.message}`);
}

export class GuildSettingsStore implements GuildSettingsSource {
  private readonly db: Db;
  private readonly locked: <T>(fn: () => T) => T;

  constructor(
    path: string,
    private readonly now: () => number = Date.now,
  ) {
    this.db = openDatabase(path);
    const tx = this.db.transaction((fn: () => unknown) => fn());
    this.locked = <T>(fn: () => T) => tx.immediate(fn) as T;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** The server's settings (the defaults when it has none); GuildSettingsError when its row cannot be read. */
  get(guildId: string): GuildSettings {
    const row = this.db.prepare('SELECT settings FROM guild_settings WHERE guild_id = ?').get(guildId) as { settings: string } | undefined;
    if (!row) return structuredClone(DEFAULT_GUILD_SETTINGS);
    let json: unknown;
    try {
      json = JSON.parse(row.settings);
    } catch {
      throw new GuildSettingsError(`The settings of server ${guildId} are not readable JSON.`);
    }
    return parse(json, `of server ${guildId}`);
  }

  /**
   * Change one server's settings: read, change, check, write, in one IMMEDIATE transaction (two
   * admins at once do not lose each other's change). An unreadable row starts again from the defaults.
   */
  update(guildId: string, change: (current: GuildSettings) => GuildSettings): GuildSettings {
    return this.locked(() => {
      let current: GuildSettings;
      try {
        current = this.get(guildId);
      } catch (error) {
        if (!(error instanceof GuildSettingsError)) throw error;
        current = structuredClone(DEFAULT_GUILD_SETTINGS);
      }
      const next = parse(change(structuredClone(current)), 'to save');
      this.db
        .prepare(
          `INSERT INTO guild_settings (guild_id, settings, updated_at) VALUES (?, ?, ?)
           ON CONFLICT (guild_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
        )
        .run(guildId, JSON.stringify(next), this.now());
      return next;
    });
  }
}
