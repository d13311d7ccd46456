/**
 * A job's message in the member's language: the pure builders (progress, result and end embeds,
 * buttons, redo menu, failure texts) say what de.json / ja.json say, English stays the default,
 * and the language chosen at admission is kept by history and carried by the ticket.
 */
import { describe, expect, it } from 'vitest';
import { ProgressState } from '../../src/discord/progress-state.js';
import { renderEndEmbed, renderProgressEmbed, renderResultEmbed, type ResultSummary } from '../../src/discord/progress-embed.js';
import { interruptedButtons, resultButtons, workingButtons } from '../../src/discord/result-buttons.js';
import { redoMenu } from '../../src/discord/redo-menu.js';
import { failureTextForMembers } from '../../src/discord/failure-text.js';
import { MissingChannelAccessError } from '../../src/discord/job-message.js';
import { OutputTooLargeError } from '../../src/engine/final-mux.js';
import { jobOptionsSchema } from '../../src/store/job-record.js';
import { jobTicketSchema } from '../../src/jobs/job-ticket.js';
import { jobTranslator } from '../../src/discord/job-locale.js';
import { memberText } from '../../src/discord/member-text.js';
import { BlockedWordError } from '../../src/core/blocked-words.js';
import { StoryInputError } from '../../src/engine/story-input.js';
import { translator } from '../../src/i18n/translate.js';
import de from '../../src/i18n/locales/de.json' with { type: 'json' };
import ja from '../../src/i18n/locales/ja.json' with { type: 'json' };
import en from '../../src/i18n/locales/en.json' with { type: 'json' };

const FILES = { de, ja } as const;

function runningState(): ProgressState {
  const state = new ProgressState('Der Fuchs');
  state.started(1000);
  state.apply({ type: 'script', atMs: 1, scenes: 2, writer: 'local', fallbackReason: 'offline' });
  state.apply({ type: 'asset', atMs: 2, scene: 0, kind: 'image', state: 'done', attempt: 1, provider: 'p' });
  state.apply({ type: 'asset', atMs: 2, scene: 0, kind: 'voice', state: 'done', attempt: 1, provider: 'v' });
  return state;
}

const summary: ResultSummary = {
  title: 'Der Fuchs',
  scenes: 3,
  durationSeconds: 75,
  tookSeconds: 12,
  sizeBytes: 5 * 1024 * 1024,
  providers: { writer: 'local', image: 'pollinations', voice: 'inworld' },
  fallbackScenes: [1],
  jobId: 'abc',
  requesterId: '42',
  language: 'es',
  voices: ['Lupita'],
};

const labels = (rows: { toJSON(): unknown }[]) =>
  rows.flatMap((r) => (r.toJSON() as { components: { label?: string; placeholder?: string }[] }).components);

