/**
 * The scene writer's narration is bounded by the story (about 1.5x its characters) before any voice
 * request: a writer that returns a huge narration is given up on, the offline writer cuts the scenes
 * from the story itself, and the voice service is only ever asked for the story's own words.
 * Real engine, real OpenAI-compatible client and Inworld client against the fakes, real ffmpeg.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FOUR_SCENES, startBadDay, ttsText, type BadDay } from '../support/bad-day-harness.js';
import { narrationCap, narrationTooLong } from '../../src/engine/narration-cap.js';

let day: BadDay | undefined;
afterEach(async () => {
  await day?.close();
  day = undefined;
});

describe('narration cap', () => {
  it('a writer returning a huge narration: no voice request speaks it; the offline writer stands in and says why', async () => {
    day = await startBadDay({ llm: true });
    day.llm!.script.push({ kind: 'huge' });
    const result = await day.render('huge-narration');

    // given up on at once: no repair request (the answer is well formed, only far too long)
    expect(day.llm!.record).toHaveLength(1);
    expect(result.script.writer).toBe('local');
    expect(result.script.fallbackReason).toMatch(
      /^openai writer: its narration was [\d,]+ characters, more than the [\d,]+ allowed for a \d+-character story \(1\.5x\); the local writer cut the scenes$/,
    );
    // every voice request speaks the story's own words, never the writer's repeats
    const spoken = day.inworld.record.map(ttsText);
    expect(spoken.length).toBeGreaterThan(0);
    expect(spoken.join(' ').length).toBeLessThanOrEqual(narrationCap(FOUR_SCENES.length));
    for (const text of spoken) expect(FOUR_SCENES).toContain(text);
    expect(day.logs.join('\n')).toMatch(/the offline writer stands in/);
  }, 120_000);

  it('the cap: 1.5x the story, with slack for a very short one', () => {
    expect(narrationCap(10_000)).toBe(15_000);
    expect(narrationCap(20)).toBe(320);
    expect(narrationTooLong(['a'.repeat(1500)], 'b'.repeat(1000))).toBeUndefined();
    expect(narrationTooLong(['a'.repeat(1000), 'a'.repeat(501)], 'b'.repeat(1000))).toMatch(
      /1,501 characters, more than the 1,500 allowed/,
    );
  });
});
