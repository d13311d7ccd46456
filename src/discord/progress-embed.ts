/**
 * What a job's message shows: while queued, its place in line; while working, one line per
 * scene (image, voice, clip), a bar, elapsed time and an estimate; when done, a summary; when
 * failed, what happened. Plain API embeds, within Discord's limits (20 scenes fit easily).
 */
import { escapeMarkdown, type APIEmbed } from 'discord.js';
import { truncate } from '../core/truncate.js';
import { languageName } from '../core/language.js';
import type { Translate } from '../i18n/translate.js';
import type { ReplyLocale } from '../i18n/locales.js';
import type { AssetState, ClipState, Phase, ProgressState } from './progress-state.js';
import type { VoiceNote } from '../core/voice-note.js';
import { memberText } from './member-text.js';

const COLORS = { working: 0x5865f2, done: 0x57f287, failed: 0xed4245, queued: 0x99aab5 } as const;
const ASSET_ICON: Record<AssetState, string> = { waiting: '⬜', working: '🔄', retrying: '⚠️', done: '✅', fallback: '🟨' };
const CLIP_ICON: Record<ClipState, string> = { waiting: '⬜', rendering: '🔄', done: '✅' };

/** The title as Discord shows it: markdown escaped, one line, at most 256 characters; `untitled` when empty. */
export function safeTitle(title: string, untitled = 'Untitled story'): string {
  return truncate(escapeMarkdown(title.replace(/\s+/g, ' ').trim()) || untitled, 256);
}

export function progressBar(fraction: number, width = 16): string {
  const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return '▰'.repeat(filled) + '▱'.repeat(width - filled) + ` ${Math.round(fraction * 100)}%`;
}

/** "1m 05s", "42s" (in the member's words: "1 Min. 05 s", "1分05秒"). */
export function formatSeconds(s: number, t: Translate): string {
  const m = Math.floor(s / 60);
  return m > 0
    ? t('progress.minutesSeconds', { minutes: m, seconds: String(Math.round(s % 60)).padStart(2, '0') })
    : t('progress.seconds', { seconds: Math.round(s) });
}

const PHASE_TEXT = {
  writing: 'progress.writing',
  generating: 'progress.generating',
  joining: 'progress.joining',
  uploading: 'progress.uploading',
} as const satisfies Record<Exclude<Phase, 'queued'>, string>;

export function renderProgressEmbed(state: ProgressState, now: number, t: Translate): APIEmbed {
  const title = safeTitle(state.title, t('progress.untitled'));
  if (state.phase === 'queued') {
    return {
      title,
      description: state.position <= 1 ? t('progress.waitingNext') : t('progress.waitingPosition', { position: state.position }),
      color: COLORS.queued,
    };
  }
  const lines = state.scenes.map(
    (s, i) => `\`${String(i + 1).padStart(2, '0')}\` 🖼️${ASSET_ICON[s.image]} 🔊${ASSET_ICON[s.voice]} 🎞️${CLIP_ICON[s.clip]}`,
  );
  const elapsed = state.startedAt ? (now - state.startedAt) / 1000 : 0;
  const eta = state.etaSeconds(now);
  const description = [
    t(PHASE_TEXT[state.phase]),
    progressBar(state.fraction()),
    `⏱️ ${t('progress.elapsed', { elapsed: formatSeconds(elapsed, t) })}${eta !== undefined ? ` · ${t('progress.left', { left: formatSeconds(eta, t) })}` : ''}`,
    ...(state.note ? [`ℹ️ ${t(state.note)}`] : []),
    '',
    ...lines,
    ...(lines.length ? ['', t('progress.legend')] : []),
  ].join('\n');
  return { title, description: truncate(description, 4096), color: COLORS.working };
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
  /** The same as data: said in the member's language (voiceNote, in English, when absent). */
  voiceNotes?: VoiceNote[];
}

