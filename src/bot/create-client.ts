/** The discord.js client, pointed at another Discord-compatible REST base when configured. */
import { Client, GatewayIntentBits, Partials } from 'discord.js';

export function createClient(apiBase?: string): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    partials: [Partials.Channel],
    // Nobody is ever pinged by what the bot posts (titles come from user input).
    allowedMentions: { parse: [] },
    ...(apiBase ? { rest: { api: apiBase } } : {}),
  });
}
