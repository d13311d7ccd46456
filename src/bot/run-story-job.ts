/**
 * One job, start to end: history says running, the engine renders with every progress event
 * folded into the (throttled) embed, the video is uploaded to the job's message with its
 * buttons, and history records how it ended. A restart in the middle leaves the row as it is,
 * so the next start picks the job up again.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Engine } from '../engine/create-engine.js';
import type { JobHistory } from '../store/job-history.js';
import type { JobRecord } from '../store/job-record.js';
import type { Logger } from '../core/log.js';
import { describeError } from '../core/describe-error.js';
import { voiceIdFor } from '../providers/voice-presets.js';
import { ProgressState } from './progress-state.js';
import { renderEndEmbed, renderProgressEmbed, renderResultEmbed } from './progress-embed.js';
import { discordCode, type JobMessage, type MessagePayload } from './job-message.js';
import { ThrottledEditor } from './throttled-editor.js';
import { resultButtons, workingButtons } from './result-buttons.js';

export interface ActiveJob {
  record: JobRecord;
  message: JobMessage;
  progress: ProgressState;
  editor: ThrottledEditor<MessagePayload>;
}

export interface RunContext {
  engine: Engine;
  history: JobHistory;
  workDir: string;
  log: Logger;
  shuttingDown: () => boolean;
}

export function progressView(job: ActiveJob): MessagePayload {
  return { embeds: [renderProgressEmbed(job.progress, Date.now())], components: workingButtons(job.record.id) };
}

export class CancelledByUser extends Error {
  override readonly name = 'CancelledByUser';
}

export async function runStoryJob(ctx: RunContext, job: ActiveJob, signal: AbortSignal): Promise<void> {
  const { record, progress, editor, message } = job;
  const { id } = record;
  ctx.history.markRunning(id);
  progress.started(Date.now());
  editor.update(progressView(job));
  const out = join(ctx.workDir, `${id}.mp4`);
  const started = Date.now();
  // History is told how the job ended only after its scratch is gone, as the last step: the
  // queue frees the user's slot in the same tick, so "done" in history never meets "busy".
  let ended: (() => void) | undefined;
  try {
    const result = await ctx.engine.render({
      story: record.story,
      out,
      script: record.kind === 'new-images' ? record.script : undefined,
      options: {
        aspect: record.options.aspect,
        scenes: record.options.scenes,
        style: record.options.style,
        voice: voiceIdFor(record.options.voice, ctx.engine.providers.voice),
        maxBytes: record.options.maxBytes,
        seed: record.options.seed,
      },
      signal,
      onProgress: (event) => {
        progress.apply(event);
        editor.update(progressView(job));
      },
    });
    ctx.history.saveProgress(id, { seeds: result.seeds, script: result.script, sceneResults: result.sceneResults, title: result.script.title });
    await editor.flush();
    editor.stop();
    const summary = {
      title: result.script.title,
      scenes: result.scenes,
      durationSeconds: result.durationSeconds,
      tookSeconds: (Date.now() - started) / 1000,
      sizeBytes: result.sizeBytes,
      providers: result.providers,
      fallbackScenes: result.fallbackScenes,
      jobId: id,
      requesterId: record.userId,
      note: result.script.fallbackReason ? 'The scenes were cut offline: the script writer was unavailable.' : undefined,
    };
    try {
      await message.edit({ embeds: [renderResultEmbed(summary)], components: resultButtons(id, { canNewImages: true }), files: [{ attachment: out, name: 'story.mp4' }] });
    } catch (error) {
      if (discordCode(error) !== 40005) throw error;
      const text = `The video came out at ${(result.sizeBytes / 1024 / 1024).toFixed(1)} MiB, over this server's upload limit. Try fewer scenes or a shorter story.`;
      await message.edit({ embeds: [renderEndEmbed(result.script.title, 'failed', text, id)], components: [], files: [] });
      ended = () => ctx.history.finish(id, { status: 'failed', error: text });
      return;
    }
    ended = () => ctx.history.finish(id, {
      status: 'done',
      result: { durationSeconds: result.durationSeconds, width: result.width, height: result.height, sizeBytes: result.sizeBytes, scenes: result.scenes, fallbackScenes: result.fallbackScenes, providers: result.providers },
      timings: { ...result.timings },
    });
    ctx.log.info(`job ${id} done: ${result.scenes} scenes, ${result.durationSeconds.toFixed(1)} s, ${(result.sizeBytes / 1024 / 1024).toFixed(1)} MiB in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    editor.stop();
    if (ctx.shuttingDown()) {
      await message
        .edit({ embeds: [renderEndEmbed(progress.title, 'interrupted', 'The bot is restarting; this story will resume when it is back.', id)], components: [] })
        .catch(() => undefined);
      // Back in line for the next start; a clean stop does not count towards the resume cap.
      ended = () => ctx.history.checkpoint(id);
      return;
    }
    const cancelled = signal.aborted && signal.reason instanceof CancelledByUser;
    const text = cancelled ? `Cancelled by <@${(signal.reason as CancelledByUser).message}>.` : describeError(error);
    ctx.log.warn(`job ${id} ${cancelled ? 'cancelled' : 'failed'}: ${describeError(error)}`);
    await message.edit({ embeds: [renderEndEmbed(progress.title, cancelled ? 'cancelled' : 'failed', text, id)], components: [] }).catch((e: unknown) => ctx.log.error(`job ${id}: could not show the failure: ${describeError(e)}`));
    ended = () => ctx.history.finish(id, { status: cancelled ? 'cancelled' : 'failed', error: cancelled ? 'cancelled by user' : describeError(error) });
  } finally {
    await rm(out, { force: true });
    ended?.();
  }
}
