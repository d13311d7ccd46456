/**
 * A server's blocked words on the scene writer's output: the LLM writer puts a character the story
 * never named into the image prompts; the job stops once the script is written, naming the word,
 * before any image or voice is asked for.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startBadDay, type BadDay } from '../support/bad-day-harness.js';
import { BlockedWordError } from '../../src/core/blocked-words.js';
import { failureTextForMembers } from '../../src/discord/failure-text.js';
import { memberText } from '../../src/discord/member-text.js';

let day: BadDay | undefined;
afterEach(async () => {
  await day?.close();
  day = undefined;
});

const requestsTo = (d: BadDay) => ({
  images: d.polli?.record.filter((r) => r.path.startsWith('/image/')).length ?? 0,
  voices: d.inworld.record.length,
});

describe('blocked words in the written script', () => {
  it("stops before any image or voice when the LLM writer's image prompts name a blocked word", async () => {
    day = await startBadDay({ llm: { cast: [{ name: 'the Dragon', description: 'a green dragon with copper scales', scenes: [2] }] } });
    const error = await day.render('blocked-llm', { blockedWords: ['drágon'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BlockedWordError);
    expect((error as BlockedWordError).word).toBe('drágon');
    expect((error as Error).message).toMatch(/Scene 3’s image prompt contains the blocked word “drágon”/);
    expect(failureTextForMembers(error, memberText('en'))).toMatch(/script contains the blocked word “drágon”/);
    expect(failureTextForMembers(error, memberText('de'))).toMatch(/gesperrte Wort „drágon“/);
    expect(day.llm!.record.length).toBeGreaterThan(0);
    expect(requestsTo(day)).toEqual({ images: 0, voices: 0 });
  });

  it('stops the local writer too; a word that only contains the blocked one renders', async () => {
    day = await startBadDay({});
    const blocked = await day
      .render('blocked-local', { story: 'A DRAGON slept under the hill. The village was quiet.', scenes: 2, blockedWords: ['dragon'] })
      .catch((e: unknown) => e);
    expect(blocked).toBeInstanceOf(BlockedWordError);
    expect((blocked as Error).message).toMatch(/Scene 1’s narration|The title/);
    expect(requestsTo(day)).toEqual({ images: 0, voices: 0 });

    const fine = await day.render('fine-local', {
      story: 'A dragonfly slept under the hill. The village was quiet.',
      scenes: 2,
      blockedWords: ['dragon'],
    });
    expect(fine.scenes).toBe(2);
    expect(requestsTo(day).voices).toBeGreaterThan(0);
  });
});
