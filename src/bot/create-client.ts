/**
 * The discord.js client, pointed at another Discord-compatible REST base when configured, with the
 * bot's REST options (discordRestOptions: the global limit, shared by every process through Redis).
 */
import { Client, GatewayIntentBits, Partials, type RESTOptions } from 'discord.js';
import { clearForeignShardVariables } from './shard-environment.js';

export function createClient(apiBase?: string, rest: Partial<RESTOptions> = {}): Client {
  // The Client reads SHARDS & co. itself: only the ShardingManager's values may reach it.
  clearForeignShardVariables();
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    partials: [Partials.Channel],
    // Nobody is ever pinged by what the bot posts (titles come from user input).
    allowedMentions: { parse: [] },
    rest: { ...(apiBase ? { api: apiBase } : {}), ...rest },
  });
}
