/** Builders for the Discord API objects the fake sends and returns (API v10 shapes). */
import { snowflake } from './snowflakes.js';

export interface FakeUser {
  id: string;
  username: string;
  bot?: boolean;
}

export function apiUser(user: FakeUser) {
  return { id: user.id, username: user.username, discriminator: '0', global_name: user.username, avatar: null, bot: user.bot ?? false };
}

export interface StoredMessage {
  id: string;
  channel_id: string;
  content: string;
  embeds: unknown[];
  components: unknown[];
  attachments: { id: string; filename: string; size: number; url: string; proxy_url: string; content_type?: string }[];
  flags: number;
  /** Bytes of the files uploaded with the last write, by filename. */
  files: { name: string; bytes: Buffer }[];
  deleted?: boolean;
  webhook_id?: string;
}

export function apiMessage(m: StoredMessage, author: FakeUser, applicationId: string) {
  return {
    id: m.id,
    channel_id: m.channel_id,
    author: apiUser(author),
    content: m.content,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: m.attachments,
    embeds: m.embeds,
    components: m.components,
    pinned: false,
    type: 0,
    flags: m.flags,
    application_id: applicationId,
    ...(m.webhook_id ? { webhook_id: m.webhook_id } : {}),
  };
}

export function apiChannel(id: string, guildId: string, nsfw = false) {
  return {
    id,
    type: 0,
    guild_id: guildId,
    name: `channel-${id.slice(-4)}`,
    position: 0,
    permission_overwrites: [],
    nsfw,
    parent_id: null,
    topic: null,
    last_message_id: null,
    rate_limit_per_user: 0,
  };
}

export function apiGuild(guild: { id: string; name: string; nsfwChannels?: string[] }, channels: string[]) {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    owner_id: snowflake(),
    unavailable: false,
    member_count: 2,
    joined_at: new Date().toISOString(),
    large: false,
    features: [],
    roles: [
      {
        id: guild.id,
        name: '@everyone',
        permissions: '1024',
        position: 0,
        color: 0,
        hoist: false,
        managed: false,
        mentionable: false,
        flags: 0,
      },
    ],
    emojis: [],
    stickers: [],
    channels: channels.map((c) => apiChannel(c, guild.id, guild.nsfwChannels?.includes(c))),
    threads: [],
    members: [],
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
    premium_tier: 0,
    preferred_locale: 'en-US',
    system_channel_flags: 0,
    nsfw_level: 0,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
  };
}

/** Permissions a member has: View Channel, Send Messages, Embed Links, Attach Files by default. */
export const PERMISSIONS = {
  basic: String((1n << 10n) | (1n << 11n) | (1n << 14n) | (1n << 15n)),
  manageMessages: String((1n << 10n) | (1n << 11n) | (1n << 13n) | (1n << 14n) | (1n << 15n)),
  manageGuild: String((1n << 5n) | (1n << 10n) | (1n << 11n) | (1n << 13n) | (1n << 14n) | (1n << 15n)),
};

/** What an app installed by the member alone may do in a conversation (Attach Files, Embed Links, Mention Everyone, External Emojis). */
export const USER_INSTALL_APP_PERMISSIONS = String((1n << 15n) | (1n << 14n) | (1n << 17n) | (1n << 18n));

export interface InteractionBase {
  /** The server; ignored outside one (context 1 or 2). */
  guildId: string;
  channelId: string;
  user: FakeUser;
  memberPermissions?: string;
  attachmentSizeLimit?: number;
  /** The member's role ids. */
  memberRoles?: string[];
  /** More fields of the interaction's payload, e.g. { locale: 'de', guild_locale: 'fr' }. */
  extra?: Record<string, unknown>;
  /** Where it happens: 0 a server (default), 1 the member's DM with the bot, 2 a group DM. */
  context?: 0 | 1 | 2;
  /** Only the member installed the app (authorizing_integration_owners {'1': user}); always so in context 1 and 2. */
  userInstall?: boolean;
  /** The channel is age-restricted (channel.nsfw). */
  nsfw?: boolean;
  /** When Discord created the interaction (its id's timestamp, what discord.js reads as createdTimestamp); default now. */
  sentAt?: number;
}

/** A member's own install: a DM, a group DM, or a server that has not added the bot. */
export const isUserInstall = (base: InteractionBase): boolean => !!base.userInstall || (base.context ?? 0) !== 0;

/** Where an interaction happens, as Discord describes it: server, channel, member or user, installs, app permissions. */
function placeOf(base: InteractionBase) {
  const context = base.context ?? 0;
  const owners = isUserInstall(base) ? { '1': base.user.id } : { '0': base.guildId };
  const appPermissions = isUserInstall(base) ? USER_INSTALL_APP_PERMISSIONS : PERMISSIONS.manageMessages;
  if (context !== 0) {
    const recipients = [apiUser(base.user)];
    const channel =
      context === 1
        ? { id: base.channelId, type: 1, recipients, flags: 0 }
        : { id: base.channelId, type: 3, name: 'story friends', recipients, owner_id: base.user.id, icon: null, flags: 0 };
    return {
      channel_id: base.channelId,
      channel,
      user: apiUser(base.user),
      authorizing_integration_owners: owners,
      app_permissions: appPermissions,
    };
  }
  return {
    guild_id: base.guildId,
    channel_id: base.channelId,
    channel: { id: base.channelId, type: 0, guild_id: base.guildId, name: 'story-time', nsfw: base.nsfw ?? false },
    guild: { id: base.guildId, locale: 'en-US', features: [] },
    guild_locale: 'en-US',
    member: {
      user: apiUser(base.user),
      roles: base.memberRoles ?? [],
      permissions: base.memberPermissions ?? PERMISSIONS.basic,
      joined_at: new Date().toISOString(),
      deaf: false,
      mute: false,
      flags: 0,
    },
    authorizing_integration_owners: owners,
    app_permissions: appPermissions,
  };
}

export function interactionEnvelope(
  base: InteractionBase,
  applicationId: string,
  type: number,
  data: unknown,
  extra: Record<string, unknown> = {},
) {
  const id = snowflake(base.sentAt);
  const token = `itok_${id}_${Math.random().toString(36).slice(2)}`;
  return {
    id,
    token,
    payload: {
      id,
      application_id: applicationId,
      type,
      token,
      version: 1,
      data,
      ...placeOf(base),
      locale: 'en-US',
      entitlements: [],
      context: base.context ?? 0,
      attachment_size_limit: base.attachmentSizeLimit ?? 10 * 1024 * 1024,
      ...base.extra,
      ...extra,
    },
  };
}
