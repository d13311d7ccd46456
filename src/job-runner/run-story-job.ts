/**
 * One job, start to end, wherever it runs (the bot's own process, or a render worker): the engine
 * renders with every progress event folded into the (throttled) message, the video is uploaded to
 * the job's message with its buttons, and the caller is told how it ended, as the very last step.
 *
 * It writes no history itself: `report` does (straight into SQLite in the bot's process; through
 * the queue from a worker), so the same function runs in both.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Engine } from '../engine/create-engine.js';
import type { ProgressEvent } from '../engine/events.js';
import type { RenderResult } from '../engine/render-story.js';
import type { JobFinish } from '../store/job-history.js';
import type { JobProgress } from '../store/job-record.js';
import type { Logger } from '../core/log.js';
import { describeError } from '../core/describe-error.js';
import { sleep } from '../core/sleep.js';
import { ProgressState } from '../discord/progress-state.js';
import { renderEndEmbed, renderResultEmbed } from '../discord/progress-embed.js';
import { discordCode, EditRefusedError, MissingChannelAccessError, type JobMessage, type MessagePayload } from '../discord/job-message.js';
import { ThrottledEditor } from '../discord/throttled-editor.js';
import { editFailureLog } from '../discord/edit-failure-log.js';
import { progressView } from '../discord/progress-view.js';
import { interruptedButtons, resultButtons } from '../discord/result-buttons.js';
import { failureTextForMembers } from '../discord/failure-text.js';
import { redoMenu } from '../discord/redo-menu.js';
import { LivePreview } from '../discord/live-preview.js';
import { jobLocale } from '../discord/job-locale.js';
import { memberText } from '../discord/member-text.js';
import { translator, type MessageKey, type Translate } from '../i18n/translate.js';
import { untilReplyCloses } from '../discord/time-up.js';
import type { JobTicket } from '../jobs/job-ticket.js';
import { CancelledByUser } from '../jobs/cancelled-by-user.js';

/** How a run ended: a finish for history, or `requeue` when its process stopped (it runs again later). */
export type JobEnd = JobFinish | { status: 'requeue' };

export interface JobReport {
  running(): void | Promise<void>;
  saved(progress: JobProgress): void | Promise<void>;
  /** Called exactly once, as the run's last step. */
  ended(end: JobEnd): void | Promise<void>;
}

export interface StoryJobRun {
  ticket: JobTicket;
  engine: Engine;
  message: JobMessage;
  report: JobReport;
  workDir: string;
  log: Logger;
  signal: AbortSignal;
  /** The state the message shows (the bot's process passes the one that showed the queue). */
  progress?: ProgressState;
  editIntervalMs?: number;
  /** True when the run is stopped because its process is stopping: the job goes back in line. */
  stopping: () => boolean;
  /** What the message says meanwhile (in the job's language). */
  stoppingText: MessageKey;
  /**
   * Just before the upload: may this run deliver? A transport that may run a job twice answers
   * false to all but one run; `previous` is then how the delivering run ended, when known.
   */
  claimDelivery?: () => Promise<{ ok: true } | { ok: false; previous?: JobFinish; stale?: boolean }>;
  /** Told every progress event (metrics). */
  onEvent?: (event: ProgressEvent) => void;
}

const MiB = 1024 * 1024;
/** Times the upload asks whether this run still holds the job when Redis does not answer in time. */
const UPLOAD_CHECKS = 5;

