/**
 * The gateway's job service, assembled from its parts (start-story, components/, cancel-job,
 * recover-jobs): what commands and the interaction router call. It follows the transport's events
 * to keep shown messages right: places in line while waiting, hand-off when a job starts.
 */
import type { ButtonInteraction, ChatInputCommandInteraction, ModalSubmitInteraction, StringSelectMenuInteraction } from 'discord.js';
import { renderEndEmbed } from '../discord/progress-embed.js';
import type { JobService } from './context.js';
import type { GatewayDeps } from './gateway-deps.js';
import { startStory } from './start-story.js';
import { handleJobButton } from './components/job-buttons.js';
import { rerunFromHistory } from './components/history-menu.js';
import { handleRedoMenu } from './components/redo-menu.js';
import { recoverJobs } from './recover-jobs.js';
import type { StoryRequest } from './story-request.js';

export class GatewayJobs implements JobService {
  constructor(private readonly deps: GatewayDeps) {
    const { transport, board } = deps;
    transport.on('positions', (_guild, positions) => {
      for (const [id, position] of positions) board.queued(id, position);
    });
    transport.on('started', (id) => void board.handOff(id));
    transport.on('ended', (id) => {
      board.forget(id);
      deps.endings.ended(id);
    });
  }

  startStory(interaction: ChatInputCommandInteraction | ModalSubmitInteraction, request: StoryRequest): Promise<void> {
    return startStory(this.deps, interaction, request);
  }

  handleJobButton(interaction: ButtonInteraction): Promise<void> {
    return handleJobButton(this.deps, interaction);
  }

  rerunFromHistory(interaction: StringSelectMenuInteraction): Promise<void> {
    return rerunFromHistory(this.deps, interaction);
  }

  redoScene(interaction: StringSelectMenuInteraction): Promise<void> {
    return handleRedoMenu(this.deps, interaction);
  }

  recover(owns?: (guildId: string) => boolean): Promise<number> {
    return recoverJobs(this.deps, owns);
  }

  /**
   * Stop taking jobs. With the in-process transport, running renders stop and every job is left to
   * resume on the next start (its message says so); with render workers, jobs go on without us.
   */
  async shutdown(): Promise<void> {
    const { transport, board } = this.deps;
    const local = transport.mode === 'in-process';
    await transport.close({ abortRunning: local });
    for (const shown of board.all()) {
      board.forget(shown.record.id);
      if (!local) continue;
      await shown.message
        .edit({
          embeds: [renderEndEmbed(shown.progress.title, 'interrupted', shown.t('failure.botRestarting'), shown.record.id, shown.t)],
          components: [],
        })
        .catch(() => undefined);
    }
  }
}
