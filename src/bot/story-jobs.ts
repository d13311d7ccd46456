/**
 * The bot's job service: admits /story requests (or refuses them ephemerally), keeps each job's
 * message up to date while it waits and works, answers the buttons on job messages, re-runs from
 * /history, resumes unfinished jobs after a restart, and pauses them on shutdown.
 */
import { randomInt } from 'node:crypto';
import { MessageFlags, PermissionFlagsBits, type ButtonInteraction, type ChatInputCommandInteraction, type Client, type ModalSubmitInteraction, type RepliableInteraction, type StringSelectMenuInteraction } from 'discord.js';
import type { Engine } from '../engine/create-engine.js';
import type { JobHistory } from '../store/job-history.js';
import type { JobKind, JobRecord } from '../store/job-record.js';
import type { Logger } from '../core/log.js';
import type { JobService } from './context.js';
import type { StoryRequest } from './story-request.js';
import { JobQueue, type JobQueueLimits } from './job-queue.js';
import { JobMessage, type MessagePayload } from './job-message.js';
import { ProgressState } from './progress-state.js';
import { ThrottledEditor } from './throttled-editor.js';
import { parseJobButtonId } from './custom-ids.js';
import { renderEndEmbed } from './progress-embed.js';
import { interruptedButtons } from './result-buttons.js';
import { CancelledByUser, progressView, runStoryJob, type ActiveJob } from './run-story-job.js';
import { titleFrom } from '../engine/story-title.js';
import { describeError } from '../core/describe-error.js';

export interface StoryJobsDeps {
  client: Client;
  engine: Engine;
  history: JobHistory;
  limits: JobQueueLimits;
  workDir: string;
  log: Logger;
  /** Edits to one message at most this often (default 1500 ms). */
  editIntervalMs?: number;
}

/** Discord's default upload limit, for an interaction that does not say its own. */
const DEFAULT_ATTACHMENT_LIMIT = 10 * 1024 * 1024;

const ephemeral = (content: string) => ({ content, flags: MessageFlags.Ephemeral }) as const;

/**
 * How many times a job found running at start is resumed. Past that it is given up (marked
 * interrupted, its message says so and offers Re-run): a job that brings the bot down every time
 * it runs must not be resumed forever.
 */
export const MAX_RESUMES = 2;

export class StoryJobs implements JobService {
  readonly queue: JobQueue<string>;
  private readonly active = new Map<string, ActiveJob>();
  private shuttingDown = false;

  constructor(private readonly deps: StoryJobsDeps) {
    const ctx = { engine: deps.engine, history: deps.history, workDir: deps.workDir, log: deps.log, shuttingDown: () => this.shuttingDown };
    this.queue = new JobQueue<string>(async (job, signal) => {
      const active = this.active.get(job.id);
      if (active) await runStoryJob(ctx, active, signal);
    }, deps.limits);
    this.queue.on('end', (job) => this.active.delete(job.id));
    this.queue.on('positions', (_guild, positions) => {
      for (const [id, position] of positions) {
        const a = this.active.get(id);
        if (!a) continue;
        a.progress.queued(position);
        a.editor.update(progressView(a));
      }
    });
  }

  /** Where a job is shown: its interaction's reply, or (resumed) the channel message an earlier process posted. */
  private messageFor(record: JobRecord, interaction?: RepliableInteraction): JobMessage {
    return new JobMessage({
      client: this.deps.client,
      channelId: record.channelId,
      jobId: record.id,
      log: this.deps.log,
      interaction,
      channelMessageId: interaction ? undefined : record.messageIds.channelMessage,
      onChannelMessage: (id) => this.deps.history.setMessageIds(record.id, { channelMessage: id }),
    });
  }

