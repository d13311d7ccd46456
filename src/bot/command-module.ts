/**
 * The shape of a module in commands/: its definition and its handler (the discord.js guide's
 * `data` + `execute`), checked when loaded rather than trusted.
 */
import type { ChatInputCommandInteraction, RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { BotContext } from './context.js';

export interface CommandModule {
  data: { name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void>;
}

export function isCommandModule(value: unknown): value is CommandModule {
  const m = value as Partial<CommandModule> | undefined;
  return (
    typeof m === 'object' &&
    m !== null &&
    typeof m.execute === 'function' &&
    typeof m.data === 'object' &&
    m.data !== null &&
    typeof m.data.name === 'string' &&
    typeof m.data.toJSON === 'function'
  );
}
