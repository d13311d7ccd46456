/**
 * `npm run deploy-commands`: registers every command in commands/ with Discord, to one guild
 * (DISCORD_DEV_GUILD_ID, instant: for development) or globally. The application id comes from
 * DISCORD_APPLICATION_ID or, when empty, from the token (as `npm start` does). Exit codes as the
 * bot's: 0 registered, 1 Discord out of reach, 2 configuration (one line says what).
 */
import dotenv from 'dotenv';
import { DiscordAPIError, REST, Routes } from 'discord.js';
import { ConfigError, loadConfig, secretsOf } from '../config.js';
import { dropEmptyVariables } from '../environment.js';
import { loadCommands } from './load-commands.js';
import { createLogger, registerSecrets } from '../core/log.js';
import { exitOnStartError } from '../process-lifecycle.js';
import { applicationIdFromToken, DiscordUnreachableError, networkCause } from './login.js';

export async function deployCommands(opts: {
  token: string;
  applicationId: string;
  guildId?: string;
  apiBase?: string;
}): Promise<string[]> {
  const commands = await loadCommands();
  // Where a command may be used (user installs, DMs) is a global command's matter: a guild
  // command lives in its one server, and libraries refuse to send these fields for one.
  const body = [...commands.values()].map((c) => {
    const json = c.data.toJSON();
    if (!opts.guildId) return json;
    const {
      integration_types: _types,
      contexts: _contexts,
      ...inGuild
    } = json as typeof json & { integration_types?: unknown; contexts?: unknown };
    return inGuild;
  });
  const rest = new REST(opts.apiBase ? { api: opts.apiBase } : {}).setToken(opts.token);
  const route = opts.guildId
    ? Routes.applicationGuildCommands(opts.applicationId, opts.guildId)
    : Routes.applicationCommands(opts.applicationId);
  await rest.put(route, { body });
  return body.map((c) => c.name);
}

/** One line per way registering can fail: a rejected token or id (exit 2), Discord out of reach (exit 1). */
function explain(error: unknown, apiBase: string): Error {
  if (error instanceof DiscordAPIError && error.status === 401)
    return new ConfigError('Discord rejected the bot token (DISCORD_TOKEN): copy it again from the Developer Portal (Bot -> Reset Token).');
  if (error instanceof DiscordAPIError && (error.status === 403 || error.status === 404))
    return new ConfigError(
      `Discord refused to register the commands (${error.status}: ${error.message}): check DISCORD_APPLICATION_ID and DISCORD_DEV_GUILD_ID (the bot must be in that server).`,
    );
  const cause = networkCause(error);
  if (cause) return new DiscordUnreachableError(`Cannot reach Discord at ${apiBase} (${cause}): check the network, then try again.`);
  return error as Error;
}

async function main(): Promise<void> {
  const log = createLogger('deploy');
  // The configuration as `npm start` reads it; ffmpeg is not needed to register commands.
  dotenv.config({ quiet: true });
  dropEmptyVariables(process.env);
  const config = loadConfig(process.env);
  registerSecrets(secretsOf(config));
  const { token, devGuildId, apiBase } = config.discord;
  if (!token) throw new ConfigError('DISCORD_TOKEN is not set: put the bot token in .env (see .env.example).');
  const applicationId = config.discord.applicationId ?? applicationIdFromToken(token);
  if (!applicationId)
    throw new ConfigError('DISCORD_APPLICATION_ID is not set and the token does not carry it: put the application id in .env.');
  const names = await deployCommands({ token, applicationId, guildId: devGuildId, apiBase }).catch((error: unknown) => {
    throw explain(error, apiBase ?? 'https://discord.com/api');
  });
  log.info(
    `registered ${names.map((n) => '/' + n).join(', ')} ${devGuildId ? `in guild ${devGuildId}` : 'globally (may take up to an hour to appear)'}`,
  );
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  main().catch(exitOnStartError(createLogger('deploy')));
}