  private activate(record: JobRecord, interaction?: RepliableInteraction): ActiveJob {
    const message = this.messageFor(record, interaction);
    const active: ActiveJob = {
      record,
      message,
      progress: new ProgressState(record.title ?? titleFrom(record.story)),
      editor: new ThrottledEditor<MessagePayload>({
        send: (p) => message.edit(p),
        minIntervalMs: this.deps.editIntervalMs,
        onError: (error) => {
          this.deps.log.warn(`job ${record.id}: progress edit failed: ${describeError(error)}`);
          return error instanceof Error && error.name === 'MissingChannelAccessError';
        },
      }),
    };
    this.active.set(record.id, active);
    return active;
  }

  private admit(active: ActiveJob): void {
    const { record } = active;
    const admitted = this.queue.submit({ id: record.id, guildId: record.guildId, userId: record.userId, payload: record.id });
    if (!admitted.ok) {
      this.active.delete(record.id);
      this.deps.history.finish(record.id, { status: 'cancelled', error: admitted.message });
      void active.message.edit({ embeds: [renderEndEmbed(active.progress.title, 'cancelled', admitted.message, record.id)], components: [] }).catch(() => undefined);
      return;
    }
    if (admitted.position > 0) {
      active.progress.queued(admitted.position);
      active.editor.update(progressView(active));
    }
  }

  async startStory(
    interaction: ChatInputCommandInteraction | ModalSubmitInteraction | ButtonInteraction | StringSelectMenuInteraction,
    request: StoryRequest,
    from?: { kind: Exclude<JobKind, 'story'>; parent: JobRecord },
  ): Promise<void> {
    if (!interaction.guildId || !interaction.channelId) {
      await interaction.reply(ephemeral('Use /story in a server channel.'));
      return;
    }
    const admission = this.queue.check(interaction.guildId, interaction.user.id);
    if (!admission.ok) {
      await interaction.reply(ephemeral(admission.message));
      return;
    }
    await interaction.deferReply();
    const record = this.deps.history.create({
      kind: from?.kind ?? 'story',
      parentJobId: from?.parent.id,
      guildId: interaction.guildId,
      channelId: interaction.channelId,
      userId: interaction.user.id,
      story: request.story,
      title: from?.kind === 'new-images' ? from.parent.title : undefined,
      options: { aspect: request.aspect, scenes: request.scenes, style: request.style, voice: request.voice, maxBytes: interaction.attachmentSizeLimit ?? DEFAULT_ATTACHMENT_LIMIT, seed: randomInt(0, 2 ** 31 - 1) },
      script: from?.kind === 'new-images' ? from.parent.script : undefined,
    });
    const reply = await interaction.fetchReply().catch(() => undefined);
    if (reply) this.deps.history.setMessageIds(record.id, { original: reply.id });
    this.admit(this.activate(record, interaction));
  }

