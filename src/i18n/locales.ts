/**
 * The languages the bot answers in, and how a Discord locale ("es-419", "zh-TW", "en-GB") maps to
 * one of them. Every language has one message file in ./locales/, with exactly en.json's keys.
 */
import type { Locale } from 'discord.js';

/** Our message files, named by Discord's locale codes where Discord has the language. */
export const REPLY_LOCALES = ['en', 'es', 'fr', 'de', 'it', 'pt-BR', 'nl', 'pl', 'tr', 'ru', 'ja', 'ko', 'zh-CN'] as const;
export type ReplyLocale = (typeof REPLY_LOCALES)[number];

/** Discord locales (https://discord.com/developers/docs/reference#locales) whose language has one of our files. */
const DISCORD_TO_REPLY: Record<string, ReplyLocale> = {
  'en-US': 'en',
  'en-GB': 'en',
  'es-ES': 'es',
  'es-419': 'es',
  fr: 'fr',
  de: 'de',
  it: 'it',
  'pt-BR': 'pt-BR',
  nl: 'nl',
  pl: 'pl',
  tr: 'tr',
  ru: 'ru',
  ja: 'ja',
  ko: 'ko',
  'zh-CN': 'zh-CN',
};

/** Our language for a Discord locale, or undefined when we have no file for it. */
export function replyLocaleOf(discordLocale: string | null | undefined): ReplyLocale | undefined {
  if (!discordLocale) return undefined;
  if (Object.hasOwn(DISCORD_TO_REPLY, discordLocale)) return DISCORD_TO_REPLY[discordLocale];
  return (REPLY_LOCALES as readonly string[]).includes(discordLocale) ? (discordLocale as ReplyLocale) : undefined;
}

/** The member's language, else the server's, else English. */
export function pickReplyLocale(member: string | null | undefined, guild?: string | null): ReplyLocale {
  return replyLocaleOf(member) ?? replyLocaleOf(guild) ?? 'en';
}

/** The Discord locales each of our languages is shown for (for name_localizations / description_localizations). */
export function discordLocalesOf(locale: ReplyLocale): Locale[] {
  return Object.entries(DISCORD_TO_REPLY)
    .filter(([, ours]) => ours === locale)
    .map(([discord]) => discord as Locale);
}
