/**
 * Where the app's commands can be used (issue 23, item 5): installed by a server or by a member
 * (`integration_types` 0 and 1), in servers, in the member's DM with the bot and in group DMs
 * (`contexts` 0, 1 and 2). Outside a server that installed the bot, a job belongs to the member's
 * own scope (core/admission-scope.ts) and is shown through its interaction's webhook only.
 */
import { ApplicationIntegrationType, InteractionContextType } from 'discord.js';

export const ANYWHERE_INSTALLS = [ApplicationIntegrationType.GuildInstall, ApplicationIntegrationType.UserInstall] as const;
export const ANYWHERE_CONTEXTS = [
  InteractionContextType.Guild,
  InteractionContextType.BotDM,
  InteractionContextType.PrivateChannel,
] as const;
