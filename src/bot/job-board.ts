/**
 * The jobs this gateway process shows: for each, its message, the state the embed shows, and a
 * throttled editor. The board edits a job's message while it waits in line (its place, moving up);
 * once the job runs, whoever runs it (this process or a render worker) edits it instead, so one
 * message is only ever edited by one process at a time.
 */
import type { Client } from 'discord.js';
import type { Logger } from '../core/log.js';
import { storyTitle } from '../engine/story-title.js';
import type { JobHistory } from '../store/job-history.js';
import type { JobRecord } from '../store/job-record.js';
import { JobMessage, MissingChannelAccessError, type MessagePayload } from '../discord/job-message.js';
import { ProgressState } from '../discord/progress-state.js';
import { progressView } from '../discord/progress-view.js';
import { ThrottledEditor } from '../discord/throttled-editor.js';
import { editFailureLog } from '../discord/edit-failure-log.js';
import { jobTranslator } from '../discord/job-locale.js';
import type { Translate } from '../i18n/translate.js';
import { webhookOnlyFor } from '../discord/time-up.js';

export interface ShownJob {
  record: JobRecord;
  message: JobMessage;
  progress: ProgressState;
  editor: ThrottledEditor<MessagePayload>;
  /** Messages in the job's language (chosen at admission). */
  t: Translate;
}

/** The interaction a job answers: its token (memory only) and the deferral its edits wait for. */
export interface LiveInteraction {
  token: string;
  createdAt: number;
  ready: Promise<unknown>;
}

export class JobBoard {
  private readonly jobs = new Map<string, ShownJob>();
  /** Webhook-only jobs still waiting here: when their reply's time is up, it says so (not silence). */
  private readonly closing = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly deps: {
      client: Client<true> | Client;
      applicationId: string;
      history: JobHistory;
      log: Logger;
      editIntervalMs?: number;
    },
  ) {}

  /** A message for a job: its interaction's reply, or (no token: resumed) the message history points at. */
  messageFor(record: JobRecord, interaction?: LiveInteraction): JobMessage {
    const { client, applicationId, history, log } = this.deps;
    return new JobMessage({
      rest: client.rest,
      applicationId,
      channelId: record.channelId,
      jobId: record.id,
      log,
      interaction: interaction && { token: interaction.token, createdAt: interaction.createdAt },
      ready: interaction?.ready,
      messageId: interaction ? undefined : (record.messageIds.channelMessage ?? record.messageIds.original),
      onChannelMessage: (id) => history.setMessageIds(record.id, { channelMessage: id }),
      webhookOnly: webhookOnlyFor(record),
    });
  }

  show(record: JobRecord, interaction?: LiveInteraction): ShownJob {
    const message = this.messageFor(record, interaction);
    const logFailure = editFailureLog(this.deps.log, record.id);
    const shown: ShownJob = {
      record,
      message,
      progress: new ProgressState(record.title ?? storyTitle(record.story)),
      t: jobTranslator(record.options),
      editor: new ThrottledEditor<MessagePayload>({
        send: (p) => message.edit(p),
        minIntervalMs: this.deps.editIntervalMs,
        onError: (error) => {
          logFailure(error);
          return error instanceof MissingChannelAccessError;
        },
      }),
    };
    this.jobs.set(record.id, shown);
    this.sayWhenTimeIsUp(shown);
    return shown;
  }

  /**
   * A job of a member's own install still in line when its reply stops taking edits: one last edit
   * then, which its message turns into the time-up notice (job-message.ts). Once it runs, its runner does this.
   */
  private sayWhenTimeIsUp(shown: ShownJob): void {
    const until = shown.message.openUntil;
    if (!until) return;
    const id = shown.record.id;
    clearTimeout(this.closing.get(id));
    const timer = setTimeout(
      () => {
        this.closing.delete(id);
        if (this.jobs.get(id) === shown) shown.editor.update(progressView(shown.progress, id, shown.t));
      },
      Math.max(0, until - Date.now()),
    );
    timer.unref();
    this.closing.set(id, timer);
  }

  private stopClosing(id: string): void {
    clearTimeout(this.closing.get(id));
    this.closing.delete(id);
  }

  get(id: string): ShownJob | undefined {
    return this.jobs.get(id);
  }

  /** Shows a job's place in its guild's line. */
  queued(id: string, position: number): void {
    const shown = this.jobs.get(id);
    if (!shown || position <= 0) return;
    shown.progress.queued(position);
    shown.editor.update(progressView(shown.progress, id, shown.t));
  }

  /** The job runs now: whoever runs it edits its message from here on. */
  handOff(id: string): ShownJob | undefined {
    const shown = this.jobs.get(id);
    shown?.editor.stop();
    this.stopClosing(id);
    return shown;
  }

  forget(id: string): void {
    this.stopClosing(id);
    this.jobs.get(id)?.editor.stop();
    this.jobs.delete(id);
  }

  all(): ShownJob[] {
    return [...this.jobs.values()];
  }
}
