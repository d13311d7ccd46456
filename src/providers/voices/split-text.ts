/** Long narration -> parts under a service's character limit, cut at sentence ends (then words). */
const sentences = new Intl.Segmenter(undefined, { granularity: 'sentence' });

export function splitForLimit(text: string, limit: number): string[] {
  const parts: string[] = [];
  let current = '';
  const push = (piece: string) => {
    if (current && current.length + piece.length > limit) {
      parts.push(current.trim());
      current = '';
    }
    current += piece;
  };
  for (const { segment } of sentences.segment(text)) {
    if (segment.length <= limit) {
      push(segment);
      continue;
    }
    // A single sentence over the limit: cut it between words.
    for (const word of segment.split(/(?<=\s)/)) {
      if (word.length > limit) for (let i = 0; i < word.length; i += limit) push(word.slice(i, i + limit));
      else push(word);
    }
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}
