/**
 * Whose line, limits and history a job belongs to: its admission scope.
 *
 * - A server that installed the bot (Discord lists it in `authorizing_integration_owners["0"]`):
 *   the server's id. Its jobs wait in the server's line, count against its limits, and its admins
 *   see them in /history.
 * - Anywhere else the app was only installed by the member (a DM with the bot, a group DM, a
 *   server that has not added the bot): `user:<member id>`. The member gets a line and limits of
 *   their own, and /history in a DM lists them. Such a job can only be shown through its
 *   interaction's webhook (the bot may not be able to post in that channel at all).
 *
 * The scope travels as a job's `guildId` (history, tickets, the Redis line): one key everywhere,
 * so a quota keyed "by server and member" is keyed by `admissionScopeOf(interaction)` and the user.
 */

export const USER_SCOPE_PREFIX = 'user:';
/** A scope as stored: a server's snowflake, or `user:<snowflake>`. */
export const SCOPE_PATTERN = /^(?:user:)?\d{1,20}$/;

/** What an interaction tells about where it happened (discord.js BaseInteraction has all of these). */
export interface ScopeSource {
  guildId: string | null;
  user: { id: string };
  /** discord.js: `interaction.authorizingIntegrationOwners` (keys '0' guild install, '1' user install). */
  authorizingIntegrationOwners?: { guildId?: string | null } | null;
}

export function userScope(userId: string): string {
  return `${USER_SCOPE_PREFIX}${userId}`;
}

export function isUserScope(scope: string): boolean {
  return scope.startsWith(USER_SCOPE_PREFIX);
}

/** True when the bot itself is installed where this interaction happened (a server that added it). */
export function botInstalledHere(interaction: ScopeSource): boolean {
  const owner = interaction.authorizingIntegrationOwners?.guildId;
  return !!interaction.guildId && owner === interaction.guildId;
}

/** The scope a job started from this interaction is admitted, limited and listed under. */
export function admissionScopeOf(interaction: ScopeSource): string {
  return botInstalledHere(interaction) ? interaction.guildId! : userScope(interaction.user.id);
}