  async handleJobButton(interaction: ButtonInteraction): Promise<void> {
    const parsed = parseJobButtonId(interaction.customId);
    const job = parsed && this.deps.history.get(parsed.jobId);
    if (!parsed || !job) {
      await interaction.reply(ephemeral('This story is no longer in the history.'));
      return;
    }
    const isOwner = interaction.user.id === job.userId;
    const canManage = interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages) ?? false;
    const notYours = () => interaction.reply(ephemeral(`Not yours: only <@${job.userId}>${parsed.action === 'cancel' || parsed.action === 'delete' ? ' or a moderator' : ''} can do that. Make your own with /story.`));
    switch (parsed.action) {
      case 'rerun':
      case 'images':
        if (!isOwner) return void (await notYours());
        if (parsed.action === 'images' && !job.script) return void (await interaction.reply(ephemeral('This story has no saved scenes to reuse; use Re-run.')));
        await this.startStory(interaction, { story: job.story, aspect: job.options.aspect, scenes: job.options.scenes, style: job.options.style, voice: job.options.voice }, { kind: parsed.action === 'rerun' ? 'rerun' : 'new-images', parent: job });
        return;
      case 'cancel':
        if (!isOwner && !canManage) return void (await notYours());
        return void (await this.cancel(interaction, job));
      case 'delete':
        if (!isOwner && !canManage) return void (await notYours());
        await interaction.deferUpdate();
        await interaction.deleteReply();
        return;
    }
  }

  private async cancel(interaction: ButtonInteraction, job: JobRecord): Promise<void> {
    if (this.queue.position(job.id) === undefined) {
      await interaction.reply(ephemeral('This story has already finished.'));
      return;
    }
    await interaction.deferUpdate();
    // Read again after the await: the job may have started (or ended) meanwhile.
    const position = this.queue.position(job.id);
    const active = this.active.get(job.id);
    if (position === undefined || !this.queue.cancel(job.id, new CancelledByUser(interaction.user.id))) return;
    if (position > 0 && active) {
      // It never started: end it here.
      active.editor.stop();
      this.deps.history.finish(job.id, { status: 'cancelled', error: 'cancelled by user' });
      await active.message.edit({ embeds: [renderEndEmbed(active.progress.title, 'cancelled', `Cancelled by <@${interaction.user.id}>.`, job.id)], components: [] });
    }
  }

  async rerunFromHistory(interaction: StringSelectMenuInteraction, jobId: string): Promise<void> {
    const job = this.deps.history.get(jobId);
    if (!job || job.guildId !== interaction.guildId) {
      await interaction.reply(ephemeral('That story is not in this server\'s history.'));
      return;
    }
    const canManage = interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false;
    if (job.userId !== interaction.user.id && !canManage) {
      await interaction.reply(ephemeral('Not yours: you can re-run your own stories.'));
      return;
    }
    await this.startStory(interaction, { story: job.story, aspect: job.options.aspect, scenes: job.options.scenes, style: job.options.style, voice: job.options.voice }, { kind: 'rerun', parent: job });
  }

  /**
   * After a restart: every queued or running job goes back in line, shown in its channel; one
   * found running after MAX_RESUMES resumes is given up instead (see giveUp).
   */
  async recover(): Promise<number> {
    let resumed = 0;
    for (const job of this.deps.history.unfinished()) {
      if (job.status === 'running' && job.attempts >= MAX_RESUMES) {
        await this.giveUp(job);
        continue;
      }
      const record = job.status === 'running' ? this.deps.history.requeue(job.id) : job;
      const active = this.activate(record);
      active.progress.note = 'Resumed after a restart.';
      try {
        await active.message.edit(progressView(active));
      } catch (error) {
        this.active.delete(record.id);
        this.deps.history.finish(record.id, { status: 'interrupted', error: `could not resume: ${describeError(error)}` });
        this.deps.log.warn(`job ${record.id}: marked interrupted, could not resume: ${describeError(error)}`);
        continue;
      }
      this.admit(active);
      resumed += 1;
    }
    return resumed;
  }

  /** Marks a job interrupted for good and says so in its message, with Re-run and Delete. */
  private async giveUp(job: JobRecord): Promise<void> {
    const stops = job.attempts + 1;
    const reason = `not resumed again: the bot stopped ${stops} times while making it`;
    const text = `The bot stopped ${stops} times while making this story, so it will not be resumed again. Press Re-run to start it afresh.`;
    const message = this.messageFor(job);
    let shown = '';
    try {
      await message.edit({ embeds: [renderEndEmbed(job.title ?? titleFrom(job.story), 'interrupted', text, job.id)], components: interruptedButtons(job.id) });
    } catch (error) {
      shown = `; the message could not be updated: ${describeError(error)}`;
    }
    this.deps.history.finish(job.id, { status: 'interrupted', error: reason + shown });
    this.deps.log.warn(`job ${job.id}: marked interrupted, ${reason}${shown}`);
  }

  /** Stop taking jobs; running ones are stopped and left to resume on the next start. */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    await this.queue.close({ abortRunning: true, reason: new Error('The bot is shutting down') });
    for (const a of this.active.values()) {
      a.editor.stop();
      await a.message
        .edit({ embeds: [renderEndEmbed(a.progress.title, 'interrupted', 'The bot is restarting; this story will resume when it is back.', a.record.id)], components: [] })
        .catch(() => undefined);
    }
    this.active.clear();
  }
}
