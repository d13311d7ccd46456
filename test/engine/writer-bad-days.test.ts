/**
 * The LLM scene writer's bad days, end to end (real engine, real OpenAI-compatible client, fakes on
 * 127.0.0.1, real ffmpeg): an unusable answer gets one repair request; unusable twice, the offline
 * writer cuts the scenes and the script, the result and the 'script' event say why. A good answer
 * inside a ```json fence is used as is. The video comes out every time, and no key shows anywhere.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { expectNoKeys, expectPlayable, startBadDay, type BadDay } from '../support/bad-day-harness.js';
import { FAKE_BRIEF, FAKE_TITLE } from '../fakes/llm.js';
import type { ProgressEvent } from '../../src/engine/events.js';

let day: BadDay | undefined;
afterEach(async () => {
  await day?.close();
  day = undefined;
});

const scriptEvents = (events: ProgressEvent[]) =>
  events.filter((e): e is Extract<ProgressEvent, { type: 'script' }> => e.type === 'script');

/** The messages of a recorded chat request. */
const messagesOf = (body: string) => (JSON.parse(body) as { messages: { role: string; content: string }[] }).messages;

describe('LLM writer bad days, end to end', () => {
  it.each([
    { kind: 'broken', reason: /JSON is broken/ },
    { kind: 'too-many', reason: /there are 7 scenes, 4 were asked for/ },
    { kind: 'empty-field', reason: /empty imagePrompt/ },
  ])('$kind twice: one repair request, then the offline writer, and the script says why', async ({ kind, reason }) => {
    day = await startBadDay({ llm: true });
    day.llm!.script.push({ kind }, { kind });
    const result = await day.render(`writer-${kind}`);

    await expectPlayable(result, { min: 4, max: 40 });
    // The first request and exactly one repair, which quotes the reason back.
    expect(day.llm!.record).toHaveLength(2);
    const repair = messagesOf(day.llm!.record[1]!.body);
    expect(repair.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(repair.at(-1)!.content).toMatch(/That answer cannot be used/);
    expect(repair.at(-1)!.content).toMatch(reason);

    expect(result.script.writer).toBe('local');
    expect(result.providers.writer).toBe('local');
    expect(result.script.fallbackReason).toMatch(/^openai writer: its answer was unusable twice/);
    expect(result.script.fallbackReason).toMatch(reason);
    expect(result.script.fallbackReason).toMatch(/the local writer cut the scenes/);
    expect(result.scenes).toBe(4);
    expect(result.script.title).not.toBe(FAKE_TITLE);
    // The scenes still get real images and voices; only the writer stood in.
    expect(result.fallbackScenes).toEqual([]);
    for (const r of day.polli!.record) expect(r.path).not.toContain(FAKE_BRIEF);

    const events = scriptEvents(day.events);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ writer: 'local', scenes: 4, fallbackReason: result.script.fallbackReason });
    expect(day.logs.join('\n')).toMatch(/the offline writer stands in/);
    // The reason is printed once (the repair's own note is debug only), whoever decided.
    const printed = day.logs.filter((l) => !l.includes(' DEBUG ') && reason.test(l));
    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatch(/WARN \[writer\] the scene writer failed; the offline writer stands in/);
    expectNoKeys(day.events, day.logs, result);
  });

  it('broken once, then a good repair: the LLM script is used, no fallback', async () => {
    day = await startBadDay({ llm: true });
    day.llm!.script.push({ kind: 'broken' });
    const result = await day.render('writer-repaired');

    await expectPlayable(result, { min: 4, max: 40 });
    expect(day.llm!.record).toHaveLength(2);
    expect(result.script.writer).toBe('openai');
    expect(result.script.fallbackReason).toBeUndefined();
    expect(result.script.title).toBe(FAKE_TITLE);
    expect(scriptEvents(day.events)[0]).toMatchObject({ writer: 'openai', scenes: 4 });
    expect(scriptEvents(day.events)[0]!.fallbackReason).toBeUndefined();
    expectNoKeys(day.events, day.logs, result);
  });

  it('JSON inside a ```json fence: used as is, one request, no fallback', async () => {
    day = await startBadDay({ llm: true });
    day.llm!.script.push({ kind: 'fence' });
    const result = await day.render('writer-fence');

    await expectPlayable(result, { min: 4, max: 40 });
    expect(day.llm!.record).toHaveLength(1);
    expect(result.script.writer).toBe('openai');
    expect(result.providers.writer).toBe('openai');
    expect(result.script.fallbackReason).toBeUndefined();
    expect(result.script.title).toBe(FAKE_TITLE);
    expect(result.script.visualBrief).toBe(FAKE_BRIEF);
    expect(result.scenes).toBe(4);
    expect(result.fallbackScenes).toEqual([]);
    for (const r of day.polli!.record) expect(r.path).toContain('red fox with a green scarf');
    const events = scriptEvents(day.events);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ writer: 'openai', scenes: 4 });
    expect(events[0]!.fallbackReason).toBeUndefined();
    expectNoKeys(day.events, day.logs, result);
  });
});