export async function runStoryJob(run: StoryJobRun): Promise<JobEnd> {
  const { ticket, message, report, log, signal } = run;
  const { id } = ticket;
  // Every label on the message in the language chosen at admission; logs stay English.
  const t = translator(jobLocale(ticket.options));
  const progress = run.progress ?? new ProgressState(ticket.title ?? t('progress.untitled'));
  const logFailure = editFailureLog(log, id);
  // The contact sheet of the scenes so far, attached to progress edits (at most one every 4 s).
  const preview = new LivePreview({
    aspect: ticket.options.aspect,
    dir: run.workDir,
    jobId: id,
    log,
    standInLabel: t('progress.standIn'),
    onSheet: () => view(),
  });
  const editor = new ThrottledEditor<MessagePayload>({
    send: (p) => message.edit(preview.decorate(p)),
    minIntervalMs: run.editIntervalMs,
    onError: (error) => {
      // Not sent because this run may not touch the message: stop for good once another run holds the job.
      if (error instanceof EditRefusedError) return error.stale;
      logFailure(error);
      return error instanceof MissingChannelAccessError;
    },
  });
  const view = () => editor.update(progressView(progress, id, t));
  await report.running();
  progress.started(Date.now());
  view();
  const out = join(run.workDir, `${id}.mp4`);
  const started = Date.now();
  let end: JobEnd | undefined;
  // A reply only its interaction's webhook reaches (a member's own install) takes no video once its token is gone.
  const closing = untilReplyCloses(message, signal);
  try {
    const result = await run.engine.render({
      story: ticket.story,
      out,
      script: ticket.kind === 'new-images' || ticket.kind === 'redo' ? ticket.script : undefined,
      seeds: ticket.kind === 'redo' ? ticket.seeds : undefined,
      cast: ticket.kind === 'rerun' ? ticket.cast : undefined,
      // the same script: a redo keeps every clip but two, New images keeps the soundtrack
      reuseClips: ticket.kind === 'redo' || ticket.kind === 'new-images',
      blockedWords: ticket.blockedWords,
      options: {
        aspect: ticket.options.aspect,
        scenes: ticket.options.scenes,
        style: ticket.options.style,
        voice: ticket.options.voice,
        language: ticket.options.language,
        languageHint: ticket.options.languageHint,
        captions: ticket.options.captions,
        captionsPosition: ticket.options.captionsPosition,
        music: ticket.options.music,
        maxBytes: ticket.options.maxBytes,
        seed: ticket.options.seed,
        safeImages: ticket.options.safeImages,
      },
      signal: closing.signal,
      onImage: (scene, image) => void preview.imageArrived(scene, image.path, image.fallback),
      onPortrait: (index, portrait) => void preview.portraitArrived(index, portrait.name, portrait.path),
      onProgress: (event) => {
        if (event.type === 'script') preview.scenes(event.scenes);
        run.onEvent?.(event);
        progress.apply(event);
        view();
      },
    });
    await report.saved({
      seeds: result.seeds,
      script: result.script,
      sceneResults: result.sceneResults,
      title: result.script.title,
      ...(result.cast ? { cast: result.cast } : {}),
    });
    await editor.flush();
    editor.stop();
    await preview.stop();
    end = await deliver(run, result, out, (Date.now() - started) / 1000, t);
  } catch (error) {
    editor.stop();
    await preview.stop();
    end = await endWithoutVideo(run, progress, error, preview.shown, t);
  } finally {
    closing.clear();
    await preview.stop();
    await rm(out, { force: true });
  }
  await report.ended(end);
  return end;
}

