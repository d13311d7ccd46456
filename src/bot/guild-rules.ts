/**
 * A server's /settings as /story meets them: its defaults filled in where the member named no
 * option (a member's explicit option wins), and the rules a new job must pass before anything is
 * admitted or any provider is called: where /story may be used, the role it needs, how long a
 * story and how many scenes, blocked words. Each refusal is one sentence in the member's language.
 *
 * Per-member daily stories, cooldowns and running jobs are counted at admission by the transport;
 * `guildLimits` is what it gets from the settings.
 */
import { channelMention, roleMention, type GuildMemberRoleManager } from 'discord.js';
import { findBlockedWord } from '../core/blocked-words.js';
import type { Translate } from '../i18n/translate.js';
import type { GuildDefaults, GuildSettings } from '../store/guild-settings.js';
import { autoSceneCount, splitSentences } from '../providers/writers/split-story.js';
import type { OptionsInput, StoryRequest } from './story-request.js';

/** The limits counted at admission (0: none): stories a member may start a day, minutes between them, jobs running at once. */
export interface GuildAdmissionLimits {
  memberDaily: number;
  cooldownMinutes: number;
  maxRunning: number;
}

export function guildLimits(settings: Pick<GuildSettings, 'limits'>): GuildAdmissionLimits {
  const { memberDaily = 0, cooldownMinutes = 0, maxRunning = 0 } = settings.limits;
  return { memberDaily, cooldownMinutes, maxRunning };
}

const DEFAULTED_OPTIONS = [
  'style',
  'voice',
  'language',
  'captions',
  'aspect',
  'music',
  'captionsPosition',
] as const satisfies readonly (keyof GuildDefaults & keyof OptionsInput)[];

/** /story's options with the server's defaults where the member gave none. */
export function withServerDefaults<T extends OptionsInput>(input: T, defaults: GuildDefaults): T {
  const out: T = { ...input };
  for (const key of DEFAULTED_OPTIONS) {
    if ((out[key] === null || out[key] === undefined) && defaults[key] !== undefined) out[key] = defaults[key];
  }
  return out;
}

/** Where a job comes from, as far as the rules care. */
export interface RuleContext {
  channelId: string;
  /** The thread's channel when /story is used in a thread: allowing a channel allows its threads. */
  parentId?: string | null;
  /** The member's roles: a list (a raw member) or discord.js's role manager. */
  roles?: string[] | GuildMemberRoleManager;
}

function hasRole(roles: RuleContext['roles'], id: string): boolean {
  if (!roles) return false;
  return Array.isArray(roles) ? roles.includes(id) : roles.cache.has(id);
}

const characters = (text: string) => Array.from(text).length;

/** The scenes a story will get when the member asks for no number: what the offline writer would cut. */
export function expectedScenes(story: string): number {
  const sentences = splitSentences(story);
  return autoSceneCount(
    sentences.reduce((s, x) => s + x.weight, 0),
    Math.max(1, sentences.length),
  );
}

/** Why /story may not be used here or by this member (before its form is even shown), or undefined. */
export function refusalOfPlaceOrMember(settings: GuildSettings, where: RuleContext, t: Translate): string | undefined {
  const { channels, role } = settings;
  if (channels.length > 0 && !channels.includes(where.channelId) && !(where.parentId && channels.includes(where.parentId))) {
    return t('settings.refuse.channel', { channels: channels.map((c) => channelMention(c)).join(', ') });
  }
  if (role && !hasRole(where.roles, role)) return t('settings.refuse.role', { role: roleMention(role) });
  return undefined;
}

/** Where and who an interaction is, for the rules: a thread counts as its channel too. */
export function ruleContextOf(interaction: {
  channelId: string | null;
  channel: { isThread(): boolean; parentId?: string | null } | null;
  member: { roles: string[] | GuildMemberRoleManager } | null;
}): RuleContext {
  const { channel } = interaction;
  return {
    channelId: interaction.channelId ?? '',
    parentId: channel?.isThread() ? channel.parentId : undefined,
    roles: interaction.member?.roles,
  };
}

/**
 * Why this server refuses the job (one sentence), or undefined when it may go ahead. Checked in the
 * order a member can act on: where, who, then the story itself.
 */
export function refusalByGuildRules(settings: GuildSettings, where: RuleContext, request: StoryRequest, t: Translate): string | undefined {
  const { limits, blockedWords } = settings;
  const whereOrWho = refusalOfPlaceOrMember(settings, where, t);
  if (whereOrWho) return whereOrWho;
  const length = characters(request.story);
  if (limits.maxCharacters && length > limits.maxCharacters) {
    return t('settings.refuse.maxCharacters', {
      length: length.toLocaleString('en-US'),
      max: limits.maxCharacters.toLocaleString('en-US'),
    });
  }
  if (limits.maxScenes && request.scenes !== undefined && request.scenes > limits.maxScenes) {
    return t('settings.refuse.maxScenes', { scenes: request.scenes, max: limits.maxScenes });
  }
  const word = findBlockedWord(request.story, blockedWords);
  if (word !== undefined) return t('settings.refuse.blockedWord', { word });
  return undefined;
}

/**
 * The request as the job will run it: with no scene count asked for and a server maximum, the count
 * is fixed here (what the offline writer would cut, at most the maximum), since a writer left to
 * choose may choose more.
 */
export function withinSceneLimit(settings: GuildSettings, request: StoryRequest): StoryRequest {
  const max = settings.limits.maxScenes;
  if (!max || request.scenes !== undefined) return request;
  return { ...request, scenes: Math.min(expectedScenes(request.story), max) };
}
