/** A server's settings as /settings shows them: one line per concern, in the admin's language. */
import { channelMention, escapeMarkdown, roleMention } from 'discord.js';
import type { Translate } from '../i18n/translate.js';
import type { GuildSettings } from '../store/guild-settings.js';

/** The names /settings defaults uses for its options, in the order it lists them. */
export const DEFAULT_OPTION_NAMES = [
  ['style', 'style'],
  ['voice', 'voice'],
  ['language', 'language'],
  ['captions', 'captions'],
  ['aspect', 'aspect'],
  ['music', 'music'],
  ['captionsPosition', 'captions_position'],
] as const;

export function defaultsLine(settings: GuildSettings, t: Translate): string {
  const set = DEFAULT_OPTION_NAMES.filter(([key]) => settings.defaults[key] !== undefined).map(
    ([key, option]) => `${option}: \`${settings.defaults[key]}\``,
  );
  return `**${t('settings.show.defaults')}**: ${set.length ? set.join(' · ') : t('settings.show.none')}`;
}

export function limitsLine(settings: GuildSettings, t: Translate, botMaxRunning: number): string {
  const { memberDaily, cooldownMinutes, maxCharacters, maxScenes, maxRunning } = settings.limits;
  const parts = [
    memberDaily ? `${memberDaily} ${t('settings.show.memberDaily')}` : undefined,
    cooldownMinutes ? `${cooldownMinutes} ${t('settings.show.cooldownMinutes')}` : undefined,
    maxCharacters ? `${maxCharacters.toLocaleString('en-US')} ${t('settings.show.maxCharacters')}` : undefined,
    maxScenes ? `${maxScenes} ${t('settings.show.maxScenes')}` : undefined,
    `${maxRunning || botMaxRunning} ${t('settings.show.maxRunning')}`,
  ].filter((p): p is string => p !== undefined);
  return `**${t('settings.show.limits')}**: ${parts.join(' · ')}`;
}

export function channelsLine(settings: GuildSettings, t: Translate): string {
  const list = settings.channels.length ? settings.channels.map((c) => channelMention(c)).join(', ') : t('settings.show.allChannels');
  return `**${t('settings.show.channels')}**: ${list}`;
}

export function roleLine(settings: GuildSettings, t: Translate): string {
  return `**${t('settings.show.role')}**: ${settings.role ? roleMention(settings.role) : t('settings.show.none')}`;
}

/** Blocked words behind spoilers: an admin opening /settings show need not read them all. */
export function blockedWordsLine(settings: GuildSettings, t: Translate): string {
  const words = settings.blockedWords;
  // Whole spoilers only (a cut one would show the rest): as many as fit in a message with the other lines.
  const shown: string[] = [];
  let length = 0;
  for (const w of words) {
    const item = `||${escapeMarkdown(w)}||`;
    if (length + item.length + 2 > 1200) break;
    shown.push(item);
    length += item.length + 2;
  }
  const more = words.length - shown.length;
  const list = words.length ? `${shown.join(', ')}${more ? ` … (+${more})` : ''}` : t('settings.show.none');
  return `**${t('settings.show.blockedWords')}** (${words.length}): ${list}`;
}

export function settingsText(settings: GuildSettings, t: Translate, botMaxRunning: number): string {
  return [
    `### ${t('settings.show.title')}`,
    defaultsLine(settings, t),
    limitsLine(settings, t, botMaxRunning),
    channelsLine(settings, t),
    roleLine(settings, t),
    blockedWordsLine(settings, t),
  ].join('\n');
}
