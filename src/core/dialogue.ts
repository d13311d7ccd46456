/**
 * Who says what in a scene's narration: quoted speech ("…", “…”, «…», „…“, 「…」) is given to the
 * speaker an attribution names ("Mara said", "asked the fox", "dijo Ana", "sagte Max"), before or
 * after the quote; the rest is the narrator's. An unattributed quote right after two quotes of
 * different speakers continues the back-and-forth (the other one speaks); else the narrator reads it.
 * Rules, no model: a quote whose speaker cannot be found stays with the narrator.
 */

export interface SpokenSegment {
  /** The character who says it; undefined: the narrator. */
  speaker?: string;
  text: string;
}

const QUOTES: [string, string][] = [
  ['"', '"'],
  ['\u201c', '\u201d'],
  ['\u00ab', '\u00bb'],
  ['\u201e', '\u201c'],
  ['\u300c', '\u300d'],
];

/** Speech verbs in en, es, fr, de, it, pt (past and present forms writers use around dialogue). */
const VERBS = [
  // en
  'said|says|asked|asks|whispered|whispers|replied|replies|shouted|shouts|cried|cries|answered|answers|called|muttered|murmured|yelled|added|exclaimed|laughed|sighed|told',
  // es
  'dijo|preguntó|pregunto|respondió|contestó|gritó|susurró|exclamó|murmuró|añadió|dice|pregunta|responde',
  // fr
  "dit|demanda|demande|répondit|répond|cria|crie|chuchota|murmura|s\u2019écria|s'écria|ajouta|souffla",
  // de
  'sagte|sagt|fragte|fragt|antwortete|antwortet|rief|ruft|flüsterte|flüstert|schrie|murmelte|meinte',
  // it
  'disse|dice|chiese|chiede|rispose|risponde|gridò|sussurrò|esclamò|mormorò|aggiunse',
  // pt
  'perguntou|pergunta|respondeu|responde|gritou|sussurrou|exclamou|murmurou|falou|acrescentou',
].join('|');

/** A name: a capitalised word, or "the/la/le/der… + word" (the fox, la bruja, der Wolf). */
const ARTICLES = "the an a el la los las le les l' der die das il lo gli o os as".split(' ');
const ARTICLE = [...ARTICLES, ...ARTICLES.map((a) => a[0]!.toUpperCase() + a.slice(1))].join('|');
const NAME = `(?:(?:${ARTICLE})\\s+)?\\p{Lu}[\\p{L}'\u2019-]*|(?:${ARTICLE})\\s+[\\p{L}'\u2019-]+`;
const PRONOUNS = /^(he|she|it|they|i|we|you|él|ella|il|elle|er|sie|es|lui|lei|ele|ela)$/iu;

/** After the quote: `, said Mara` / `Mara said` / `, dijo Ana` / `sagte der Wolf`. */
const AFTER_VERB_NAME = new RegExp(`^[\\s,.!?\u2014\u2013-]*(?:${VERBS})\\s+(${NAME})`, 'u');
const AFTER_NAME_VERB = new RegExp(`^[\\s,.!?\u2014\u2013-]*(${NAME})\\s+(?:${VERBS})(?!\\p{L})`, 'u');
/** Before the quote: `Mara said:` / `Mara asked,` / `dijo Ana:`. */
const BEFORE_NAME_VERB = new RegExp(`(${NAME})\\s+(?:${VERBS})(?:\\s+\\p{Ll}+)?\\s*[:,\u2014-]?\\s*$`, 'u');
const BEFORE_VERB_NAME = new RegExp(`(?:${VERBS})\\s+(${NAME})\\s*[:,\u2014-]?\\s*$`, 'u');

/** The gap between two quotes says nothing but who spoke the first ("", ", said Tom.", "Tom replied."). */
const ONLY_ATTRIBUTION = new RegExp(
  `^[\\s,.!?\u2014\u2013-]*(?:(?:${VERBS})\\s+(?:${NAME})|(?:${NAME})\\s+(?:${VERBS}))?[\\s,.!?:\u2014\u2013-]*$`,
  'u',
);
const onlyAttribution = (gap: string) => ONLY_ATTRIBUTION.test(gap);

interface Quote {
  start: number;
  end: number;
}

