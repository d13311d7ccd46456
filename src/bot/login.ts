/**
 * Logging in, with one clear line per way it can fail: the token rejected (a configuration
 * error: ConfigError, exit 2), or Discord not reachable (exit 1: try again later).
 */
import { DiscordAPIError, Events, type Client } from 'discord.js';
import { ConfigError } from '../config.js';

export class DiscordUnreachableError extends Error {
  override readonly name = 'DiscordUnreachableError';
}

/** A bot token's first part is its application's (the bot user's) id, in base64. */
export function applicationIdFromToken(token: string): string | undefined {
  const first = token.split('.')[0] ?? '';
  try {
    const id = Buffer.from(first, 'base64').toString('utf8');
    return /^\d{17,20}$/.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

/** The network error code (ECONNREFUSED, ENOTFOUND, UND_ERR_...) somewhere in an error's causes. */
export function networkCause(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code)) return code;
  }
  return undefined;
}

export async function login(client: Client, token: string, apiBase: string): Promise<void> {
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  try {
    await client.login(token);
  } catch (error) {
    const invalidToken =
      (error instanceof DiscordAPIError && error.status === 401) || (error as { code?: unknown }).code === 'TokenInvalid';
    if (invalidToken)
      throw new ConfigError(
        'Discord rejected the bot token (DISCORD_TOKEN): copy it again from the Developer Portal (Bot -> Reset Token).',
      );
    const cause = networkCause(error);
    if (cause) throw new DiscordUnreachableError(`Cannot reach Discord at ${apiBase} (${cause}): check the network, then start again.`);
    throw error;
  }
  await ready;
}
