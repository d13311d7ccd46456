/**
 * `npm run deploy-commands`: registers every command in commands/ with Discord, to one guild
 * (DISCORD_DEV_GUILD_ID, instant: for development) or globally.
 */
import { REST, Routes } from 'discord.js';
import { loadEnvironment } from '../environment.js';
import { loadCommands } from './load-commands.js';
import { createLogger } from '../core/log.js';

export async function deployCommands(opts: {
  token: string;
  applicationId: string;
  guildId?: string;
  apiBase?: string;
}): Promise<string[]> {
  const commands = await loadCommands();
  const body = [...commands.values()].map((c) => c.data.toJSON());
  const rest = new REST(opts.apiBase ? { api: opts.apiBase } : {}).setToken(opts.token);
  const route = opts.guildId
    ? Routes.applicationGuildCommands(opts.applicationId, opts.guildId)
    : Routes.applicationCommands(opts.applicationId);
  await rest.put(route, { body });
  return body.map((c) => c.name);
}

async function main(): Promise<void> {
  const log = createLogger('deploy');
  const { config } = loadEnvironment();
  const { token, applicationId, devGuildId, apiBase } = config.discord;
  if (!token) throw new Error('DISCORD_TOKEN is not set: put the bot token in .env (see .env.example).');
  if (!applicationId) throw new Error('DISCORD_APPLICATION_ID is not set: put the application id in .env.');
  const names = await deployCommands({ token, applicationId, guildId: devGuildId, apiBase });
  log.info(
    `registered ${names.map((n) => '/' + n).join(', ')} ${devGuildId ? `in guild ${devGuildId}` : 'globally (may take up to an hour to appear)'}`,
  );
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`deploy-commands: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
