import { describe, expect, it } from 'vitest';
import { renderNotes } from '../../src/cli/render-notes.js';

describe('renderNotes', () => {
  it('says why there are fewer scenes than asked: a scene needs at least one sentence', () => {
    expect(renderNotes({ askedScenes: 20, scenes: 17, writer: 'local' })).toEqual([
      'made 17 scenes, not the 20 asked for: the story has 17 sentences, and a scene needs at least one',
    ]);
    expect(renderNotes({ askedScenes: 4, scenes: 3, writer: 'openai' })).toEqual([
      'made 3 scenes, not the 4 asked for: the openai writer made no more',
    ]);
  });

  it('says nothing when the count was met or not asked for', () => {
    expect(renderNotes({ askedScenes: 5, scenes: 5, writer: 'local' })).toEqual([]);
    expect(renderNotes({ scenes: 3, writer: 'local' })).toEqual([]);
  });
});
