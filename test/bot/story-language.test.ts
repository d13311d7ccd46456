/** /story's language and captions options: validation, the modal's id, the command, the embed, history. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkStoryRequest } from '../../src/bot/story-request.js';
import { parseStoryModalId, storyModalId } from '../../src/discord/custom-ids.js';
import { renderResultEmbed, type ResultSummary } from '../../src/discord/progress-embed.js';
import { JobHistory } from '../../src/store/job-history.js';
import { translator } from '../../src/i18n/translate.js';
import { data as storyCommand, LANGUAGE_CHOICES } from '../../commands/story.js';
import { chooseVoice } from '../../src/providers/voice-presets.js';

describe('the request', () => {
  it('normalizes the language, checks captions, and keeps the locale as a hint', () => {
    const ok = checkStoryRequest('Un zorro encontró una linterna.', { language: 'pt-BR', captions: 'plain', languageHint: 'es-ES' });
    expect(ok).toEqual({
      ok: true,
      value: { story: 'Un zorro encontró una linterna.', aspect: '9:16', language: 'pt', captions: 'plain', languageHint: 'es' },
    });
    expect(checkStoryRequest('x', { language: 'klingon' })).toEqual({
      ok: false,
      message: 'Language must be a language code like en, es, ja or pt-BR.',
    });
    expect(checkStoryRequest('x', { captions: 'fancy' })).toEqual({ ok: false, message: 'Captions must be one of karaoke, plain, none.' });
    // An unknown locale is no error, only no hint; unset options stay absent.
    expect(checkStoryRequest('x', { languageHint: 'xx-YY' })).toEqual({ ok: true, value: { story: 'x', aspect: '9:16' } });
  });

  it('the modal id carries language and captions, and is unchanged without them', () => {
    const id = storyModalId({ aspect: '9:16', scenes: 12, style: 'watercolor', voice: 'storyteller', language: 'ja', captions: 'karaoke' });
    expect(id.length).toBeLessThanOrEqual(100);
    expect(parseStoryModalId(id)).toEqual({
      aspect: '9:16',
      scenes: 12,
      style: 'watercolor',
      voice: 'storyteller',
      language: 'ja',
      captions: 'karaoke',
    });
    expect(storyModalId({ aspect: '1:1' })).toBe('sr:modal:1:1|||');
    // A form opened before this change still works.
    expect(parseStoryModalId('sr:modal:9:16|3||deep')).toEqual({ aspect: '9:16', scenes: 3, voice: 'deep' });
    expect(parseStoryModalId('sr:modal:9:16||||EN|loud')).toBeUndefined();
  });

  it('/story offers 25 languages and the three caption modes', () => {
    const options = storyCommand.toJSON().options ?? [];
    const language = options.find((o) => o.name === 'language') as { choices?: { name: string; value: string }[] } | undefined;
    const captions = options.find((o) => o.name === 'captions') as { choices?: { value: string }[] } | undefined;
    expect(language?.choices).toHaveLength(25);
    expect(language?.choices).toContainEqual(expect.objectContaining({ name: 'Japanese (ja)', value: 'ja' }));
    expect(new Set(LANGUAGE_CHOICES).size).toBe(25);
    expect(captions?.choices?.map((c) => c.value)).toEqual(['karaoke', 'plain', 'none']);
  });
});

describe('the result embed', () => {
  const base: ResultSummary = {
    title: 'El faro',
    scenes: 2,
    durationSeconds: 12,
    tookSeconds: 30,
    sizeBytes: 2_000_000,
    providers: { writer: 'local', image: 'local', voice: 'inworld' },
    fallbackScenes: [],
    jobId: 'abc123def',
    requesterId: '333333333333333333',
  };

  it('shows the language and the voice, and why when it is not a voice of the language', () => {
    const embed = renderResultEmbed({ ...base, language: 'es', voices: ['Lupita', 'Lupita'] }, translator('en'));
    expect(embed.fields).toContainEqual({ name: 'Language · voice', value: 'Spanish (es) · Lupita', inline: false });
    const noted = renderResultEmbed(
      {
        ...base,
        language: 'tr',
        voices: ['Ashley'],
        voiceNote: 'no Inworld voice speaks Turkish; Ashley (English) reads it',
      },
      translator('en'),
    );
    expect(noted.description).toContain('🗣️ no Inworld voice speaks Turkish; Ashley (English) reads it.');
    // Jobs from before languages have no such field.
    expect(renderResultEmbed(base, translator('en')).fields?.map((f) => f.name)).not.toContain('Language · voice');
  });

  it("says why another voice read the story in the member's language, from the voice choice's own data", () => {
    // the real choices: Inworld has no Turkish voice (an English one reads it); espeak-ng reads Chinese poorly
    const turkish = chooseVoice('inworld', 'tr');
    const chinese = chooseVoice('espeak', 'zh');
    expect(turkish.said).toEqual({
      kind: 'other-language',
      provider: 'Inworld',
      language: 'tr',
      voice: turkish.voice,
      voiceLanguage: 'en',
    });
    expect(chinese.said).toEqual({ kind: 'rough', provider: 'espeak-ng', language: 'zh' });
    const summary = { ...base, language: 'tr', voices: [turkish.voice!], voiceNote: turkish.note!, voiceNotes: [turkish.said!] };
    const de = renderResultEmbed(summary, translator('de'), 'de');
    expect(de.description).toContain(`🗣️ Keine Stimme von Inworld spricht Türkisch; ${turkish.voice} (Englisch) liest es.`);
    expect(de.description).not.toContain('reads it');
    const ja = renderResultEmbed({ ...summary, language: 'zh', voiceNotes: [chinese.said!] }, translator('ja'), 'ja');
    expect(ja.description).toContain('🗣️ espeak-ng は中国語をうまく読めません');
    // sizes in the member's number format
    expect(de.fields).toContainEqual(expect.objectContaining({ value: expect.stringMatching(/^1,9 MiB/) }));
    // English members read the same sentence as the CLI's note
    expect(renderResultEmbed(summary, translator('en')).description).toContain(
      `🗣️ No Inworld voice speaks Turkish; ${turkish.voice} (English) reads it.`,
    );
  });
});

describe('history keeps the language, captions and voices', () => {
  let dir: string;
  let history: JobHistory;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sr-lang-store-'));
    history = new JobHistory(join(dir, 'storyreel.sqlite'));
  });
  afterEach(async () => {
    history.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('in the options and result JSON, read back after a reopen', () => {
    const job = history.create({
      kind: 'story',
      guildId: '111111111111111111',
      channelId: '222222222222222222',
      userId: '333333333333333333',
      story: 'El faro. El guardián subió.',
      options: { aspect: '9:16', maxBytes: 10_485_760, seed: 7, language: 'es', languageHint: 'pt', captions: 'plain' },
    });
    history.markRunning(job.id);
    const voice = { provider: 'inworld', cacheKey: 'ab'.repeat(32), cached: false, fallback: false, silent: false, voice: 'Lupita' };
    const image = { provider: 'local', cacheKey: 'cd'.repeat(32), cached: false, fallback: false };
    history.saveProgress(job.id, { sceneResults: [{ index: 0, seed: 7, seconds: 3, narrationSeconds: 2.5, image, voice }] });
    const result = {
      durationSeconds: 3,
      width: 720,
      height: 1280,
      sizeBytes: 1000,
      scenes: 1,
      fallbackScenes: [],
      providers: { writer: 'local', image: 'local', voice: 'inworld' },
      language: 'es',
      voices: ['Lupita'],
    };
    history.finish(job.id, { status: 'done', result });
    history.close();
    history = new JobHistory(join(dir, 'storyreel.sqlite'));
    const back = history.get(job.id)!;
    expect(back.options).toMatchObject({ language: 'es', languageHint: 'pt', captions: 'plain' });
    expect(back.result).toMatchObject({ language: 'es', voices: ['Lupita'] });
    expect(back.sceneResults?.[0]?.voice.voice).toBe('Lupita');
  });
});
