import { describe, expect, it } from 'vitest';
import { planDialogue } from '../../src/engine/dialogue-plan.js';
import { systemPrompt } from '../../src/providers/writers/openai.js';
import type { Script } from '../../src/core/story.js';

/** A script as the LLM writer answers it: quoted lines with their speakers named, the cast described. */
const SCRIPT: Script = {
  title: 'Night market',
  writer: 'openai',
  cast: [
    { name: 'Lena', description: 'a girl of ten in a yellow raincoat' },
    { name: 'Fox', description: 'a red fox with a lantern' },
  ],
  scenes: [
    { index: 0, narration: 'The market glowed under the rain.', imagePrompt: 'a night market' },
    { index: 1, narration: '"Are you lost?" asked the fox. "No," Lena said, "I am looking."', imagePrompt: 'Lena and Fox' },
  ],
};

describe('planDialogue', () => {
  it('asks the LLM writer to mark who speaks and to say who is a woman or a man', () => {
    const prompt = systemPrompt({ aspect: '9:16' });
    expect(prompt).toMatch(/Keep spoken lines in quotation marks, and name who says each one/);
    expect(prompt).toMatch(/say woman, man, girl or boy/);
  });

  it('gives quoted lines to the cast, scenes without dialogue stay one segment', () => {
    const plan = planDialogue(
      SCRIPT,
      'en',
      { provider: 'edge', voice: 'en-US-EmmaMultilingualNeural' },
      { provider: 'espeak', voice: 'en-us' },
    );
    expect(plan.segments[0]).toBeUndefined();
    expect(plan.speakers).toEqual([
      { name: 'Fox', voice: 'en-US-AndrewMultilingualNeural' },
      { name: 'Lena', voice: 'en-US-AvaMultilingualNeural' },
    ]);
    // Lena is a girl: a woman's voice (the narrator's own excepted); the fox takes the next free one
    expect(plan.fallbackSpeakers.map((s) => s.voice)).toEqual(['en-us+m3', 'en-us+f3']);
    expect(plan.segments[1]).toEqual([
      { text: '"Are you lost?"', voice: 'en-US-AndrewMultilingualNeural', fallbackVoice: 'en-us+m3' },
      { text: 'asked the fox.' },
      { text: '"No,"', voice: 'en-US-AvaMultilingualNeural', fallbackVoice: 'en-us+f3' },
      { text: 'Lena said,' },
      { text: '"I am looking."', voice: 'en-US-AvaMultilingualNeural', fallbackVoice: 'en-us+f3' },
    ]);
  });

  it('narrator-only: no segments, no speakers', () => {
    const plan = planDialogue(SCRIPT, 'en', { provider: 'edge' }, undefined, 'narrator-only');
    expect(plan).toEqual({ segments: [undefined, undefined], speakers: [], fallbackSpeakers: [] });
  });
});
