/**
 * The Subtitles button: the video's captions as an .srt file, in a reply only the person who
 * pressed it sees. The cues are the ones burned into the video, kept in history with the job's
 * result (word-timed when the voice timed its words), so the file is the same after a restart.
 * A job finished before cues were kept gets them rebuilt from its script and scene lengths
 * (timed by text length, as captions without word timings are).
 */
import type { ButtonInteraction } from 'discord.js';
import type { JobRecord } from '../store/job-record.js';
import { toSrt } from '../engine/srt.js';
import { consecutiveStarts, videoCues, type CaptionCue } from '../engine/video-cues.js';
import { ephemeral } from './start-story.js';
import { memberTextFor } from '../discord/member-text.js';

export function jobCues(job: JobRecord): CaptionCue[] | undefined {
  if (job.result?.captions) return job.result.captions;
  const { script, sceneResults } = job;
  if (!script || !sceneResults || sceneResults.length !== script.scenes.length) return undefined;
  const starts = consecutiveStarts(sceneResults.map((s) => s.seconds));
  return videoCues(
    script.scenes.map((scene, i) => ({
      narration: scene.narration,
      narrationSeconds: sceneResults[i]!.narrationSeconds,
      start: starts[i]!,
    })),
    job.result?.language,
  );
}

/** A file name from the title: letters and digits of any script, dashes between words. */
export function subtitleFileName(title: string | undefined): string {
  const slug = (title ?? '')
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${slug || 'story'}.srt`;
}

export async function sendSubtitles(interaction: ButtonInteraction, job: JobRecord): Promise<void> {
  const { t } = memberTextFor(interaction);
  const cues = job.status === 'done' ? jobCues(job) : undefined;
  if (!cues || cues.length === 0) {
    await interaction.reply(ephemeral(t('jobs.noSubtitles')));
    return;
  }
  await interaction.reply({
    ...ephemeral(t('jobs.subtitlesHere')),
    files: [{ attachment: Buffer.from(toSrt(cues), 'utf8'), name: subtitleFileName(job.script?.title ?? job.title) }],
  });
}