async function deliver(run: StoryJobRun, result: RenderResult, out: string, tookSeconds: number, t: Translate): Promise<JobEnd> {
  const { ticket, message, log } = run;
  const { id } = ticket;
  const claim = (await run.claimDelivery?.()) ?? { ok: true };
  // Another run holds the job now (this one was paused or cut off past its lock): it delivers.
  if (!claim.ok && claim.stale) throw new EditRefusedError(true);
  if (!claim.ok) {
    log.warn(`job ${id}: rendered again after its worker was lost, but its video was already delivered; not posting it twice`);
    return claim.previous ?? { status: 'done', error: undefined };
  }
  const summary = {
    title: result.script.title,
    scenes: result.scenes,
    durationSeconds: result.durationSeconds,
    tookSeconds,
    sizeBytes: result.sizeBytes,
    providers: result.providers,
    fallbackScenes: result.fallbackScenes,
    jobId: id,
    requesterId: ticket.userId,
    language: result.language,
    voices: result.voices,
    voiceNote: result.voiceNote,
    ...(result.voiceNotes ? { voiceNotes: result.voiceNotes } : {}),
    note:
      ticket.kind === 'redo' && ticket.redoScene !== undefined
        ? t('result.redone', { scene: ticket.redoScene + 1 })
        : result.script.fallbackReason
          ? t('result.offlineScenes')
          : undefined,
  };
  const video = {
    embeds: [renderResultEmbed(summary, t, jobLocale(ticket.options))],
    components: [...resultButtons(id, { canNewImages: true }, t), ...redoMenu(id, result.script, t)],
    files: [{ attachment: out, name: 'story.mp4' }],
  };
  try {
    // The upload is not skipped like a progress edit when Redis is slow to confirm this run holds the job: asked again.
    for (let attempt = 1; ; attempt++) {
      try {
        await message.edit(video);
        break;
      } catch (error) {
        if (!(error instanceof EditRefusedError) || error.stale || attempt >= UPLOAD_CHECKS) throw error;
        await sleep(1000);
      }
    }
  } catch (error) {
    if (discordCode(error) !== 40005) throw error;
    const text = t('failure.uploadTooLarge', { size: memberText(jobLocale(ticket.options)).mebibytes(result.sizeBytes) });
    await message.edit({ embeds: [renderEndEmbed(result.script.title, 'failed', text, id, t)], components: [], files: [] });
    const size = (result.sizeBytes / MiB).toFixed(1);
    return { status: 'failed', error: `The video came out at ${size} MiB, over this server's upload limit.` };
  }
  log.info(
    `job ${id} done: ${result.scenes} scenes, ${result.durationSeconds.toFixed(1)} s, ${(result.sizeBytes / MiB).toFixed(1)} MiB in ${tookSeconds.toFixed(1)} s`,
  );
  return {
    status: 'done',
    result: {
      durationSeconds: result.durationSeconds,
      width: result.width,
      height: result.height,
      sizeBytes: result.sizeBytes,
      scenes: result.scenes,
      fallbackScenes: result.fallbackScenes,
      providers: result.providers,
      language: result.language,
      voices: result.voices,
      voiceNote: result.voiceNote,
      captions: result.captions,
    },
    timings: { ...result.timings },
  };
}

async function endWithoutVideo(
  run: StoryJobRun,
  progress: ProgressState,
  error: unknown,
  previewShown: boolean,
  t: Translate,
): Promise<JobEnd> {
  const { ticket, log, signal } = run;
  const { id } = ticket;
  // A preview sheet attached while working would otherwise stay under the end embed as a file.
  const message = previewShown ? { edit: (p: MessagePayload) => run.message.edit({ ...p, files: [] }) } : run.message;
  const stale = (error instanceof EditRefusedError && error.stale) || (signal.reason instanceof EditRefusedError && signal.reason.stale);
  if (stale) {
    // Its message is the other run's now: not one more edit (it may already carry the video).
    log.warn(`job ${id}: another run holds this job now; this run stops and leaves its message alone`);
    return { status: 'requeue' };
  }
  if (run.stopping()) {
    await message
      .edit({ embeds: [renderEndEmbed(progress.title, 'interrupted', t(run.stoppingText), id, t)], components: [] })
      .catch(() => undefined);
    return { status: 'requeue' };
  }
  const cancelled = signal.aborted && signal.reason instanceof CancelledByUser;
  // The member never sees a path or a raw ffmpeg error: the log has it; they get a sentence and Re-run.
  const text = cancelled
    ? t('failure.cancelledBy', { user: `<@${(signal.reason as CancelledByUser).userId}>` })
    : failureTextForMembers(error, memberText(jobLocale(ticket.options)));
  log.warn(`job ${id} ${cancelled ? 'cancelled' : 'failed'}: ${describeError(error)}`);
  await message
    .edit({
      embeds: [renderEndEmbed(progress.title, cancelled ? 'cancelled' : 'failed', text, id, t)],
      components: cancelled ? [] : interruptedButtons(id, t),
    })
    .catch((e: unknown) => log.error(`job ${id}: could not show the failure: ${describeError(e)}`));
  return { status: cancelled ? 'cancelled' : 'failed', error: cancelled ? 'cancelled by user' : describeError(error) };
}
