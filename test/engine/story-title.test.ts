import { describe, expect, it } from 'vitest';
import { storyTitle } from '../../src/engine/story-title.js';

describe('storyTitle: what the waiting embed and history call a story before its script exists', () => {
  it('is the title line when the story opens with one (the title card), not the title run into the first sentence', () => {
    expect(storyTitle("The Clockmaker's Fox\n\nOld Henrike kept a fox. It slept by the stove.")).toBe("The Clockmaker's Fox");
  });
  it('is the first sentence of a story without a title line', () => {
    expect(storyTitle('Old Henrike kept a fox. It slept by the stove.')).toBe('Old Henrike kept a fox');
  });
});
