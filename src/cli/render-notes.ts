/**
 * What a user should know about a finished video that the numbers do not say: today, fewer
 * scenes than `--scenes` asked for. Printed on stderr, and in `--json` as `notes`.
 */
export interface NoteInput {
  /** `--scenes`, when given. */
  askedScenes?: number;
  scenes: number;
  /** Which writer cut the scenes ("local" cuts at sentence boundaries). */
  writer: string;
}

export function renderNotes(input: NoteInput): string[] {
  const notes: string[] = [];
  const { askedScenes, scenes, writer } = input;
  if (askedScenes !== undefined && scenes < askedScenes) {
    // The local writer never splits a sentence, so it makes at most one scene per sentence; an
    // LLM writer must give exactly the count asked for, or the local writer stands in.
    const why =
      writer === 'local'
        ? `the story has ${scenes} sentence${scenes === 1 ? '' : 's'}, and a scene needs at least one`
        : `the ${writer} writer made no more`;
    notes.push(`made ${scenes} scene${scenes === 1 ? '' : 's'}, not the ${askedScenes} asked for: ${why}`);
  }
  return notes;
}
