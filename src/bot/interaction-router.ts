/**
 * Every interaction goes to exactly one place: slash commands to their module in commands/,
 * the story modal and job buttons to the job service, the /history menu to a re-run.
 * A handler that throws gets an ephemeral apology, never silence.
 */
import { Events, MessageFlags, type Client, type Interaction } from 'discord.js';
import type { CommandModule } from './command-module.js';
import type { BotContext } from './context.js';
import { HISTORY_MENU_ID, parseStoryModalId, REDO_MENU_PREFIX, STORY_MODAL_FIELD } from '../discord/custom-ids.js';
import { checkStoryRequest } from './story-request.js';
import { describeError } from '../core/describe-error.js';
import { followUpWithin } from './follow-ups.js';
import { translatorFor } from '../i18n/translate.js';
import { memberTextFor } from '../discord/member-text.js';

async function route(interaction: Interaction, commands: Map<string, CommandModule>, ctx: BotContext): Promise<void> {
  if (interaction.isChatInputCommand()) {
    const t = translatorFor(interaction);
    const command = commands.get(interaction.commandName);
    if (!command) {
      await interaction.reply({ content: t('common.unknownCommand', { command: interaction.commandName }), flags: MessageFlags.Ephemeral });
      return;
    }
    await command.execute(interaction, ctx);
    return;
  }
  if (interaction.isModalSubmit()) {
    const options = parseStoryModalId(interaction.customId);
    if (!options) {
      await interaction.reply({ content: translatorFor(interaction)('common.formExpired'), flags: MessageFlags.Ephemeral });
      return;
    }
    const request = checkStoryRequest(
      interaction.fields.getTextInputValue(STORY_MODAL_FIELD),
      {
        ...options,
        languageHint: interaction.locale,
      },
      memberTextFor(interaction),
    );
    if (!request.ok) {
      await interaction.reply({ content: request.message, flags: MessageFlags.Ephemeral });
      return;
    }
    await ctx.jobs.startStory(interaction, request.value);
    return;
  }
  if (interaction.isButton()) {
    await ctx.jobs.handleJobButton(interaction);
    return;
  }
  if (interaction.isStringSelectMenu() && interaction.customId === HISTORY_MENU_ID) {
    await ctx.jobs.rerunFromHistory(interaction);
    return;
  }
  if (interaction.isStringSelectMenu() && interaction.customId.startsWith(REDO_MENU_PREFIX)) {
    await ctx.jobs.redoScene(interaction);
  }
}

/**
 * Listens from the start; the services may still be opening (history, the transport) when the first
 * interaction arrives just after login: it waits for them (milliseconds) instead of being lost.
 */
export function routeInteractions(client: Client, commands: Map<string, CommandModule>, services: BotContext | Promise<BotContext>): void {
  client.on(Events.InteractionCreate, (interaction) => {
    Promise.resolve(services)
      .then((ctx) => route(interaction, commands, ctx))
      .catch(async (error: unknown) => {
        const ctx = await services;
        ctx.log.error(`interaction ${interaction.id} failed: ${describeError(error)}`);
        if (!interaction.isRepliable()) return;
        const content = translatorFor(interaction)('common.somethingWentWrong');
        try {
          if (interaction.deferred || interaction.replied) await followUpWithin(interaction, { content, flags: MessageFlags.Ephemeral });
          else await interaction.reply({ content, flags: MessageFlags.Ephemeral });
        } catch {
          // The interaction is gone (expired or deleted): nothing more to tell.
        }
      });
  });
}