describe.each(['de', 'ja'] as const)('a job message in %s', (locale) => {
  const t = translator(locale);
  const file = FILES[locale];

  it('progress: queue place, phase, times, note, legend and Cancel in the file’s words', () => {
    const queued = new ProgressState('x');
    queued.queued(3);
    expect(renderProgressEmbed(queued, 0, t).description).toBe(file.progress.waitingPosition.replace('{{position}}', '3'));
    queued.queued(1);
    expect(renderProgressEmbed(queued, 0, t).description).toBe(file.progress.waitingNext);

    const embed = renderProgressEmbed(runningState(), 66_000, t);
    const text = embed.description!;
    expect(text).toContain(file.progress.generating);
    expect(text).toContain(file.progress.offlineScenes);
    expect(text).toContain(file.progress.legend);
    expect(text).toContain(file.progress.elapsed.replace('{{elapsed}}', t('progress.minutesSeconds', { minutes: 1, seconds: '05' })));
    expect(text).toContain(file.progress.left.split('{{')[0]!);
    expect(text).not.toContain(en.progress.generating);
    expect(text).not.toContain('elapsed');
    expect(labels(workingButtons('j1', t)).map((c) => c.label)).toEqual([file.progress.cancel]);
    expect(file.progress.cancel).not.toBe(en.progress.cancel);
  });

  it('result: field names, description, footer, buttons and redo menu', () => {
    const embed = renderResultEmbed(summary, t, locale);
    expect(embed.fields!.map((f) => f.name)).toEqual([
      file.result.scenes,
      file.result.length,
      file.result.madeIn,
      file.result.size,
      file.result.madeWith,
      file.result.languageVoice,
    ]);
    expect(embed.fields!.map((f) => f.name)).not.toContain('Made with');
    expect(embed.description).toContain(file.result.ready.replace('{{user}}', '<@42>'));
    expect(embed.description).toContain(file.result.standIns.replace('{{scenes}}', '2'));
    expect(embed.footer?.text).toBe(file.result.footer.replace('{{id}}', 'abc'));
    // The story's language named in the member's language, not in English.
    expect(embed.fields!.at(-1)!.value).not.toContain('Spanish');
    expect(embed.fields!.at(-1)!.value).toContain('(es) · Lupita');

    expect(labels(resultButtons('j1', { canNewImages: true }, t)).map((c) => c.label)).toEqual([
      file.result.rerun,
      file.result.newImages,
      file.result.subtitles,
      file.result.delete,
    ]);
    expect(labels(interruptedButtons('j1', t)).map((c) => c.label)).toEqual([file.result.rerun, file.result.delete]);
    expect(file.result.rerun).not.toBe(en.result.rerun);

    const [menu] = labels(redoMenu('j1', { scenes: [{ index: 0, narration: 'Der Fuchs fand eine Laterne.', imagePrompt: 'x' }] }, t)) as {
      placeholder?: string;
      options?: { label: string }[];
    }[];
    expect(menu!.placeholder).toBe(file.result.redoPlaceholder);
    expect(menu!.options![0]!.label).toBe(`${file.result.sceneLabel.replace('{{scene}}', '1')} Der Fuchs fand eine Laterne.`);
  });

  it('end and failure texts', () => {
    const failed = renderEndEmbed(
      'x',
      'failed',
      failureTextForMembers(new Error('ffmpeg exited 1 at /tmp/x'), memberText(locale)),
      'abc',
      t,
    );
    expect(failed.description).toBe(`${file.failure.failedHead}\n${file.failure.plain}`);
    expect(renderEndEmbed('x', 'cancelled', 'c', 'abc', t).description).toBe(`${file.failure.cancelledHead}\nc`);
    expect(renderEndEmbed('x', 'interrupted', 'i', 'abc', t).description).toBe(`${file.failure.interruptedHead}\ni`);
    expect(failureTextForMembers(new MissingChannelAccessError('English'), memberText(locale))).toBe(file.failure.channelAccess);
    const big = failureTextForMembers(new OutputTooLargeError('English', 12 * 1024 * 1024, 10 * 1024 * 1024), memberText(locale));
    expect(failureTextForMembers(new BlockedWordError('drache', 'Scene 2’s narration'), memberText(locale))).toBe(
      file.failure.blockedWord.replace('{{word}}', 'drache'),
    );
    expect(failureTextForMembers(new StoryInputError('English', { code: 'empty' }), memberText(locale))).toBe(file.story.input.empty);
    expect(big).toBe(file.failure.outputTooLarge.replace('{{size}}', '12.0 MiB').replace('{{limit}}', '10.0 MiB'));
  });
});

describe('English stays the default', () => {
  it('a job without a language speaks English', () => {
    const t = jobTranslator({});
    expect(renderProgressEmbed(runningState(), 10_000, t).description).toContain('Making images and narration…');
    expect(labels(resultButtons('j', { canNewImages: true }, t)).map((c) => c.label)).toEqual([
      'Re-run',
      'New images',
      'Subtitles',
      'Delete',
    ]);
    expect(renderResultEmbed(summary, t).fields!.at(-1)).toMatchObject({ name: 'Language · voice', value: 'Spanish (es) · Lupita' });
  });
});

describe('the job keeps its language', () => {
  const options = { aspect: '9:16', maxBytes: 1000, seed: 1 } as const;

  it('history and tickets take one of our languages, read an unknown one as English, and leave it absent when absent', () => {
    expect(jobOptionsSchema.parse({ ...options, locale: 'ja' }).locale).toBe('ja');
    expect(jobOptionsSchema.parse({ ...options, locale: 'sv-SE' }).locale).toBe('en');
    expect(jobOptionsSchema.parse({ ...options, locale: 42 }).locale).toBe('en');
    expect(jobOptionsSchema.parse(options).locale).toBeUndefined();
    const ticket = jobTicketSchema.parse({
      id: 'job0123456789',
      kind: 'story',
      guildId: '1',
      channelId: '2',
      userId: '3',
      story: 'x',
      options: { ...options, locale: 'de' },
      attempts: 0,
      message: { applicationId: '4' },
    });
    expect(ticket.options.locale).toBe('de');
    expect(jobTranslator(ticket.options)('result.rerun')).toBe(de.result.rerun);
  });
});
