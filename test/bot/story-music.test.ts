/** /story's music option (issue 20, item 7): validation, the modal's id, the command's choices, history, and a retry keeping it. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkStoryRequest } from '../../src/bot/story-request.js';
import { parseStoryModalId, storyModalId } from '../../src/discord/custom-ids.js';
import { JobHistory } from '../../src/store/job-history.js';
import { requestFrom } from '../../src/bot/start-story.js';
import { data as storyCommand } from '../../commands/story.js';

describe('the music option', () => {
  it('takes a mood or none, and says which when it is neither', () => {
    expect(checkStoryRequest('The owl sang.', { music: 'mystery' })).toEqual({
      ok: true,
      value: { story: 'The owl sang.', aspect: '9:16', music: 'mystery' },
    });
    expect(checkStoryRequest('x', { music: 'none' })).toMatchObject({ ok: true, value: { music: 'none' } });
    // a file is for the command line only: the bot has no files of its users
    expect(checkStoryRequest('x', { music: '/etc/passwd.mp3' })).toEqual({
      ok: false,
      message: 'Music must be one of calm, warm, mystery, bright, none.',
    });
    // unset stays absent: the render host's DEFAULT_MUSIC applies
    expect(checkStoryRequest('x', {})).toEqual({ ok: true, value: { story: 'x', aspect: '9:16' } });
  });

  it('rides in the modal id, which stays as it was without it', () => {
    const id = storyModalId({ aspect: '9:16', scenes: 12, style: 'watercolor', voice: 'storyteller', music: 'mystery' });
    expect(id.length).toBeLessThanOrEqual(100);
    expect(parseStoryModalId(id)).toEqual({ aspect: '9:16', scenes: 12, style: 'watercolor', voice: 'storyteller', music: 'mystery' });
    const all = storyModalId({ aspect: '1:1', language: 'ja', captions: 'plain', music: 'none' });
    expect(parseStoryModalId(all)).toEqual({ aspect: '1:1', language: 'ja', captions: 'plain', music: 'none' });
    expect(storyModalId({ aspect: '1:1', language: 'ja' })).toBe('sr:modal:1:1||||ja|');
    expect(parseStoryModalId('sr:modal:9:16||||||loud')).toBeUndefined();
  });

  it('/story offers the four moods and none', () => {
    const options = storyCommand.toJSON().options ?? [];
    const music = options.find((o) => o.name === 'music') as { choices?: { value: string }[] } | undefined;
    expect(music?.choices?.map((c) => c.value)).toEqual(['calm', 'warm', 'mystery', 'bright', 'none']);
  });
});

describe('history keeps the music', () => {
  let dir: string;
  let history: JobHistory;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sr-music-store-'));
    history = new JobHistory(join(dir, 'storyreel.sqlite'));
  });
  afterEach(async () => {
    history.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('in the options, read back after a reopen, and a retry asks for the same', () => {
    const job = history.create({
      kind: 'story',
      guildId: '111111111111111111',
      channelId: '222222222222222222',
      userId: '333333333333333333',
      story: 'The lighthouse. The keeper climbed.',
      options: { aspect: '9:16', maxBytes: 10_485_760, seed: 7, music: 'warm' },
    });
    history.close();
    history = new JobHistory(join(dir, 'storyreel.sqlite'));
    const back = history.get(job.id)!;
    expect(back.options).toMatchObject({ music: 'warm' });
    expect(requestFrom(back).music).toBe('warm');
  });
});
