/** The discord.js client, pointed at another Discord-compatible REST base when configured. */
import { Client, GatewayIntentBits, Partials } from 'discord.js';
import { clearForeignShardVariables } from './shard-environment.js';

export function createClient(apiBase?: string): Client {
  // The Client reads SHARDS & co. itself: only the ShardingManager's values may reach it.
  clearForeignShardVariables();
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    partials: [Partials.Channel],
    // Nobody is ever pinged by what the bot posts (titles come from user input).
    allowedMentions: { parse: [] },
    ...(apiBase ? { rest: { api: apiBase } } : {}),
  });
}
