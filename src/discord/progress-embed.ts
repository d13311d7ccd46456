/**
 * What a job's message shows: while queued, its place in line; while working, one line per
 * scene (image, voice, clip), a bar, elapsed time and an estimate; when done, a summary; when
 * failed, what happened. Plain API embeds, within Discord's limits (20 scenes fit easily).
 */
import { escapeMarkdown, type APIEmbed } from 'discord.js';
import { truncate } from '../core/truncate.js';
import { languageName } from '../core/language.js';
import type { AssetState, ClipState, Phase, ProgressState } from './progress-state.js';

const COLORS = { working: 0x5865f2, done: 0x57f287, failed: 0xed4245, queued: 0x99aab5 } as const;
const ASSET_ICON: Record<AssetState, string> = { waiting: '⬜', working: '🔄', retrying: '⚠️', done: '✅', fallback: '🟨' };
const CLIP_ICON: Record<ClipState, string> = { waiting: '⬜', rendering: '🔄', done: '✅' };
export const LEGEND = '🖼️ image · 🔊 voice · 🎞️ clip — ✅ done · 🔄 working · ⚠️ retrying · 🟨 stand-in';

export function safeTitle(title: string): string {
  return truncate(escapeMarkdown(title.replace(/\s+/g, ' ').trim()) || 'Untitled story', 256);
}

export function progressBar(fraction: number, width = 16): string {
  const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return '▰'.repeat(filled) + '▱'.repeat(width - filled) + ` ${Math.round(fraction * 100)}%`;
}

export function formatSeconds(s: number): string {
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m ${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`;
}

const PHASE_TEXT: Record<Exclude<Phase, 'queued'>, string> = {
  writing: 'Cutting the story into scenes…',
  generating: 'Making images and narration…',
  joining: 'Joining the scenes…',
  uploading: 'Uploading…',
};

export function renderProgressEmbed(state: ProgressState, now: number): APIEmbed {
  if (state.phase === 'queued') {
    return {
      title: safeTitle(state.title),
      description: state.position <= 1 ? '⏳ Waiting: you are next.' : `⏳ Waiting: number ${state.position} in this server's queue.`,
      color: COLORS.queued,
    };
  }
  const lines = state.scenes.map(
    (s, i) => `\`${String(i + 1).padStart(2, '0')}\` 🖼️${ASSET_ICON[s.image]} 🔊${ASSET_ICON[s.voice]} 🎞️${CLIP_ICON[s.clip]}`,
  );
  const elapsed = state.startedAt ? (now - state.startedAt) / 1000 : 0;
  const eta = state.etaSeconds(now);
  const phase = PHASE_TEXT[state.phase];
  const description = [
    phase,
    progressBar(state.fraction()),
    `⏱️ ${formatSeconds(elapsed)} elapsed${eta !== undefined ? ` · about ${formatSeconds(eta)} left` : ''}`,
    ...(state.note ? [`ℹ️ ${state.note}`] : []),
    '',
    ...lines,
    ...(lines.length ? ['', LEGEND] : []),
  ].join('\n');
  return { title: safeTitle(state.title), description: truncate(description, 4096), color: COLORS.working };
}

export interface ResultSummary {
  title: string;
  scenes: number;
  durationSeconds: number;
  tookSeconds: number;
  sizeBytes: number;
  providers: { writer: string; image: string; voice: string };
  fallbackScenes: number[];
  jobId: string;
  requesterId: string;
  note?: string;
  /** The story's language (BCP-47 primary subtag) and the voice of each scene. */
  language?: string;
  voices?: string[];
  /** Why a voice not of the story's language read it, when that happened. */
  voiceNote?: string;
}

/** "Spanish (es) · Lupita": the language and the voices that read it. */
function languageField(r: ResultSummary): { name: string; value: string; inline: boolean }[] {
  if (!r.language) return [];
  const voices = [...new Set(r.voices ?? [])].join(', ');
  const value = `${languageName(r.language)} (${r.language})${voices ? ` · ${escapeMarkdown(voices)}` : ''}`;
  return [{ name: 'Language · voice', value: truncate(value, 1024), inline: false }];
}

export function renderResultEmbed(r: ResultSummary): APIEmbed {
  const stand = r.fallbackScenes.length
    ? `\n🟨 Scenes ${r.fallbackScenes.map((i) => i + 1).join(', ')} used a stand-in (a provider was unavailable).`
    : '';
  return {
    title: safeTitle(r.title),
    description: truncate(
      `🎬 Ready, for <@${r.requesterId}>.${stand}${r.note ? `\nℹ️ ${r.note}` : ''}${r.voiceNote ? `\n🗣️ ${escapeMarkdown(r.voiceNote)}.` : ''}`,
      4096,
    ),
    color: COLORS.done,
    fields: [
      { name: 'Scenes', value: String(r.scenes), inline: true },
      { name: 'Length', value: formatSeconds(r.durationSeconds), inline: true },
      { name: 'Made in', value: formatSeconds(r.tookSeconds), inline: true },
      { name: 'Size', value: `${(r.sizeBytes / 1024 / 1024).toFixed(1)} MiB`, inline: true },
      {
        name: 'Made with',
        value: truncate(`${r.providers.writer} scenes · ${r.providers.image} images · ${r.providers.voice} voice`, 1024),
        inline: false,
      },
      ...languageField(r),
    ],
    footer: { text: `job ${r.jobId}` },
  };
}

export function renderEndEmbed(title: string, kind: 'failed' | 'cancelled' | 'interrupted', message: string, jobId: string): APIEmbed {
  const head = { failed: '❌ This story could not be made.', cancelled: '🛑 Cancelled.', interrupted: '⚠️ Interrupted by a restart.' }[kind];
  return {
    title: safeTitle(title),
    description: truncate(`${head}\n${message}`, 4096),
    color: kind === 'cancelled' ? COLORS.queued : COLORS.failed,
    footer: { text: `job ${jobId}` },
  };
}
