/**
 * What a command handler gets besides its interaction: the bot's services. Commands depend on
 * these interfaces, not on how the bot wires them.
 */
import type { ButtonInteraction, ChatInputCommandInteraction, ModalSubmitInteraction, StringSelectMenuInteraction } from 'discord.js';
import type { Logger } from '../core/log.js';
import type { JobHistory } from '../store/job-history.js';
import type { GuildSettingsStore } from '../store/guild-settings.js';
import type { StoryRequest } from './story-request.js';
import type { StoryFileSource } from './story-file.js';
import type { GuildUsage } from '../jobs/quota-rules.js';

export interface JobService {
  /** Admit a new story job for this interaction (defers it), or refuse ephemerally. */
  startStory(interaction: ChatInputCommandInteraction | ModalSubmitInteraction, request: StoryRequest): Promise<void>;
  /** Re-run / New images / Cancel / Delete on a job's message. */
  handleJobButton(interaction: ButtonInteraction): Promise<void>;
  /** Re-run a job picked from /history. */
  rerunFromHistory(interaction: StringSelectMenuInteraction): Promise<void>;
  /** "Redo a scene…" on a finished video. */
  redoScene(interaction: StringSelectMenuInteraction): Promise<void>;
}

export interface BotContext {
  jobs: JobService;
  history: JobHistory;
  log: Logger;
  /** Where `/story file:` may download from (Discord's CDN). */
  storyFiles: StoryFileSource;
  /** Per-server settings (/settings), in SQLite. */
  settings: Pick<GuildSettingsStore, 'get' | 'update'>;
  /** The bot's own limits, which a server's settings may not exceed. */
  botLimits: { maxJobsPerGuild: number };
  /** Today's counts in a server (and its top members), for /usage. */
  usage(guildId: string): Promise<GuildUsage>;
}
