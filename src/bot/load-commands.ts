/** Loads every module in commands/ (one slash command each), refusing any that lacks data/execute. */
import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, extname, join, resolve } from 'node:path';
import { isCommandModule, type CommandModule } from './command-module.js';

export const COMMANDS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../commands');

export async function loadCommands(dir: string = COMMANDS_DIR): Promise<Map<string, CommandModule>> {
  const files = (await readdir(dir)).filter((f) => ['.ts', '.js'].includes(extname(f)) && !f.endsWith('.d.ts')).sort();
  const commands = new Map<string, CommandModule>();
  for (const file of files) {
    const mod: unknown = await import(pathToFileURL(join(dir, file)).href);
    if (!isCommandModule(mod)) throw new Error(`commands/${file} must export "data" (a SlashCommandBuilder) and "execute".`);
    if (commands.has(mod.data.name)) throw new Error(`Two modules in commands/ define /${mod.data.name}.`);
    commands.set(mod.data.name, mod);
  }
  return commands;
}