function findQuotes(text: string): Quote[] {
  const quotes: Quote[] = [];
  let i = 0;
  while (i < text.length) {
    const pair = QUOTES.find(([open]) => text[i] === open);
    if (pair) {
      const close = text.indexOf(pair[1], i + 1);
      // a quote needs a letter inside; an unclosed one is the narrator's
      if (close > i && /\p{L}/u.test(text.slice(i + 1, close))) {
        quotes.push({ start: i, end: close + 1 });
        i = close + 1;
        continue;
      }
    }
    i++;
  }
  return quotes;
}

/** "the fox" → "fox", "Mara" → "Mara"; a pronoun names nobody. */
function cleanName(raw: string, known: readonly string[]): string | undefined {
  const name = raw.trim();
  const bare = name.replace(new RegExp(`^(?:${ARTICLE})\\s+`, 'u'), '');
  if (PRONOUNS.test(bare)) return undefined;
  const match = known.find((k) => k.toLowerCase() === bare.toLowerCase() || k.toLowerCase() === name.toLowerCase());
  if (match) return match;
  // a lowercase noun after an article names a character only when the cast knows it; a capitalised word does
  return /^\p{Lu}/u.test(bare) ? bare : known.length === 0 ? bare : undefined;
}

function attribution(before: string, after: string, known: readonly string[]): string | undefined {
  // "Mara asked:" right before the quote first: "Tom said:" after it introduces the next one
  const b = BEFORE_NAME_VERB.exec(before) ?? BEFORE_VERB_NAME.exec(before);
  const named = b ? cleanName(b[1]!, known) : undefined;
  if (named) return named;
  const firstSentenceAfter = after.split(/(?<=[.!?])\s+(?=\p{Lu})|[\u201c"\u00ab\u201e\u300c]/u)[0] ?? '';
  if (/:\s*$/.test(firstSentenceAfter)) return undefined;
  const a = AFTER_VERB_NAME.exec(firstSentenceAfter) ?? AFTER_NAME_VERB.exec(firstSentenceAfter);
  return a ? cleanName(a[1]!, known) : undefined;
}

/**
 * The narration as segments in order; joined with spaces they read as the text. `known` are the
 * cast's names (matched case-insensitively, so "the fox" finds the cast's "Fox").
 */
export function splitDialogue(text: string, known: readonly string[] = []): SpokenSegment[] {
  const quotes = findQuotes(text);
  if (quotes.length === 0) return [{ text }];
  const segments: SpokenSegment[] = [];
  const recent: string[] = [];
  let cursor = 0;
  let lastQuoteEnd = -1;
  for (const [i, q] of quotes.entries()) {
    const before = text.slice(cursor, q.start);
    const after = text.slice(q.end, quotes[i + 1]?.start ?? text.length);
    let speaker = attribution(before, after, known);
    // back-and-forth: only a gap with no narration but the last quote's own attribution carries the turn
    if (!speaker && lastQuoteEnd >= 0 && onlyAttribution(before) && recent.length >= 2) {
      const [prev, prevPrev] = [recent[recent.length - 1]!, recent[recent.length - 2]!];
      if (prev !== prevPrev) speaker = prevPrev;
    }
    if (before.trim() !== '') segments.push({ text: before.trim() });
    const quoted = text.slice(q.start, q.end);
    segments.push(speaker ? { speaker, text: quoted } : { text: quoted });
    if (speaker) recent.push(speaker);
    else recent.length = 0;
    cursor = q.end;
    lastQuoteEnd = q.end;
  }
  const rest = text.slice(cursor);
  if (rest.trim() !== '') segments.push({ text: rest.trim() });
  return mergeNarrator(segments);
}

/** Neighbouring segments of the same voice read as one request. */
function mergeNarrator(segments: SpokenSegment[]): SpokenSegment[] {
  const out: SpokenSegment[] = [];
  for (const s of segments) {
    const last = out[out.length - 1];
    if (last && last.speaker === s.speaker) last.text = `${last.text} ${s.text}`;
    else out.push({ ...s });
  }
  return out;
}

/** Every speaker of the segments, in order of first appearance. */
export function speakersOf(segments: readonly SpokenSegment[][]): string[] {
  return [...new Set(segments.flat().flatMap((s) => (s.speaker ? [s.speaker] : [])))];
}
