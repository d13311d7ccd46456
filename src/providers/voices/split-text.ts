/**
 * Long narration -> parts within a service's character limit, cut at sentence ends
 * (Intl.Segmenter); a single sentence over the limit is cut between words, and a single "word"
 * over it (a URL, say) between code points. No text is lost and parts are trimmed.
 * Lengths are in UTF-16 units, which never undercount characters.
 */
const sentences = new Intl.Segmenter(undefined, { granularity: 'sentence' });

function pieces(segment: string, limit: number): string[] {
  if (segment.length <= limit) return [segment];
  const out: string[] = [];
  for (const word of segment.split(/(?<=\s)/)) {
    if (word.length <= limit) {
      out.push(word);
      continue;
    }
    let chunk = '';
    for (const ch of word) {
      if (chunk.length + ch.length > limit) {
        out.push(chunk);
        chunk = '';
      }
      chunk += ch;
    }
    if (chunk) out.push(chunk);
  }
  return out;
}

export function splitForLimit(text: string, limit: number): string[] {
  if (limit < 2) throw new RangeError('limit must be at least 2');
  const parts: string[] = [];
  let current = '';
  const flush = () => {
    if (current.trim()) parts.push(current.trim());
    current = '';
  };
  for (const { segment } of sentences.segment(text)) {
    for (const piece of pieces(segment, limit)) {
      if ((current + piece).trim().length > limit) flush();
      current += piece;
    }
  }
  flush();
  return parts;
}