/** One voice note in the member's language. */
function voiceNoteText(n: VoiceNote, t: Translate, locale: ReplyLocale): string {
  const language = nameOfLanguage(n.language, locale);
  switch (n.kind) {
    case 'model-reads':
      return t('result.voiceNote.modelReads', { provider: n.provider, language, voice: n.voice });
    case 'other-language':
      return t('result.voiceNote.otherLanguage', {
        provider: n.provider,
        language,
        voice: n.voice,
        voiceLanguage: nameOfLanguage(n.voiceLanguage, locale),
      });
    case 'multilingual':
      return t('result.voiceNote.multilingual', { provider: n.provider, language, voice: n.voice });
    case 'rough':
      return t('result.voiceNote.rough', { provider: n.provider, language });
  }
}

/** The result's voice notes, in the member's language when they came as data (each a sentence of its own). */
function voiceNoteLine(r: ResultSummary, t: Translate, locale: ReplyLocale): string {
  if (r.voiceNotes?.length) return `\n🗣️ ${escapeMarkdown(r.voiceNotes.map((n) => voiceNoteText(n, t, locale)).join(' '))}`;
  return r.voiceNote ? `\n🗣️ ${escapeMarkdown(r.voiceNote)}.` : '';
}

/** A language's name in the member's language ("Spanisch", "スペイン語"); English names from our own table. */
function nameOfLanguage(code: string, locale: ReplyLocale): string {
  if (locale === 'en') return languageName(code);
  try {
    return new Intl.DisplayNames([locale], { type: 'language' }).of(code) ?? languageName(code);
  } catch {
    return languageName(code);
  }
}

/** "Spanish (es) · Lupita": the language and the voices that read it. */
function languageField(r: ResultSummary, t: Translate, locale: ReplyLocale): { name: string; value: string; inline: boolean }[] {
  if (!r.language) return [];
  const voices = [...new Set(r.voices ?? [])].join(', ');
  const value = `${nameOfLanguage(r.language, locale)} (${r.language})${voices ? ` · ${escapeMarkdown(voices)}` : ''}`;
  return [{ name: t('result.languageVoice'), value: truncate(value, 1024), inline: false }];
}

/** The finished video's embed; `locale` only names the story's language in the member's words. */
export function renderResultEmbed(r: ResultSummary, t: Translate, locale: ReplyLocale = 'en'): APIEmbed {
  const stand = r.fallbackScenes.length ? `\n🟨 ${t('result.standIns', { scenes: r.fallbackScenes.map((i) => i + 1).join(', ') })}` : '';
  return {
    title: safeTitle(r.title, t('progress.untitled')),
    description: truncate(
      `🎬 ${t('result.ready', { user: `<@${r.requesterId}>` })}${stand}${r.note ? `\nℹ️ ${r.note}` : ''}${voiceNoteLine(r, t, locale)}`,
      4096,
    ),
    color: COLORS.done,
    fields: [
      { name: t('result.scenes'), value: String(r.scenes), inline: true },
      { name: t('result.length'), value: formatSeconds(r.durationSeconds, t), inline: true },
      { name: t('result.madeIn'), value: formatSeconds(r.tookSeconds, t), inline: true },
      { name: t('result.size'), value: t('result.mebibytes', { size: memberText(locale).mebibytes(r.sizeBytes) }), inline: true },
      {
        name: t('result.madeWith'),
        value: truncate(t('result.madeWithValue', r.providers), 1024),
        inline: false,
      },
      ...languageField(r, t, locale),
    ],
    footer: { text: t('result.footer', { id: r.jobId }) },
  };
}

const END_HEAD = {
  failed: 'failure.failedHead',
  cancelled: 'failure.cancelledHead',
  interrupted: 'failure.interruptedHead',
} as const;

export function renderEndEmbed(
  title: string,
  kind: 'failed' | 'cancelled' | 'interrupted',
  message: string,
  jobId: string,
  t: Translate,
): APIEmbed {
  return {
    title: safeTitle(title, t('progress.untitled')),
    description: truncate(`${t(END_HEAD[kind])}\n${message}`, 4096),
    color: kind === 'cancelled' ? COLORS.queued : COLORS.failed,
    footer: { text: t('result.footer', { id: jobId }) },
  };
}
